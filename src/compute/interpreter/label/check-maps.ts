/** The feature maps a labeler is given, checked against the ones its interpreter was trained on. */
import * as ort from 'onnxruntime-node';
import type { FeatureMaps, FeatureShape } from '../../../shared/interpreter-types';
import { UserError } from '../../../shared/errors';

/** One image's maps as tensors [1, C, r, r] (views, no copies); a sentence when they do not fit. */
export function checkFeatureMaps(features: FeatureShape[], maps: FeatureMaps): ort.Tensor[] {
  if (maps.length !== features.length)
    throw new UserError(
      `Expected ${features.length} feature maps per image, got ${maps.length}; use the interpreter's generator.`,
    );
  return maps.map((m, i) => {
    const f = features[i];
    if (
      m.channels !== f.channels ||
      m.resolution !== f.resolution ||
      m.data.length !== f.channels * f.resolution * f.resolution
    ) {
      throw new UserError(
        `Feature map "${m.name}" is ${m.channels}×${m.resolution}² but the interpreter expects ${f.channels}×${f.resolution}²; use the interpreter's generator.`,
      );
    }
    return new ort.Tensor('float32', m.data, [1, f.channels, f.resolution, f.resolution]);
  });
}
