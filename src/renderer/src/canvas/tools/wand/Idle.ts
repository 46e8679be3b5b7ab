import type { EditorPointerEvent } from '../../model/editor-events';
import { StateNode } from '../../model/state-node';

/** No selection yet: a click (or Shift+click) starts one; Alt+click has nothing to take away from. */
export class WandIdle extends StateNode {
  readonly id = 'idle';

  override onPointerDown(e: EditorPointerEvent): void {
    if (e.button === 0 && !e.altKey) this.parent!.transition('selecting', e);
  }
}
