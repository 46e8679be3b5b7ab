/**
 * The embedded model bundle (docs/model-bundle.md): one per project, stored as its three files' bytes
 * with the bundle's sha256. Samples name that sha256, so the model can only be replaced while the
 * project has no samples and no interpreters.
 *
 * Below the table's own functions: the project's generator as jobs hand it to compute — a reference to
 * its embedded bundle (read from the file only when compute lacks it) and the provider the project
 * (or DGS_PROVIDER, or a command's --provider) asks for — and the project settings that go with it.
 */
import type { BundleManifest } from '../../shared/bundle-manifest';
import { UserError } from '../../shared/errors';
import type { EmbeddedModel, ModelSummary } from '../../shared/project-types';
import { bundleSha256, parseManifest } from '../../node/bundle/bundle';
import { nowIso, ownBytes, type Ctx } from './store';
import type { ModelRef, ModelSource, ProviderPreference } from '../../shared/compute-api';
import { OFFICIAL_MIN_CLASS_FRACTION } from '../../shared/interpreter-types';
import type { Project } from './project';

interface ModelRow {
  sha256: string;
  manifest_json: string;
  mapping: Uint8Array;
  synthesis: Uint8Array;
}

/** SQLite's largest value in the better-sqlite3 build (SQLITE_MAX_LENGTH). */
export const MAX_EMBEDDED_FILE_BYTES = 1_000_000_000;

export function embedModel(ctx: Ctx, m: EmbeddedModel): void {
  for (const [file, bytes] of [
    ['mapping.onnx', m.mapping],
    ['synthesis.onnx', m.synthesis],
  ] as const) {
    if (bytes.byteLength > MAX_EMBEDDED_FILE_BYTES) {
      throw new UserError(
        `The model's ${file} is ${(bytes.byteLength / 1e9).toFixed(2)} GB, more than the 1 GB a project can embed per file; choose a smaller model (a 1024² StyleGAN2 needs about 120 MB).`,
      );
    }
  }
  const manifest = parseManifest(m.manifestJson, 'the model being added to the project');
  const actual = bundleSha256(m.manifestJson, m.mapping, m.synthesis);
  if (actual !== m.sha256) {
    throw new UserError(
      `The model's files do not match its sha256 (${m.sha256.slice(0, 12)}… given, ${actual.slice(0, 12)}… computed); re-read the bundle from disk.`,
    );
  }
  const current = ctx.db.prepare('SELECT sha256 FROM model').get() as { sha256: string } | undefined;
  if (current?.sha256 === m.sha256) return;
  if (current) {
    const used = ctx.db
      .prepare(
        `SELECT (SELECT count(*) FROM sample WHERE deleted = 0) AS samples,
      (SELECT count(*) FROM interpreter WHERE deleted = 0) AS interpreters`,
      )
      .get() as { samples: number; interpreters: number };
    if (used.samples > 0 || used.interpreters > 0) {
      throw new UserError(
        `${ctx.file} already has samples or interpreters made with the model ${manifestName(ctx)}; a project keeps one model, so start a new project for ${manifest.name}.`,
      );
    }
    // Only tombstones still point at the old model; they describe rows of a model that is leaving.
    ctx.db.prepare('DELETE FROM sample WHERE model_sha256 = ?').run(current.sha256);
    ctx.db.prepare('DELETE FROM interpreter WHERE model_sha256 = ?').run(current.sha256);
    ctx.db.prepare('DELETE FROM model WHERE sha256 = ?').run(current.sha256);
  }
  const now = nowIso();
  ctx.db
    .prepare(
      `INSERT INTO model (sha256, manifest_json, mapping, synthesis, added_at, revision, updated_at)
    VALUES (?, ?, ?, ?, ?, 1, ?)`,
    )
    .run(m.sha256, m.manifestJson, m.mapping, m.synthesis, now, now);
}

function manifestName(ctx: Ctx): string {
  const r = ctx.db.prepare("SELECT json_extract(manifest_json, '$.name') AS name FROM model").get() as
    { name: string } | undefined;
  return r ? `"${r.name}"` : '(none)';
}

export function getModel(ctx: Ctx): EmbeddedModel | null {
  const r = ctx.db.prepare('SELECT sha256, manifest_json, mapping, synthesis FROM model').get() as ModelRow | undefined;
  return r
    ? {
        sha256: r.sha256,
        manifestJson: r.manifest_json,
        mapping: ownBytes(r.mapping),
        synthesis: ownBytes(r.synthesis),
      }
    : null;
}

/** The model's sha256 and parsed manifest, without reading the graph blobs. */
export function modelManifest(ctx: Ctx): { sha256: string; manifest: BundleManifest } | null {
  const r = ctx.db.prepare('SELECT sha256, manifest_json FROM model').get() as
    { sha256: string; manifest_json: string } | undefined;
  return r ? { sha256: r.sha256, manifest: parseManifest(r.manifest_json, `the model embedded in ${ctx.file}`) } : null;
}

export function modelSummary(ctx: Ctx): ModelSummary | null {
  const m = modelManifest(ctx);
  return m
    ? {
        sha256: m.sha256,
        name: m.manifest.name,
        architecture: m.manifest.architecture,
        resolution: m.manifest.resolution,
      }
    : null;
}

/** The model or a sentence saying to add one first. */
export function requireModel(ctx: Ctx, forWhat: string): { sha256: string; manifest: BundleManifest } {
  const m = modelManifest(ctx);
  if (!m) throw new UserError(`${ctx.file} has no model yet; add a model bundle to the project before ${forWhat}.`);
  return m;
}

// --- The project's model as jobs use it -------------------------------------------------------------

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
    throw new UserError(
      `${project.path} has no generator yet; create the project with \`dgs init <file> --model <bundle>\` (or --model default).`,
    );
  }
  return model;
}

/** The embedded bundle's manifest (validated), without checking its bytes. */
export function projectManifest(project: Project): BundleManifest {
  return parseManifest(storedModel(project).manifestJson, `the model in ${project.path}`);
}

/** The embedded bundle, its bytes checked against the sha256 stored with them: a sentence naming the file when they differ. */
export function checkedModel(project: Project): EmbeddedModel {
  const m = storedModel(project);
  if (bundleSha256(m.manifestJson, m.mapping, m.synthesis) !== m.sha256)
    throw new UserError(
      `The model embedded in ${project.path} fails its checksum (its files no longer match the sha256 ${m.sha256.slice(0, 12)}… stored with them), so the project file is damaged; restore it from a backup copy.`,
    );
  return m;
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
    const m = checkedModel(project);
    return { sha256: m.sha256, manifestJson: m.manifestJson, mapping: m.mapping, synthesis: m.synthesis };
  };
  return { ref: { sha256: model.sha256, provider, source }, manifest };
}
