/**
 * Sample images for the gallery and the canvas, rendered by compute from the stored w and ψ and kept as
 * PNG bytes for the most recently shown samples (a 1024² PNG is about a megabyte, so the cache is bounded
 * by bytes, not entries).
 */
import type { Compute, ModelRef } from '../../shared/compute-api';
import { encodeRgbPng } from '../../node/io/png';
import type { Project } from '../project';

const MAX_BYTES = 96 * 1024 * 1024;

export class SampleImageCache {
  private readonly entries = new Map<string, Uint8Array>();
  private bytes = 0;
  private readonly inFlight = new Map<string, Promise<Uint8Array>>();

  async png(
    project: Project,
    compute: Compute,
    model: ModelRef,
    resolution: number,
    sampleId: string,
  ): Promise<Uint8Array> {
    const hit = this.entries.get(sampleId);
    if (hit) {
      // Refresh its place: Map keeps insertion order, oldest first.
      this.entries.delete(sampleId);
      this.entries.set(sampleId, hit);
      return hit;
    }
    let job = this.inFlight.get(sampleId);
    if (!job) {
      // An unknown id is the user's sentence (code 'not-found', HTTP 404 under `dgs serve`), not a bug.
      const { w } = project.getLatents(sampleId);
      const sample = project.getSample(sampleId)!;
      job = compute
        .render(model, [{ w, psi: sample.psi }])
        .then(([rgb]) => new Uint8Array(encodeRgbPng(rgb, resolution, resolution)));
      this.inFlight.set(sampleId, job);
      void job.finally(() => this.inFlight.delete(sampleId)).catch(() => undefined);
    }
    const png = await job;
    this.put(sampleId, png);
    return png;
  }

  private put(id: string, png: Uint8Array): void {
    if (this.entries.has(id)) return;
    this.entries.set(id, png);
    this.bytes += png.byteLength;
    for (const [key, value] of this.entries) {
      if (this.bytes <= MAX_BYTES) break;
      this.entries.delete(key);
      this.bytes -= value.byteLength;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
