/**
 * The wand's prior when the project has an interpreter: the ensemble's mean class probabilities per
 * pixel, kept as bytes (p·255), from which a class's log-odds are read at each click. The hard vote is
 * not enough: on the demo it made the wand need a third more clicks (docs/canvas.md). Only the first
 * few members run (their mean is close to the ensemble's), which bounds the labeler's probabilities
 * [members × classes × pixels] while they are read.
 */
import type { FeatureMapData } from '../generator/generator';
import type { TrainedInterpreter } from '../../shared/interpreter-types';
import type { Disposable } from '../../shared/lifecycle';
import { deserializeEnsemble, sliceMembers } from '../interpreter/ensemble-params';
import { ensembleShapeOf, openLabeler } from '../interpreter/label/labeler';

export const PRIOR_MEMBERS = 3;

/** Mean class probabilities as bytes, class-first: `probs[c·pixels + p]` = round(255·P(c | p)). */
export interface ClassProbabilities {
  classes: number;
  probs: Uint8Array;
}

type ProbsLabeler = Awaited<ReturnType<typeof openLabeler>>;

export class InterpreterPrior implements Disposable {
  private constructor(
    private readonly labeler: ProbsLabeler,
    private readonly members: number,
    private readonly classes: number,
    private readonly R: number,
  ) {}

  static async open(trained: TrainedInterpreter, R: number, executionProviders: string[]): Promise<InterpreterPrior> {
    const shape = ensembleShapeOf(trained);
    const members = Math.min(PRIOR_MEMBERS, shape.members);
    const part = sliceMembers(deserializeEnsemble(trained.weights, shape), shape, 0, members);
    const labeler = await openLabeler(
      part.params,
      part.shape,
      trained.config.bnEps,
      trained.config.features,
      R,
      executionProviders,
      0,
      { withProbs: true },
    );
    return new InterpreterPrior(labeler, members, shape.numClasses, R);
  }

  async probabilities(features: FeatureMapData[]): Promise<ClassProbabilities> {
    const [all] = await this.labeler.probs([features]); // [members, classes, pixels]
    const P = this.R * this.R;
    const n = this.classes * P;
    const probs = new Uint8Array(n);
    const scale = 255 / this.members;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let m = 0; m < this.members; m++) s += all[m * n + i];
      probs[i] = Math.round(s * scale);
    }
    return { classes: this.classes, probs };
  }

  async dispose(): Promise<void> {
    await this.labeler.dispose();
  }
}

/** A class's log-odds per pixel from the byte probabilities (half a step from 0 and 1, so at most ±6.2). */
export function classLogOdds(p: ClassProbabilities, classId: number, pixels: number): Float32Array | null {
  if (classId < 0 || classId >= p.classes) return null;
  const table = Float32Array.from({ length: 256 }, (_, q) => {
    const v = Math.min(Math.max(q, 0.5), 254.5) / 255;
    return Math.log(v / (1 - v));
  });
  const out = new Float32Array(pixels);
  const row = p.probs.subarray(classId * pixels, (classId + 1) * pixels);
  for (let i = 0; i < pixels; i++) out[i] = table[row[i]];
  return out;
}
