/** What the view hands the editor: pointer positions already in image pixels, and semantic keys. */

export interface Point {
  x: number;
  y: number;
}

export interface EditorPointerEvent {
  /** Image pixels (pixel (x, y) covers [x, x+1) × [y, y+1)), quantized by the editor to 1/16 px. */
  point: Point;
  /** 0 primary, 1 middle, 2 secondary. */
  button: number;
  shiftKey: boolean;
  /** Ctrl, or Cmd on macOS. */
  ctrlKey: boolean;
  altKey: boolean;
  /** How far from a vertex or edge a press still hits it, in image pixels (a few screen pixels / zoom). */
  hitRadius: number;
}

/** Handlers a state may have; each returns nothing (the editor always passes events down the path). */
export interface StateHandlers {
  onPointerDown?(e: EditorPointerEvent): void;
  onPointerMove?(e: EditorPointerEvent): void;
  onPointerUp?(e: EditorPointerEvent): void;
  /** Enter: finish what is in progress (close a polygon). */
  onComplete?(): void;
  /** Escape: abandon what is in progress, or deselect. */
  onCancel?(): void;
  /** A tool or sample switch, an undo while drawing: abandon what is in progress, keep the selection. */
  onInterrupt?(): void;
  /** Another tool was picked: finish what can be finished (the wand keeps its selection); onInterrupt follows. */
  onToolChange?(): void;
  /** Backspace/Delete: remove the last vertex drawn, or the selection. */
  onDelete?(): void;
}

/** Quantize a coordinate to 1/16 px: exact in binary, short in JSON, finer than any pointer. */
export function quantize(v: number): number {
  return Math.round(v * 16) / 16;
}
