/** A tool that is a single state (a click does the whole job): fill and class picker. */
import type { Editor } from '../model/editor';
import { StateNode } from '../model/state-node';

export abstract class OneStateTool extends StateNode {
  override readonly initial = 'idle';

  constructor(editor: Editor, idle: StateNode) {
    super(editor);
    this.addChildren(idle);
  }
}
