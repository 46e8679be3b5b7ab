/**
 * The model bundle manifest (docs/model-bundle.md). A bundle is a folder holding `manifest.json`,
 * the mapping graph (z → w) and the synthesis graph (ws → image + feature maps). This schema is the
 * single source of truth; docs/model-bundle.schema.json is generated from it (`npm run schema`).
 */
import { z } from 'zod';

export const BUNDLE_FORMAT = 'dgs-model-bundle';
export const BUNDLE_FORMAT_VERSION = 1;
export const BUNDLE_FILES = ['manifest.json', 'mapping.onnx', 'synthesis.onnx'] as const;

const positiveInt = z.number().int().positive();

export const FeatureMapSchema = z.object({
  /** Output name in the synthesis graph; also the feature's id in interpreters. */
  name: z.string().regex(/^[A-Za-z0-9_.:-]+$/),
  channels: positiveInt,
  /** Feature maps are square, at their native resolution (upsampling happens in the interpreter). */
  resolution: positiveInt,
  /** Which layer of the original network it taps, e.g. "synthesis.b8.conv1" (for people, not code). */
  layer: z.string(),
});

export const BundleManifestSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
    name: z.string().min(1),
    /** stylegan1 | stylegan2 (rosinality) | stylegan2-ada (NVIDIA) | demo | tiny | …; informative. */
    architecture: z.string().min(1),
    description: z.string().optional(),
    source: z
      .object({ checkpoint: z.string().optional(), converter: z.string().optional(), notes: z.string().optional() })
      .optional(),
    resolution: positiveInt,
    imageChannels: z.literal(3),
    zDim: positiveInt,
    wDim: positiveInt,
    numWs: positiveInt,
    /** Mean w (length wDim), the centre of truncation. */
    wAvg: z.array(z.number()),
    /** ψ applies to ws[0 .. truncationCutoff); later ws are left as they are. */
    truncationCutoff: positiveInt,
    defaultPsi: z.number().min(0).max(2).default(0.7),
    /** Values of the image output that map to 0 and 255. */
    imageRange: z.tuple([z.number(), z.number()]),
    /** Noise inputs are baked into the graph as constants, so a w always gives the same image. */
    noise: z.literal('const'),
    graphs: z.object({
      mapping: z.object({ file: z.literal('mapping.onnx'), input: z.string(), output: z.string() }),
      synthesis: z.object({ file: z.literal('synthesis.onnx'), input: z.string(), imageOutput: z.string() }),
    }),
    features: z.array(FeatureMapSchema).min(1),
  })
  .superRefine((m, ctx) => {
    if (m.wAvg.length !== m.wDim) {
      ctx.addIssue({
        code: 'custom',
        path: ['wAvg'],
        message: `wAvg has ${m.wAvg.length} values but wDim is ${m.wDim}`,
      });
    }
    if (m.truncationCutoff > m.numWs) {
      ctx.addIssue({
        code: 'custom',
        path: ['truncationCutoff'],
        message: `truncationCutoff ${m.truncationCutoff} exceeds numWs ${m.numWs}`,
      });
    }
    const names = new Set<string>();
    for (const f of m.features) {
      if (names.has(f.name))
        ctx.addIssue({ code: 'custom', path: ['features'], message: `feature name "${f.name}" appears twice` });
      names.add(f.name);
    }
    if (!(m.imageRange[1] > m.imageRange[0])) {
      ctx.addIssue({ code: 'custom', path: ['imageRange'], message: 'imageRange must be [low, high] with high > low' });
    }
  });

export type BundleManifest = z.infer<typeof BundleManifestSchema>;
export type FeatureMap = z.infer<typeof FeatureMapSchema>;

/** Total feature dimensions per pixel (the interpreter's input width). */
export function featureDims(m: Pick<BundleManifest, 'features'>): number {
  return m.features.reduce((s, f) => s + f.channels, 0);
}
