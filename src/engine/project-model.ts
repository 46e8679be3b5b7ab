/**
 * The generator of a project, as jobs hand it to compute: a reference to its embedded bundle (read from
 * the file only when compute lacks it) and the provider the project (or DGS_PROVIDER, or a command's
 * --provider) asks for.
 */
import type { InterpreterRef, ModelRef, ModelSource, ProviderPreference } from '../shared/compute-api';
import type { BundleManifest } from '../shared/bundle-manifest';
import { UserError } from '../shared/errors';
import { OFFICIAL_MIN_CLASS_FRACTION, type TrainedInterpreter } from '../shared/interpreter-types';
import { parseManifest } from './bundle/bundle';
import type { Project } from './project';

export const PROVIDER_SETTING = 'executionProvider';
/** The truncation ψ new samples and generation runs use unless told otherwise (the New project wizard sets it). */
export const PSI_SETTING = 'psi';

/** The annotation cleanup threshold as a fraction of the image (docs/interpreter.md, "Annotation cleanup"). */
export const CLEANUP_SETTING = 'minClassFraction';

/** The project's cleanup threshold: its setting when valid, else the official 30 pixels of a 512² image. */
export function projectCleanupFraction(project: Project): number {
  const v = project.getSetting(CLEANUP_SETTING);
  return typeof v === 'number' && v >= 0 && v < 1 ? v : OFFICIAL_MIN_CLASS_FRACTION;
}

export function projectPsi(project: Project, manifest: BundleManifest): number {
  const v = project.getSetting(PSI_SETTING);
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 2 ? v : manifest.defaultPsi;
}

function storedModel(project: Project) {
  const model = project.getModel();
  if (!model) {
    throw new UserError(`${project.path} has no generator yet; create the project with \`dgs init <file> --model <bundle>\` (or --model default).`);
  }
  return model;
}

/** The embedded bundle's manifest (validated); the bytes' checksum is checked where they are loaded (compute). */
export function projectManifest(project: Project): BundleManifest {
  return parseManifest(storedModel(project).manifestJson, `the model in ${project.path}`);
}

export function providerPreference(project: Project, override?: string): ProviderPreference {
  const v = (override ?? project.getSetting(PROVIDER_SETTING) ?? 'auto') as string;
  if (v !== 'auto' && v !== 'cpu' && v !== 'cuda') {
    throw new UserError(`The execution provider must be auto, cpu or cuda; got "${v}".`);
  }
  return v;
}

/**
 * The project's model as compute needs it, with its manifest for the caller. The bytes are read again
 * only when a compute process lacks them (its first job, or after a restart), so a caller may hold the
 * reference for a whole session.
 */
export function projectModel(project: Project, providerOverride?: string): { ref: ModelRef; manifest: BundleManifest } {
  const model = storedModel(project);
  const manifest = parseManifest(model.manifestJson, `the model in ${project.path}`);
  const provider = providerPreference(project, providerOverride);
  const source = (): ModelSource => {
    const m = storedModel(project);
    return { sha256: m.sha256, manifestJson: m.manifestJson, mapping: m.mapping, synthesis: m.synthesis };
  };
  return { ref: { sha256: model.sha256, provider, source }, manifest };
}

/** The newest interpreter trained for the project's current model, as the labeler needs it. */
export function latestTrained(project: Project, modelSha256: string): { id: string; ref: InterpreterRef; trained: () => TrainedInterpreter } | null {
  // listInterpreters is newest first.
  const it = project.listInterpreters().find((i) => i.modelSha256 === modelSha256);
  if (!it) return null;
  const trained = (): TrainedInterpreter => {
    const full = project.getInterpreter(it.id)!;
    return { config: full.config, weights: full.weights, metrics: full.metrics } as TrainedInterpreter;
  };
  return { id: it.id, ref: { id: it.id, trained }, trained };
}
