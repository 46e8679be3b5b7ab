/**
 * The two per-sample journals of a dataset folder, appended in sample order once a sample's files are
 * all in place: `latents.bin` (z of every sample) first, then `manifest.jsonl` (one JSON line per
 * sample). A line in the manifest is what makes a sample count as done; on resume, anything past the
 * last complete line — a half line, surplus latent records, files without a line — is redone.
 */
import { createReadStream } from 'node:fs';
import { open, stat, truncate } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { ManifestRecord, SampleStatus } from '../../shared/dataset-types';
import { damaged, readEnvelope } from '../../shared/envelope';
import { UserError } from '../../shared/errors';
import { MANIFEST_RECORD_HISTORY } from '../../shared/generation-envelopes';

export type { ManifestRecord, SampleStatus };

export const MANIFEST = 'manifest.jsonl';
export const LATENTS = 'latents.bin';

/** Fixed key order, so lines are byte-identical run to run. */
export function manifestLine(r: ManifestRecord): string {
  return (
    JSON.stringify({
      name: r.name,
      index: r.index,
      seed: r.seed,
      psi: r.psi,
      modelSha256: r.modelSha256,
      interpreterId: r.interpreterId,
      score: r.score,
      status: r.status,
    }) + '\n'
  );
}

/** Streams the complete lines of a manifest (a trailing line without newline is ignored). */
export async function* readManifest(path: string): AsyncGenerator<ManifestRecord> {
  const size = await completeLength(path);
  if (size === 0) return;
  const input = createReadStream(path, { start: 0, end: size - 1 });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      const place = { what: `Line ${n} of ${path}`, fix: 'delete the dataset folder and generate again' };
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw damaged(place, 'not JSON');
      }
      yield readEnvelope(MANIFEST_RECORD_HISTORY, json, place);
    }
  } finally {
    // A damaged line or a reader that stops early leaves the file half read: close it now.
    input.destroy();
  }
}

/** Byte length of the manifest up to and including its last newline (0 if missing). */
async function completeLength(path: string): Promise<number> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return 0;
  }
  if (size === 0) return 0;
  const fh = await open(path, 'r');
  try {
    // Scan back for the last newline in 64 KiB steps (a torn line is at most one line long).
    const buf = Buffer.alloc(65536);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - buf.length);
      const { bytesRead } = await fh.read(buf, 0, end - start, start);
      const at = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (at >= 0) return start + at + 1;
      end = start;
    }
    return 0;
  } finally {
    await fh.close();
  }
}

/** Cuts a torn last line off the manifest; returns the number of complete records. */
export async function repairManifest(path: string): Promise<number> {
  const len = await completeLength(path);
  try {
    if ((await stat(path)).size !== len) await truncate(path, len);
  } catch {
    return 0;
  }
  let n = 0;
  for await (const _ of readManifest(path)) n++;
  return n;
}

// latents.bin: 16-byte header, then records of (uint32 seed, float32[zDim]), all little-endian.
const LATENTS_MAGIC = 'DGSLATNT';
export const LATENTS_HEADER_BYTES = 16;

export function latentsHeader(zDim: number): Buffer {
  const h = Buffer.alloc(LATENTS_HEADER_BYTES);
  h.write(LATENTS_MAGIC, 0, 'latin1');
  h.writeUInt32LE(1, 8); // version
  h.writeUInt32LE(zDim, 12);
  return h;
}

export function latentRecordBytes(zDim: number): number {
  return 4 + 4 * zDim;
}

export function latentRecords(samples: readonly { seed: number; z: Float32Array }[], zDim: number): Buffer {
  const rec = latentRecordBytes(zDim);
  const out = Buffer.alloc(rec * samples.length);
  samples.forEach((s, i) => {
    if (s.z.length !== zDim)
      throw new Error(`Sample ${s.seed} has a latent of ${s.z.length} values, expected ${zDim}.`);
    out.writeUInt32LE(s.seed >>> 0, i * rec);
    for (let j = 0; j < zDim; j++) out.writeFloatLE(s.z[j], i * rec + 4 + 4 * j);
  });
  return out;
}

/** Trims latents.bin to exactly `records` records (surplus comes from a run killed before its manifest line). */
export async function repairLatents(path: string, zDim: number, records: number): Promise<void> {
  const want = LATENTS_HEADER_BYTES + records * latentRecordBytes(zDim);
  let size = -1;
  try {
    size = (await stat(path)).size;
  } catch {
    // missing: treated below
  }
  if (size < want) {
    throw new UserError(
      `${path} holds fewer latents than the manifest lists samples; delete the dataset folder and generate again.`,
    );
  }
  if (size > want) await truncate(path, want);
}

export interface LatentsFile {
  zDim: number;
  records: number;
}

export async function readLatentsHeader(path: string): Promise<LatentsFile> {
  const fh = await open(path, 'r');
  try {
    const h = Buffer.alloc(LATENTS_HEADER_BYTES);
    await fh.read(h, 0, LATENTS_HEADER_BYTES, 0);
    if (h.toString('latin1', 0, 8) !== LATENTS_MAGIC)
      throw new UserError(`${path} is not a DatasetGAN Studio latents file.`);
    const zDim = h.readUInt32LE(12);
    const size = (await fh.stat()).size;
    return { zDim, records: Math.floor((size - LATENTS_HEADER_BYTES) / latentRecordBytes(zDim)) };
  } finally {
    await fh.close();
  }
}
