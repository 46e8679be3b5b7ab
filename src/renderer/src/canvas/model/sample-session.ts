/**
 * One sample being annotated: its label map (the truth), its polygon shapes and its undo history.
 * Every edit goes through here so that it is recorded and announced: `onDidChange` fires with the
 * rectangle of pixels that changed (null when only shapes did), which is all a view needs to repaint.
 */
import type { PolygonShape } from '../../../../shared/annotation-shapes';
import type { LabelDiff } from '../../../../shared/raster/diff';
import type { CoverageMask, LabelRaster, LockTable, PixelRect } from '../../../../shared/raster/label-raster';
import { paintMask, repaintRegion, replacePixels } from '../../../../shared/raster/paint';
import type { HistoryLimits, HistoryTarget, Shapes } from './history';
import { DiffHistory } from './history';
import { Emitter } from './emitter';

export interface SessionChange {
  /** Pixels that changed, or null when only the shapes did. */
  rect: PixelRect | null;
}

export class SampleSession implements HistoryTarget {
  readonly raster: LabelRaster;
  shapes: Shapes;
  readonly history: DiffHistory;
  /** Bumped on every change (edit, undo, redo, bail): a cheap "has it changed since" for savers. */
  version = 0;
  private readonly changes = new Emitter<SessionChange>();
  readonly onDidChange = this.changes.event;

  constructor(
    readonly sampleId: string,
    width: number,
    height: number,
    labelMap: Uint8Array,
    shapes: readonly PolygonShape[],
    limits?: HistoryLimits,
  ) {
    if (labelMap.length !== width * height) {
      throw new RangeError(
        `Sample ${sampleId}: a ${width}×${height} label map needs ${width * height} pixels, not ${labelMap.length}`,
      );
    }
    this.raster = { width, height, pixels: labelMap.slice() };
    this.shapes = Object.freeze([...shapes]);
    this.history = new DiffHistory(this, limits);
  }

  get width(): number {
    return this.raster.width;
  }

  get height(): number {
    return this.raster.height;
  }

  changed(diff: LabelDiff | null): void {
    this.version++;
    this.changes.fire({ rect: diff ? { x: diff.x, y: diff.y, width: diff.width, height: diff.height } : null });
  }

  /** Paint a coverage mask with a class (0 erases); returns the diff, null when nothing changed. */
  paint(label: string, mask: CoverageMask, classId: number, locks: LockTable): LabelDiff | null {
    const before = this.shapes;
    const diff = paintMask(this.raster, mask, classId, locks);
    return this.recorded(label, diff, before);
  }

  /** Replace the shape list and repaint what a shape's region gained or lost, as one change. */
  reshape(
    label: string,
    shapes: Shapes,
    region: { oldMask: CoverageMask; newMask: CoverageMask; classId: number } | null,
    locks: LockTable,
  ): LabelDiff | null {
    const before = this.shapes;
    const diff = region ? repaintRegion(this.raster, region.oldMask, region.newMask, region.classId, locks) : null;
    this.shapes = Object.freeze([...shapes]);
    return this.recorded(label, diff, before);
  }

  /** Take a whole map (a prediction) except where classes are locked. */
  replace(label: string, labels: Uint8Array, locks: LockTable): LabelDiff | null {
    const before = this.shapes;
    const diff = replacePixels(this.raster, labels, locks);
    return this.recorded(label, diff, before);
  }

  /** A copy of what the studio saves. */
  serialize(): { labelMap: Uint8Array; shapes: PolygonShape[] } {
    return { labelMap: this.raster.pixels.slice(), shapes: [...this.shapes] };
  }

  dispose(): void {
    this.changes.dispose();
  }

  private recorded(label: string, diff: LabelDiff | null, shapesBefore: Shapes): LabelDiff | null {
    if (!diff && shapesBefore === this.shapes) return null;
    this.history.record(label, diff, shapesBefore);
    this.changed(diff);
    return diff;
  }
}
