/**
 * The feature wand (docs/canvas.md, "The feature wand"): a click selects the part under it by the
 * generator's features, Shift+click adds to the selection and Alt+click takes away; the preview shows
 * in the active class's colour. Enter or picking another tool paints it as one undo step (locked classes
 * kept), Escape drops it.
 */
import type { Editor } from '../../model/editor';
import { StateNode } from '../../model/state-node';
import { WandIdle } from './Idle';
import { Selecting } from './Selecting';

export class WandTool extends StateNode {
  readonly id = 'wand';
  override readonly initial = 'idle';

  constructor(editor: Editor) {
    super(editor);
    this.addChildren(new WandIdle(editor), new Selecting(editor));
  }
}
