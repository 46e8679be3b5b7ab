/** Fill: a click gives the 4-connected region of equal class under it the active class. */
import type { Editor } from '../../model/editor';
import { OneStateTool } from '../one-state-tool';
import { FillIdle } from './Idle';

export class FillTool extends OneStateTool {
  readonly id = 'fill';

  constructor(editor: Editor) {
    super(editor, new FillIdle(editor));
  }
}
