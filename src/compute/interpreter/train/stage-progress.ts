/**
 * A training stage's progress as the UI shows it (InterpreterProgress): how far the stage is, 0–1, and an
 * ETA from its pace so far. A stage is the samples' loading, the final ensemble, or the cross-validation,
 * whose folds train in one or more stacks one after another; member-steps are the unit of work
 * (expected-steps.ts says how many a stack is expected to take).
 */
import type { InterpreterProgress } from '../../../shared/interpreter-types';
import type { StackProgress } from './ensemble';

/** Below this fraction the pace is too new to extrapolate an ETA from. */
const ETA_AFTER = 0.02;

export class StageProgress {
  private readonly t0 = performance.now();
  /** Member-steps of the stacks that have finished. */
  private finished = 0;
  private last = 0;

  constructor(
    private readonly phase: InterpreterProgress['phase'],
    private readonly stacks: number,
    private readonly sink: ((e: InterpreterProgress) => void) | undefined,
  ) {}

  private timing(fraction: number): { fraction: number; etaSeconds: number | null } {
    const f = Math.min(1, Math.max(this.last, fraction));
    this.last = f;
    const elapsed = (performance.now() - this.t0) / 1000;
    return { fraction: f, etaSeconds: f >= ETA_AFTER ? (elapsed * (1 - f)) / f : null };
  }

  /** The stage has begun (before its first training call), with `members` members in its first stack. */
  begin(folds: number, members: number, stackFolds: number): void {
    this.sink?.({
      phase: this.phase,
      fold: 0,
      folds,
      stackFolds,
      member: members,
      members,
      epoch: 0,
      step: 0,
      loss: Number.NaN,
      ...this.timing(0),
    });
  }

  /** Stack `index` of the stage (of folds fold… when cross-validating) reported `e`. */
  stack(index: number, fold: number, folds: number, stackFolds: number, e: StackProgress): void {
    if (!this.sink) return;
    // Stacks still to come are expected to take as long as this one.
    const expected = this.finished + e.expectedMemberSteps * (this.stacks - index);
    const { member, members, epoch, step, loss } = e;
    this.sink({
      phase: this.phase,
      fold,
      folds,
      stackFolds,
      member,
      members,
      epoch,
      step,
      loss,
      ...this.timing(expected > 0 ? (this.finished + e.memberSteps) / expected : 0),
    });
  }

  stackDone(memberSteps: number): void {
    this.finished += memberSteps;
  }

  /** Loading: `done` of `total` samples are in the store. */
  loaded(done: number, total: number): void {
    this.sink?.({
      phase: this.phase,
      fold: 0,
      folds: 1,
      stackFolds: 1,
      member: done,
      members: total,
      epoch: 0,
      step: 0,
      loss: Number.NaN,
      ...this.timing(done / total),
    });
  }
}
