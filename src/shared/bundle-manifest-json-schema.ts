/** The bundle manifest's JSON Schema, derived from the zod schema (for people and other tools). */
import { z } from 'zod';
import { BUNDLE_FORMAT_VERSION, BundleManifestSchema } from './bundle-manifest';

export function bundleManifestJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(BundleManifestSchema, { io: 'input' }),
    $id: `https://datasetgan.studio/schemas/model-bundle-v${BUNDLE_FORMAT_VERSION}.json`,
    title: `DatasetGAN Studio model bundle manifest, format version ${BUNDLE_FORMAT_VERSION}`,
    description:
      'manifest.json of a model bundle folder; see docs/model-bundle.md. Cross-field rules (wAvg length = wDim, truncationCutoff ≤ numWs, unique feature names, imageRange increasing) are checked by the app beyond this schema.',
  };
}
