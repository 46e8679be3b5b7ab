/**
 * How many steps a member still training is expected to take in all, so that progress moves within a
 * stage and has an ETA (docs/interpreter.md, "Progress"). Neither rule knows in advance when a member
 * stops, so this is a floor that rises as training goes on, never a promise:
 *  - official: at least `earlyStopFromEpoch` epochs and `patience` + 1 steps after them (the demo's
 *    members stop within a few percent of that);
 *  - heldout: at least its floor (heldoutFloorSteps) and the evaluations its patience still allows.
 * Both are capped by the epoch cap and `maxSteps`.
 */
import type { EnsembleTrainSettings } from './ensemble';

/** Steps before which the heldout rule stops no member (InterpreterTrainOptions.heldoutMinPixels). */
export function heldoutFloorSteps(
  st: Pick<EnsembleTrainSettings, 'batchSize' | 'earlyStopFromEpoch' | 'heldoutMinPixels'>,
  pixels: number,
): number {
  return Math.ceil(Math.min(st.earlyStopFromEpoch * pixels, st.heldoutMinPixels) / st.batchSize);
}

export function expectedSteps(
  st: Pick<
    EnsembleTrainSettings,
    | 'rule'
    | 'batchSize'
    | 'maxEpochs'
    | 'maxSteps'
    | 'earlyStopFromEpoch'
    | 'patience'
    | 'heldoutEvery'
    | 'heldoutPatience'
    | 'heldoutMinPixels'
  >,
  member: { steps: number; pixels: number; stale: number },
): number {
  const perEpoch = Math.floor(member.pixels / st.batchSize);
  const cap = Math.min(st.maxSteps ?? Number.POSITIVE_INFINITY, Math.max(1, st.maxEpochs * perEpoch));
  const floor =
    st.rule === 'official'
      ? st.earlyStopFromEpoch * perEpoch + st.patience + 1
      : Math.max(
          heldoutFloorSteps(st, member.pixels),
          member.steps -
            (member.steps % st.heldoutEvery) +
            Math.max(1, st.heldoutPatience - member.stale) * st.heldoutEvery,
        );
  return Math.min(cap, Math.max(member.steps + 1, floor));
}
