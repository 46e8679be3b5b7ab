import type { EditorPointerEvent } from '../../model/editor-events';
import { StateNode } from '../../model/state-node';
import type { DragInfo } from './DraggingVertex';
import { deleteVertex, hitEdge, hitVertex, insertVertex } from './geometry';

export class PolygonIdle extends StateNode {
  readonly id = 'idle';

  override onPointerDown(e: EditorPointerEvent): void {
    if (e.button !== 0) return;
    const selected = this.editor.selectedShape;
    if (selected) {
      const v = hitVertex(selected, e.point, e.hitRadius);
      if (v && (e.altKey || e.ctrlKey)) {
        this.editor.commitShapeEdit('Delete vertex', selected, deleteVertex(selected, v));
        return;
      }
      if (v) {
        this.parent!.transition('dragging_vertex', {
          original: selected,
          shape: selected,
          vertex: v,
        } satisfies DragInfo);
        return;
      }
      const edge = hitEdge(selected, e.point, e.hitRadius);
      if (edge) {
        this.parent!.transition('dragging_vertex', {
          original: selected,
          shape: insertVertex(selected, edge, e.point),
          vertex: edge,
        } satisfies DragInfo);
        return;
      }
    }
    if (e.shiftKey) {
      this.editor.select(this.editor.shapeAt(e.point)?.id ?? null);
      return;
    }
    // Subtract mode cuts into the selected polygon, so it stays selected while the hole is drawn.
    if (this.editor.settings.polygonMode === 'add') this.editor.select(null);
    this.parent!.transition('drawing', e);
  }

  override onDelete(): void {
    const selected = this.editor.selectedShape;
    if (selected) this.editor.commitShapeEdit('Delete polygon', selected, null);
  }

  override onCancel(): void {
    this.editor.select(null);
  }
}
