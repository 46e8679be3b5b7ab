/** A polygon being drawn: vertices so far plus the pointer, shown as a draft guide. */
import type { EditorPointerEvent, Point } from '../../model/editor-events';
import { StateNode } from '../../model/state-node';

export class Drawing extends StateNode {
  readonly id = 'drawing';
  private points: number[] = [];
  private cursor: Point | null = null;

  override onEnter(info: unknown): void {
    const e = info as EditorPointerEvent;
    this.points = [e.point.x, e.point.y];
    this.cursor = e.point;
    this.show();
  }

  override onExit(): void {
    this.points = [];
    this.editor.setGuides({ draft: null });
  }

  override onPointerMove(e: EditorPointerEvent): void {
    this.cursor = e.point;
    this.show();
  }

  override onPointerDown(e: EditorPointerEvent): void {
    if (e.button !== 0) return;
    const n = this.points.length / 2;
    const nearFirst = (e.point.x - this.points[0]) ** 2 + (e.point.y - this.points[1]) ** 2 <= e.hitRadius ** 2;
    if (nearFirst && n >= 3) {
      this.close();
      return;
    }
    const lastX = this.points[this.points.length - 2];
    const lastY = this.points[this.points.length - 1];
    if (e.point.x === lastX && e.point.y === lastY) return; // a double click adds one vertex
    this.points.push(e.point.x, e.point.y);
    this.show();
  }

  override onComplete(): void {
    if (this.points.length >= 6) this.close();
  }

  override onDelete(): void {
    this.points.splice(-2, 2);
    if (this.points.length === 0) this.parent!.transition('idle');
    else this.show();
  }

  override onInterrupt(): void {
    this.onCancel();
  }

  override onCancel(): void {
    this.parent!.transition('idle');
  }

  private close(): void {
    const ring = this.points;
    this.parent!.transition('idle');
    this.editor.commitPolygon(ring);
  }

  private show(): void {
    this.editor.setGuides({ draft: { points: [...this.points], cursor: this.cursor } });
  }
}
