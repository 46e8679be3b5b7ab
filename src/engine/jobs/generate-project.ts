/**
 * Generation on a project: compute runs the generator, the labeler of the interpreter in use
 * (interpreter-choice.ts) and the dataset writer into the output folder; the project records the run.
 * The same job serves `dgs generate`, `dgs demo` and the app's Generate screen. A run is recorded only
 * once compute has accepted the folder and options, so a refused command writes nothing to the project.
 */
import path from 'node:path';
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
  const record = project.readonly ? null : runRecord(project, { ...options, psi }, opts.outDir, latest.id, opts.resume);
  try {
    const summary = await compute.generate(
      ref,
      latest.ref,
      { ...options, psi, classes, interpreterQuality: latest.trained().metrics },
      {
        signal,
        onProgress: (p) => {
          // The record first: whoever hears of the progress and reads the runs finds this run in it.
          record?.progress(p.done, p.total);
          onProgress?.(p);
        },
      },
    );
    record?.end(summary.status === 'cancelled' ? 'cancelled' : 'done', summary, summary.done, summary.generated);
    return summary;
  } catch (e) {
    record?.end('failed', { error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
}

/**
 * The project's record of a run, written once compute has accepted it: one record per output folder,
 * so a resume continues the record of the run it resumes (with `resumedFrom`, the samples the folder
 * already held) instead of adding another.
 */
function runRecord(project: Project, config: object, outDir: string, interpreterId: string, resume?: boolean) {
  const target = path.resolve(outDir);
  const earlier = resume ? project.listGenerationRuns().find((r) => path.resolve(r.outDir) === target) : undefined;
  let id: string | null = null;
  let last = 0;
  let progress: { done: number; total: number; resumedFrom?: number } | null = null;
  const start = () => {
    id ??= earlier?.id ?? project.addGenerationRun({ config, outDir, interpreterId }).id;
  };
  return {
    progress(done: number, total: number): void {
      // The first report of a resumed run says how many samples the folder held already.
      progress = { done, total, ...(earlier ? { resumedFrom: progress?.resumedFrom ?? done } : {}) };
      if (id !== null && Date.now() - last <= RECORD_EVERY_MS) return;
      start();
      last = Date.now();
      project.updateGenerationRun(id!, { status: 'running', progress });
    },
    /** How it ended; a run refused before it started (no report, no summary) is not recorded. */
    end(status: 'done' | 'cancelled' | 'failed', result: unknown, done?: number, total?: number): void {
      if (done !== undefined && total !== undefined) {
        progress = { done, total, ...(earlier ? { resumedFrom: progress?.resumedFrom ?? done } : {}) };
        start();
      }
      if (id === null) return;
      project.updateGenerationRun(id, { status, result, ...(progress ? { progress } : {}) });
    },
  };
}
