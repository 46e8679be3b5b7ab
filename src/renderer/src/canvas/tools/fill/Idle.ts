import type { EditorPointerEvent } from '../../model/editor-events';
import { StateNode } from '../../model/state-node';

export class FillIdle extends StateNode {
  readonly id = 'idle';

  override onPointerDown(e: EditorPointerEvent): void {
    if (e.button === 0) this.editor.fillAt(e.point);
  }
}
