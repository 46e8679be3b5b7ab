/**
 * Generation on a project: compute runs the generator, the labeler of the interpreter in use
 * (interpreter-choice.ts) and the dataset writer into the output folder; the project records the run.
 * The same job serves `dgs generate`, `dgs demo` and the app's Generate screen. A run is recorded only
 * once compute has accepted the folder and options, so a refused command writes nothing to the project.
 */
import type { Compute } from '../../shared/compute-api';
import type { GenerationOptions, GenerationSummary } from '../../shared/dataset-types';
import { UserError } from '../../shared/errors';
import type { Project } from '../project';
import { projectModel, projectPsi } from '../project/model';
import { interpreterInUse } from '../project/interpreter-choice';

export interface GenerateProjectOptions extends GenerationOptions {
  /** Truncation ψ; default the model's defaultPsi. */
  psi?: number;
  provider?: string;
  /** The interpreter to label with (an id or its start); default: the project's interpreter in use. */
  interpreter?: string;
}

/** How often a running job's progress is written to the project file. */
const RECORD_EVERY_MS = 5000;

export async function generateForProject(
  project: Project,
  compute: Compute,
  opts: GenerateProjectOptions,
): Promise<GenerationSummary> {
  const { ref, manifest } = projectModel(project, opts.provider);
  const latest = interpreterInUse(project, ref.sha256, opts.interpreter);
  if (!latest)
    throw new UserError(
      `${project.path} has no trained interpreter for its model; run \`dgs train ${project.path}\` first.`,
    );
  const psi = opts.psi ?? projectPsi(project, manifest);
  const classes = project
    .listClasses()
    .sort((a, b) => a.index - b.index)
    .map((c) => ({ index: c.index, name: c.name, color: c.color }));
  const { onProgress, signal, provider: _provider, interpreter: _interpreter, ...options } = opts;
  const record = project.readonly
    ? null
    : {
        config: { ...options, psi },
        id: null as string | null,
        last: 0,
        update(
          status: 'running' | 'done' | 'cancelled' | 'failed',
          extra: { progress?: unknown; result?: unknown } = {},
        ) {
          if (this.id === null) {
            if (status !== 'running') return; // refused before it started: nothing to record
            this.id = project.addGenerationRun({
              config: this.config,
              outDir: opts.outDir,
              interpreterId: latest.id,
            }).id;
          }
          project.updateGenerationRun(this.id, { status, ...extra });
        },
      };
  try {
    const summary = await compute.generate(
      ref,
      latest.ref,
      { ...options, psi, classes, interpreterQuality: latest.trained().metrics },
      {
        signal,
        onProgress: (p) => {
          onProgress?.(p);
          if (record && (record.id === null || Date.now() - record.last > RECORD_EVERY_MS)) {
            record.last = Date.now();
            record.update('running', { progress: { done: p.done, total: p.total } });
          }
        },
      },
    );
    record?.update('running');
    record?.update(summary.status === 'cancelled' ? 'cancelled' : 'done', {
      result: summary,
      progress: { done: summary.done, total: summary.generated },
    });
    return summary;
  } catch (e) {
    record?.update('failed', { result: { error: e instanceof Error ? e.message : String(e) } });
    throw e;
  }
}
