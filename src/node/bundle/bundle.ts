/**
 * Model bundles on disk and in memory (docs/model-bundle.md): read a bundle folder, validate its
 * manifest, compute its identity. Every way a bundle can be wrong ends in a UserError sentence, and
 * nothing here writes anywhere.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BUNDLE_FILES, BundleManifestSchema, type BundleManifest } from '../../shared/bundle-manifest';
import { UserError } from '../../shared/errors';

/** A bundle's bytes plus its parsed manifest; what a project embeds and the runtime loads. */
export interface ModelBundle {
  sha256: string;
  manifest: BundleManifest;
  manifestJson: string;
  mapping: Uint8Array;
  synthesis: Uint8Array;
}

/** Largest bundle accepted: a 1024² StyleGAN2 is ~120 MB of weights; 2 GiB is protobuf's own limit. */
export const MAX_BUNDLE_BYTES = 2 * 1024 ** 3 - 1;
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** SHA-256 over (name, 0, u64le length, bytes) of each file, in BUNDLE_FILES order. */
export function bundleSha256(manifestJson: string, mapping: Uint8Array, synthesis: Uint8Array): string {
  const hash = createHash('sha256');
  const files: [string, Uint8Array][] = [
    [BUNDLE_FILES[0], new TextEncoder().encode(manifestJson)],
    [BUNDLE_FILES[1], mapping],
    [BUNDLE_FILES[2], synthesis],
  ];
  for (const [name, bytes] of files) {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(bytes.byteLength));
    hash
      .update(name, 'utf8')
      .update(Buffer.from([0]))
      .update(len)
      .update(bytes);
  }
  return hash.digest('hex');
}

/** Parse and validate manifest text; `where` names the bundle in the error sentence. */
export function parseManifest(manifestJson: string, where: string): BundleManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(manifestJson);
  } catch {
    throw new UserError(
      `The manifest of ${where} is not valid JSON; re-export the bundle with tools/stylegan/convert.py.`,
    );
  }
  const parsed = BundleManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue.path.length ? issue.path.join('.') : 'the manifest';
    throw new UserError(
      `The manifest of ${where} is not a valid model bundle manifest (${at}: ${issue.message}); re-export the bundle with tools/stylegan/convert.py.`,
    );
  }
  return parsed.data;
}

/** "the model bundle …" at the start of a sentence. */
const sentenceStart = (phrase: string) => phrase.charAt(0).toUpperCase() + phrase.slice(1);

function readLimited(file: string, what: string, limit: number, where: string): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UserError(
      `${sentenceStart(where)} has no ${what} (${path.basename(file)}); a bundle folder holds ${BUNDLE_FILES.join(', ')}.`,
    );
  }
  if (!stat.isFile()) throw new UserError(`${file} is not a file; a bundle folder holds ${BUNDLE_FILES.join(', ')}.`);
  if (stat.size > limit) {
    throw new UserError(
      `${file} is ${(stat.size / 1024 ** 3).toFixed(1)} GiB, more than a model bundle can hold; check that it is the right file.`,
    );
  }
  return fs.readFileSync(file);
}

/** Read a bundle folder. Validates files and manifest; graph contents are checked by checkBundleGraphs. */
export function readBundleDir(dir: string): ModelBundle {
  const where = `the model bundle ${dir}`;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new UserError(
      `There is no model bundle at ${dir}; give the path of a bundle folder (with ${BUNDLE_FILES.join(', ')}) or "default".`,
    );
  }
  if (!stat.isDirectory()) {
    throw new UserError(
      `${dir} is a file, not a model bundle folder; convert checkpoints first with tools/stylegan/convert.py (docs/models.md).`,
    );
  }
  const manifestJson = readLimited(path.join(dir, BUNDLE_FILES[0]), 'manifest', MAX_MANIFEST_BYTES, where).toString(
    'utf8',
  );
  const manifest = parseManifest(manifestJson, where);
  const mapping = readLimited(path.join(dir, manifest.graphs.mapping.file), 'mapping graph', MAX_BUNDLE_BYTES, where);
  const synthesis = readLimited(
    path.join(dir, manifest.graphs.synthesis.file),
    'synthesis graph',
    MAX_BUNDLE_BYTES,
    where,
  );
  if (mapping.byteLength + synthesis.byteLength > MAX_BUNDLE_BYTES) {
    throw new UserError(
      `${sentenceStart(where)} is larger than 2 GiB, more than a model bundle can hold; check that it is the right folder.`,
    );
  }
  return {
    sha256: bundleSha256(manifestJson, mapping, synthesis),
    manifest,
    manifestJson,
    mapping: new Uint8Array(mapping.buffer, mapping.byteOffset, mapping.byteLength),
    synthesis: new Uint8Array(synthesis.buffer, synthesis.byteOffset, synthesis.byteLength),
  };
}

/** Rebuild a bundle from embedded bytes (a project's copy), re-checking its identity. */
export function bundleFromBytes(
  manifestJson: string,
  mapping: Uint8Array,
  synthesis: Uint8Array,
  where: string,
): ModelBundle {
  const manifest = parseManifest(manifestJson, where);
  return { sha256: bundleSha256(manifestJson, mapping, synthesis), manifest, manifestJson, mapping, synthesis };
}
