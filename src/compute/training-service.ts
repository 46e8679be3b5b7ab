/**
 * The compute core's interpreter training (ComputeService `train` and `crossValidate`): the annotated
 * samples' feature maps are regenerated from their latents one at a time into a TrainingRun, which trains
 * the final ensemble and hands it back; its cross-validated report is a second call, so that whoever holds
 * the project stores the ensemble (and pre-label, suggest and generate can start) before the report is in.
 *
 * Between the two calls the run — its training store and threads — stays here, under the id the ensemble
 * is kept as, so the report does not regenerate and reload the samples. One run waits at most: its report's
 * call, a new training, or disposing the core lets it go. A report asked for a run that is not here (the
 * compute process restarted in between) loads the samples again.
 */
import type { Disposable } from '../shared/lifecycle';
import type { CallControl } from '../shared/rpc';
import type { TrainRequest } from '../shared/compute-api';
import { UserError } from '../shared/errors';
import type { CrossValidationReport, InterpreterProgress, TrainedInterpreter } from '../shared/interpreter-types';
import { Generator } from './generator/generator';
import { collectGarbage } from '../node/compute-process-settings';
import { openTrainingRun, type SampleLoader } from './interpreter/train/train-interpreter';
import type { TrainingRun } from './interpreter/train/training-run';

/** The samples' feature maps regenerated from their latents, one at a time (only one sample's maps in memory). */
function sampleLoader(gen: Generator, req: TrainRequest): SampleLoader {
  const R = gen.manifest.resolution;
  return {
    count: req.samples.length,
    async load(index) {
      // The previous sample's maps are in the store by now: their float32 arrays (hundreds of MB at 512²)
      // go before this forward makes the next ones, not whenever the collector gets to them.
      if (index > 0) collectGarbage();
      const s = req.samples[index];
      if (s.labels.length !== R * R)
        throw new UserError(
          `Annotation ${index + 1} has ${s.labels.length} pixels but the model makes ${R}×${R} images; re-import it.`,
        );
      const { features } = await gen.generateFromW(s.w, 1, s.psi, true);
      return { features: features![0], labels: s.labels };
    },
  };
}

export class TrainingService implements Disposable {
  /** The last training's run, waiting for its report. */
  private waiting: { id: string; run: TrainingRun } | null = null;

  constructor(private readonly workerScript: URL | null) {}

  /**
   * The samples' maps come from a session of the loader's own, without a CPU arena, closed once they are
   * in the store: the project's generator would otherwise keep a forward's high-water mark (hundreds of
   * MB at 512²) through the whole training. The project's generator is parked too (its sessions closed,
   * the bundle kept): idle, it holds its weights in onnxruntime, and its next forward (a pre-label, a new
   * sample) opens them again.
   */
  private async open(gen: Generator, req: TrainRequest, ctl: CallControl<InterpreterProgress>): Promise<TrainingRun> {
    await gen.park();
    const loader = await Generator.load(gen.bundle, { provider: [gen.provider.name], arena: false });
    try {
      return await openTrainingRun({
        samples: sampleLoader(loader, req),
        labelResolution: req.labelResolution,
        numClasses: req.numClasses,
        options: { executionProviders: [gen.provider.name], ...req.options },
        onProgress: ctl.onProgress,
        signal: ctl.signal,
        workerScript: this.workerScript,
      });
    } finally {
      await loader.dispose();
    }
  }

  private async release(): Promise<void> {
    const w = this.waiting;
    this.waiting = null;
    await w?.run.dispose();
  }

  /** The final ensemble; with `keepAs`, its run waits here for `crossValidate` when a report is to follow. */
  async train(gen: Generator, req: TrainRequest, ctl: CallControl<InterpreterProgress>): Promise<TrainedInterpreter> {
    await this.release();
    const run = await this.open(gen, req, ctl);
    let kept = false;
    try {
      const trained = await run.ensemble(ctl);
      if (req.keepAs && trained.metrics.report === 'pending') {
        this.waiting = { id: req.keepAs, run };
        kept = true;
      }
      return trained;
    } finally {
      if (!kept) await run.dispose();
    }
  }

  /** The cross-validated report: of the run kept for `interpreter`, or of the samples loaded again. */
  async crossValidate(
    gen: Generator,
    req: TrainRequest & { interpreter?: string },
    ctl: CallControl<InterpreterProgress>,
  ): Promise<CrossValidationReport> {
    // Another run waiting for its own report (a quick check while a training is between its calls) stays.
    const kept = this.waiting && this.waiting.id === req.interpreter ? this.waiting.run : null;
    if (kept) this.waiting = null;
    const run = kept ?? (await this.open(gen, req, ctl));
    try {
      return await run.crossValidate(ctl);
    } finally {
      await run.dispose();
    }
  }

  async dispose(): Promise<void> {
    await this.release();
  }
}
