/**
 * A vertex of the selected polygon follows the pointer; only the outline moves while dragging, and
 * release repaints what the region gained or lost as one undo step. Escape puts the vertex back.
 */
import type { PolygonShape } from '../../../../../shared/annotation-shapes';
import type { EditorPointerEvent } from '../../model/editor-events';
import { StateNode } from '../../model/state-node';
import type { VertexRef } from './geometry';
import { moveVertex, sameGeometry } from './geometry';

export interface DragInfo {
  /** The shape as stored before the press. */
  original: PolygonShape;
  /** The shape being dragged (with the inserted vertex, for a press on an edge). */
  shape: PolygonShape;
  vertex: VertexRef;
}

export class DraggingVertex extends StateNode {
  readonly id = 'dragging_vertex';
  private drag: DragInfo | null = null;

  override onEnter(info: unknown): void {
    this.drag = info as DragInfo;
    this.editor.setGuides({ selected: this.drag.shape });
  }

  override onExit(): void {
    this.drag = null;
  }

  override onPointerMove(e: EditorPointerEvent): void {
    if (!this.drag) return;
    this.drag = { ...this.drag, shape: moveVertex(this.drag.shape, this.drag.vertex, e.point) };
    this.editor.setGuides({ selected: this.drag.shape });
  }

  override onPointerUp(): void {
    const d = this.drag!;
    this.parent!.transition('idle');
    if (sameGeometry(d.original, d.shape)) this.editor.select(d.original.id);
    else
      this.editor.commitShapeEdit(
        d.shape.rings[d.vertex.ring].length > d.original.rings[d.vertex.ring].length ? 'Insert vertex' : 'Move vertex',
        d.original,
        d.shape,
      );
  }

  override onInterrupt(): void {
    this.onCancel();
  }

  override onCancel(): void {
    const d = this.drag!;
    this.parent!.transition('idle');
    this.editor.select(d.original.id);
  }
}
