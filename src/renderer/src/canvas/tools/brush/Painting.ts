/**
 * A stroke in progress: every pointer move paints the capsule from the previous point straight into
 * the label map (the view repaints just that rectangle); release squashes the stroke into one undo
 * step, Escape takes it back.
 */
import type { EditorPointerEvent, Point } from '../../model/editor-events';
import { StateNode } from '../../model/state-node';
import type { BrushTool } from './BrushTool';

export class Painting extends StateNode {
  readonly id = 'painting';
  private last: Point = { x: 0, y: 0 };
  private classId = 0;

  override onEnter(info: unknown): void {
    const e = info as EditorPointerEvent;
    this.classId = (this.parent as BrushTool).paintClass();
    this.editor.beginInteraction(this.classId === 0 ? 'Erase' : 'Brush');
    this.last = e.point;
    this.editor.paintCapsule(e.point, e.point, this.classId);
  }

  override onPointerMove(e: EditorPointerEvent): void {
    this.editor.paintCapsule(this.last, e.point, this.classId);
    this.last = e.point;
  }

  override onPointerUp(): void {
    this.editor.endInteraction();
    this.parent!.transition('idle');
  }

  override onInterrupt(): void {
    this.onCancel();
  }

  override onCancel(): void {
    this.editor.abortInteraction();
    this.parent!.transition('idle');
  }
}
