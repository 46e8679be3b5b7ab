import type { EditorPointerEvent } from '../../model/editor-events';
import { StateNode } from '../../model/state-node';

export class BrushIdle extends StateNode {
  readonly id = 'idle';

  override onPointerDown(e: EditorPointerEvent): void {
    if (e.button === 0) this.parent!.transition('painting', e);
  }
}
