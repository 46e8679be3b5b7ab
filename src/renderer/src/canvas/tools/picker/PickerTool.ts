/** Class picker: a click makes the class of the pixel under it the active class. */
import type { Editor } from '../../model/editor';
import { OneStateTool } from '../one-state-tool';
import { PickerIdle } from './Idle';

export class PickerTool extends OneStateTool {
  readonly id = 'picker';

  constructor(editor: Editor) {
    super(editor, new PickerIdle(editor));
  }
}
