import type { EditorPointerEvent } from '../../model/editor-events';
import { StateNode } from '../../model/state-node';

export class PickerIdle extends StateNode {
  readonly id = 'idle';

  override onPointerDown(e: EditorPointerEvent): void {
    if (e.button === 0) this.editor.pickClassAt(e.point);
  }
}
