/** Eraser: the brush, painting background (class 0). Locked classes stay, as with every tool. */
import { BrushTool } from '../brush/BrushTool';

export class EraserTool extends BrushTool {
  override readonly id = 'eraser';

  override paintClass(): number {
    return 0;
  }
}
