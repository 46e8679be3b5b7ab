/**
 * The labeler's choices that outlive a sample: active class, brush size, polygon mode, locked and
 * hidden classes, overlay opacity and visibility. Immutable snapshots, so React can read them with
 * useSyncExternalStore and a view can compare them by reference.
 */
import { MAX_BRUSH_SIZE } from '../../../../shared/raster/brush';
import { clampTolerance, WAND_DEFAULT_TOLERANCE, WAND_TOLERANCE_STEP } from '../../../../shared/wand';
import type { ToolId } from '../tools';

export type { ToolId };
export type PolygonMode = 'add' | 'subtract';

/** A label class as the editor needs it (the project's LabelClass fits). */
export interface EditorClass {
  /** The value its pixels carry (0 = background). */
  index: number;
  name: string;
  /** '#rrggbb'. */
  color: string;
  hotkey?: string | null;
  locked?: boolean;
}

export interface EditorSettings {
  readonly tool: ToolId;
  readonly activeClass: number;
  readonly brushSize: number;
  /** The feature wand's tolerance, 0 (narrow) to 1 (wide). */
  readonly wandTolerance: number;
  readonly polygonMode: PolygonMode;
  readonly locked: ReadonlySet<number>;
  readonly hidden: ReadonlySet<number>;
  /** 0–1, the label overlay's opacity. */
  readonly overlayOpacity: number;
  readonly overlayVisible: boolean;
  readonly uncertaintyVisible: boolean;
}

export const DEFAULT_SETTINGS: EditorSettings = {
  tool: 'brush',
  activeClass: 1,
  brushSize: 9,
  wandTolerance: WAND_DEFAULT_TOLERANCE,
  polygonMode: 'add',
  locked: new Set(),
  hidden: new Set(),
  overlayOpacity: 0.55,
  overlayVisible: true,
  uncertaintyVisible: false,
};

/** Brush sizes `[` and `]` step through: fine steps while small, about 25 % apart when large. */
export const BRUSH_SIZES = [
  1, 2, 3, 4, 5, 6, 7, 9, 11, 13, 16, 20, 25, 32, 40, 50, 64, 80, 100, 128, 160, 200, 256, 320, 400, 512,
].filter((s) => s <= MAX_BRUSH_SIZE);

/** The next size up (+1) or down (−1) from `size`. */
export function stepBrushSize(size: number, direction: 1 | -1): number {
  if (direction > 0) return BRUSH_SIZES.find((s) => s > size) ?? BRUSH_SIZES[BRUSH_SIZES.length - 1];
  return [...BRUSH_SIZES].reverse().find((s) => s < size) ?? BRUSH_SIZES[0];
}

/** The wand tolerance one step narrower (−1) or wider (+1). */
export function stepTolerance(t: number, direction: 1 | -1): number {
  return clampTolerance(t + direction * WAND_TOLERANCE_STEP);
}

export function toggled(set: ReadonlySet<number>, id: number, on: boolean): ReadonlySet<number> {
  const next = new Set(set);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}
