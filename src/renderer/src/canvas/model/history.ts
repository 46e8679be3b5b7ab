/**
 * Undo/redo of one sample as a history of diffs (tldraw's HistoryManager, for a label map). A step
 * holds the label-map diff and the shape list before and after (shape lists are immutable, so keeping
 * both costs two references). An interaction opens a mark when it starts, records small changes while
 * it runs (one per pointer move of a brush stroke), then either squashes them into one step or bails
 * out, restoring the map; undo and redo move a whole step.
 */
import type { PolygonShape } from '../../../../shared/annotation-shapes';
import type { LabelDiff } from '../../../../shared/raster/diff';
import { applyDiff, diffBytes, squashDiffs } from '../../../../shared/raster/diff';
import type { LabelRaster } from '../../../../shared/raster/label-raster';

export type Shapes = readonly PolygonShape[];

export interface HistoryStep {
  label: string;
  diff: LabelDiff | null;
  shapesBefore: Shapes;
  shapesAfter: Shapes;
}

/** What the history needs from the document it edits. */
export interface HistoryTarget {
  readonly raster: LabelRaster;
  shapes: Shapes;
  /** Called after undo, redo or bail wrote pixels (rect of the diff) or replaced the shapes. */
  changed(diff: LabelDiff | null): void;
}

export interface HistoryLimits {
  /** Steps kept for undo. */
  maxSteps: number;
  /** Bytes of diffs kept for undo (oldest steps go first). */
  maxBytes: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxSteps: 500, maxBytes: 256 * 1024 * 1024 };

interface OpenMark {
  id: number;
  label: string;
  diffs: LabelDiff[];
  shapesBefore: Shapes;
}

export class DiffHistory {
  private undoStack: HistoryStep[] = [];
  private redoStack: HistoryStep[] = [];
  private open: OpenMark | null = null;
  private nextMark = 1;
  private bytes = 0;

  constructor(
    private readonly target: HistoryTarget,
    private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
  ) {}

  get canUndo(): boolean {
    return this.open === null && this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.open === null && this.redoStack.length > 0;
  }

  get isOpen(): boolean {
    return this.open !== null;
  }

  /** Labels of the steps undo would take back, oldest first. */
  get undoLabels(): string[] {
    return this.undoStack.map((s) => s.label);
  }

  /** Start an interaction; changes recorded until squash or bail belong to it. */
  mark(label: string): number {
    if (this.open) throw new Error(`A history mark (${this.open.label}) is already open`);
    this.open = { id: this.nextMark++, label, diffs: [], shapesBefore: this.target.shapes };
    return this.open.id;
  }

  /** Record a change already made to the target (its diff, if pixels changed). */
  record(label: string, diff: LabelDiff | null, shapesBefore: Shapes): void {
    if (this.open) {
      if (diff) this.open.diffs.push(diff);
      return;
    }
    this.push({ label, diff, shapesBefore, shapesAfter: this.target.shapes });
  }

  /** End the open interaction as one undo step; false when it changed nothing. */
  squashToMark(id: number): boolean {
    const m = this.take(id);
    const diff = squashDiffs(this.target.raster, m.diffs);
    if (!diff && m.shapesBefore === this.target.shapes) return false;
    this.push({ label: m.label, diff, shapesBefore: m.shapesBefore, shapesAfter: this.target.shapes });
    return true;
  }

  /** Undo everything the open interaction changed and forget it. */
  bailToMark(id: number): void {
    const m = this.take(id);
    for (let k = m.diffs.length - 1; k >= 0; k--) {
      applyDiff(this.target.raster, m.diffs[k], 'undo');
      this.target.changed(m.diffs[k]);
    }
    if (this.target.shapes !== m.shapesBefore) {
      this.target.shapes = m.shapesBefore;
      this.target.changed(null);
    }
  }

  undo(): HistoryStep | null {
    if (!this.canUndo) return null;
    const step = this.undoStack.pop()!;
    this.bytes -= step.diff ? diffBytes(step.diff) : 0;
    if (step.diff) applyDiff(this.target.raster, step.diff, 'undo');
    this.target.shapes = step.shapesBefore;
    this.target.changed(step.diff);
    this.redoStack.push(step);
    return step;
  }

  redo(): HistoryStep | null {
    if (!this.canRedo) return null;
    const step = this.redoStack.pop()!;
    if (step.diff) applyDiff(this.target.raster, step.diff, 'redo');
    this.target.shapes = step.shapesAfter;
    this.target.changed(step.diff);
    this.undoStack.push(step);
    this.bytes += step.diff ? diffBytes(step.diff) : 0;
    return step;
  }

  /** Bytes of diffs held for undo. */
  get heldBytes(): number {
    return this.bytes;
  }

  private take(id: number): OpenMark {
    if (!this.open || this.open.id !== id) throw new Error(`History mark ${id} is not the open one`);
    const m = this.open;
    this.open = null;
    return m;
  }

  private push(step: HistoryStep): void {
    this.undoStack.push(step);
    this.bytes += step.diff ? diffBytes(step.diff) : 0;
    this.redoStack = [];
    while (
      this.undoStack.length > 1 &&
      (this.undoStack.length > this.limits.maxSteps || this.bytes > this.limits.maxBytes)
    ) {
      const old = this.undoStack.shift()!;
      this.bytes -= old.diff ? diffBytes(old.diff) : 0;
    }
  }
}
