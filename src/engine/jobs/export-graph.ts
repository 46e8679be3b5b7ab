/**
 * Exporting a project's generator and interpreter as one ONNX model for training loops
 * (docs/export-graph.md): the interpreter in use, or the one named; compute builds and writes the file.
 * The same job serves `dgs export-graph` and the studio's Generate screen. It reads the project and
 * never writes to it.
 */
import type { Compute, ExportedGraph } from '../../shared/compute-api';
import { UserError } from '../../shared/errors';
import type { Project } from '../project';
import { interpreterInUse } from '../project/interpreter-choice';
import { projectModel, projectPsi } from '../project/model';

export interface ExportGraphOptions {
  /** The .onnx file to write. */
  out: string;
  /** An interpreter id or its start (default: the one in use for the project's model). */
  interpreterId?: string;
  /** Image and label size: the model's resolution (default) or a divisor of it. */
  resolution?: number;
  /** Replace an existing file. */
  overwrite?: boolean;
  /** How the user allows replacing a file, for the refusal's sentence. */
  replaceHint?: string;
  provider?: string;
}

export async function exportGraphForProject(
  project: Project,
  compute: Compute,
  opts: ExportGraphOptions,
): Promise<ExportedGraph> {
  const { ref, manifest } = projectModel(project, opts.provider);
  const chosen = interpreterInUse(project, ref.sha256, opts.interpreterId);
  if (!chosen)
    throw new UserError(
      `${project.path} has no trained interpreter for its model; run \`dgs train ${project.path}\` first.`,
    );
  const classes = project
    .listClasses()
    .sort((a, b) => a.index - b.index)
    .map((c) => ({ index: c.index, name: c.name, color: c.color }));
  return compute.exportGraph(ref, chosen.ref, {
    file: opts.out,
    overwrite: opts.overwrite,
    replaceHint: opts.replaceHint,
    resolution: opts.resolution,
    classes,
    psi: projectPsi(project, manifest),
  });
}
