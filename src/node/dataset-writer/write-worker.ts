/**
 * The sample writer thread (writer-pool.ts): serves SampleWriterService — encodes and writes each
 * sample's files (PNGs, JPEG, COCO fragment, YOLO text) off the compute thread, whose onnxruntime runs
 * block it.
 */
import type { LabeledSample } from '../../shared/dataset-types';
import { serveInWorker } from '../worker-rpc';
import { writeSampleFiles, type SampleWriteContext } from './sample-files';
import { SAMPLE_WRITER_METHODS, type SampleWriterService } from './writer-pool';

class SampleWriter implements SampleWriterService {
  private context: SampleWriteContext | null = null;

  async open(ctx: SampleWriteContext) {
    this.context = ctx;
  }

  async write({ name, sample }: { name: string; sample: LabeledSample }) {
    if (!this.context) throw new Error('The sample writer thread was not opened.');
    await writeSampleFiles(this.context, name, sample);
  }
}

serveInWorker<SampleWriterService>(new SampleWriter(), SAMPLE_WRITER_METHODS);
