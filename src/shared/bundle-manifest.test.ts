import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BundleManifestSchema } from './bundle-manifest';
import { bundleManifestJsonSchema } from './bundle-manifest-json-schema';

describe('bundle manifest schema', () => {
  it('docs/model-bundle.schema.json is the current zod schema (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(fs.readFileSync('docs/model-bundle.schema.json', 'utf8'));
    expect(committed).toEqual(bundleManifestJsonSchema());
  });

  it('accepts the tiny test bundle and the demo model, and refuses cross-field contradictions', () => {
    for (const dir of ['e2e/fixtures/tiny-bundle', 'assets/demo-model.dgsmodel']) {
      const m = JSON.parse(fs.readFileSync(`${dir}/manifest.json`, 'utf8'));
      expect(BundleManifestSchema.safeParse(m).success, dir).toBe(true);
      const bad = { ...m, wAvg: m.wAvg.slice(1) };
      expect(BundleManifestSchema.safeParse(bad).success).toBe(false);
      const dup = { ...m, features: [m.features[0], m.features[0]] };
      expect(BundleManifestSchema.safeParse(dup).success).toBe(false);
      expect(BundleManifestSchema.safeParse({ ...m, truncationCutoff: m.numWs + 1 }).success).toBe(false);
    }
  });
});
