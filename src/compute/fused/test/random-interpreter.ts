/** Random-weight interpreters for a bundle's maps, for tests and benchmarks of labeling (its cost and rounding do not depend on the weights). */
import type { TrainedInterpreter } from '../../../shared/interpreter-types';
import type { ModelBundle } from '../../../node/bundle/bundle';
import { hiddenWidths, serializeEnsemble } from '../../interpreter/ensemble-params';
import { randomEnsembleParams } from '../../interpreter/test/synthetic';

/** A random-weight interpreter for the bundle's maps, stored as training stores one. */
export function randomInterpreter(bundle: ModelBundle, members: number, classes: number, w1Scale: number) {
  const m = bundle.manifest;
  const shape = {
    members,
    inputDims: m.features.reduce((a, f) => a + f.channels, 0),
    hidden: hiddenWidths(classes),
    numClasses: classes,
  };
  return {
    config: {
      format: 'dgs-interpreter',
      version: 1,
      members,
      numClasses: classes,
      labelResolution: m.resolution,
      features: m.features.map((f) => ({ name: f.name, channels: f.channels, resolution: f.resolution })),
      hidden: shape.hidden,
      bnEps: 1e-5,
      options: {},
      stepsPerMember: [],
      stoppedEpoch: [],
    },
    weights: serializeEnsemble(randomEnsembleParams(shape, 5, w1Scale), shape),
    metrics: {},
  } as unknown as TrainedInterpreter;
}
