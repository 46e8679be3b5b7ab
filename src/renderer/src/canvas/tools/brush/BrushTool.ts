/** Brush: press, drag and release paints one stroke of the active class (one undo step). */
import type { Editor } from '../../model/editor';
import { StateNode } from '../../model/state-node';
import { BrushIdle } from './Idle';
import { Painting } from './Painting';

export class BrushTool extends StateNode {
  readonly id: string = 'brush';
  override readonly initial = 'idle';

  constructor(editor: Editor) {
    super(editor);
    this.addChildren(new BrushIdle(editor), new Painting(editor));
  }

  /** The class this tool paints. */
  paintClass(): number {
    return this.editor.settings.activeClass;
  }
}
