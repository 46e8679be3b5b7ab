/**
 * Sample files written by a worker thread, so encoding (PNG, JPEG, contours) overlaps the next batch's
 * generation and labeling on the compute thread. Without a worker script (a bundle that ships none)
 * the files are written in the caller's thread, with the same bytes.
 */
import type { LabeledSample } from '../../shared/dataset-types';
import type { Disposable } from '../../shared/lifecycle';
import type { MethodTable } from '../../shared/rpc';
import { WorkerConnection } from '../worker-rpc';
import { writeSampleFiles, type SampleWriteContext } from './sample-files';

/** The writer thread's service (write-worker.ts serves it). */
export interface SampleWriterService {
  open(ctx: SampleWriteContext): Promise<void>;
  /** Resolves when every file of the sample is in place. */
  write(req: { name: string; sample: LabeledSample }): Promise<void>;
}

export const SAMPLE_WRITER_METHODS = {
  open: { doing: 'starting' },
  write: { doing: 'writing sample files' },
} as const satisfies MethodTable<SampleWriterService>;

export interface SampleWriters extends Disposable {
  /** Resolves when every file of the sample is in place. */
  write(name: string, sample: LabeledSample): Promise<void>;
}

export function openSampleWriters(ctx: SampleWriteContext, script: URL | null): SampleWriters {
  if (!script) return { write: (name, sample) => writeSampleFiles(ctx, name, sample), dispose: () => undefined };
  const thread = new WorkerConnection<SampleWriterService>(script, SAMPLE_WRITER_METHODS, 'The sample writer thread');
  const opened = thread.service.open(ctx);
  opened.catch(() => undefined); // a failed start fails every write, which the caller sees
  return {
    async write(name, s) {
      await opened;
      // Only what the files need (the sample may carry more).
      const sample = { seed: s.seed, z: s.z, rgb: s.rgb, labels: s.labels, score: s.score };
      return thread.service.write({ name, sample });
    },
    dispose: () => thread.dispose(),
  };
}
