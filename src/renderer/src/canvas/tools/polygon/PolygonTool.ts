/**
 * Polygon: click vertices, close on the first vertex or with Enter, Escape cancels, Backspace takes
 * the last vertex back. Shift+click selects an existing polygon; its vertices can then be dragged,
 * a press on an edge inserts a vertex there (and drags it), Alt/Ctrl+click deletes a vertex, Delete
 * removes the polygon. In subtract mode a closed polygon cuts a hole in the selected one (or erases,
 * with nothing selected).
 */
import type { Editor } from '../../model/editor';
import { StateNode } from '../../model/state-node';
import { DraggingVertex } from './DraggingVertex';
import { Drawing } from './Drawing';
import { PolygonIdle } from './Idle';

export class PolygonTool extends StateNode {
  readonly id = 'polygon';
  override readonly initial = 'idle';

  constructor(editor: Editor) {
    super(editor);
    this.addChildren(new PolygonIdle(editor), new Drawing(editor), new DraggingVertex(editor));
  }

  override onExit(): void {
    this.editor.setGuides({ draft: null });
    this.editor.select(null);
  }
}
