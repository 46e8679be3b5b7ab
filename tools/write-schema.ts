/**
 * Writes docs/model-bundle.schema.json from the zod schema in src/shared/bundle-manifest.ts, the single
 * source of truth; a unit test fails when the committed file is stale. Run: `npm run schema`.
 */
import fs from 'node:fs';
import { bundleManifestJsonSchema } from '../src/shared/bundle-manifest-json-schema';

fs.writeFileSync('docs/model-bundle.schema.json', JSON.stringify(bundleManifestJsonSchema(), null, 2) + '\n');
console.log('wrote docs/model-bundle.schema.json');
