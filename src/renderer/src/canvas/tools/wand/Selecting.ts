/**
 * A wand selection in progress: its clicks in label-grid pixels. A plain click starts over from that
 * click, Shift+click adds a positive one, Alt+click a negative one; changing the tolerance or the active
 * class asks again with the same clicks. Enter (or another tool) commits the answer to the newest clicks,
 * Escape or anything that interrupts (an undo, another sample) drops it.
 */
import type { Disposable } from '../../../../../shared/lifecycle';
import { maskCoverage, type WandClick } from '../../../../../shared/wand';
import type { EditorPointerEvent } from '../../model/editor-events';
import { StateNode } from '../../model/state-node';

export class Selecting extends StateNode {
  readonly id = 'selecting';
  private clicks: WandClick[] = [];
  private watch: Disposable | null = null;
  private asked = { tolerance: -1, classId: -1 };

  override onEnter(info: unknown): void {
    this.clicks = [];
    this.add(info as EditorPointerEvent);
    const settings = () => this.editor.settings;
    this.watch = this.editor.onDidChangeState(() => {
      const { wandTolerance, activeClass } = settings();
      if (wandTolerance !== this.asked.tolerance || activeClass !== this.asked.classId) this.ask();
    });
  }

  override onExit(): void {
    this.watch?.dispose();
    this.watch = null;
  }

  override onPointerDown(e: EditorPointerEvent): void {
    if (e.button !== 0) return;
    if (!e.shiftKey && !e.altKey) this.clicks = [];
    this.add(e);
  }

  override onComplete(): void {
    this.commit();
  }

  override onToolChange(): void {
    this.commit();
  }

  override onCancel(): void {
    this.drop();
  }

  override onInterrupt(): void {
    this.drop();
  }

  private add(e: EditorPointerEvent): void {
    const s = this.editor.session!;
    const x = Math.floor(e.point.x);
    const y = Math.floor(e.point.y);
    if (x < 0 || y < 0 || x >= s.width || y >= s.height) return;
    const positive = !e.altKey;
    if (!positive && this.clicks.length === 0) return;
    this.clicks = [...this.clicks, { x, y, positive }];
    this.ask();
  }

  private ask(): void {
    const { wandTolerance, activeClass } = this.editor.settings;
    this.asked = { tolerance: wandTolerance, classId: activeClass };
    if (this.clicks.length === 0) return;
    this.editor.wand.request({
      sampleId: this.editor.session!.sampleId,
      clicks: this.clicks,
      tolerance: wandTolerance,
      classId: activeClass,
    });
  }

  /** Paints the selection for the newest clicks as one undo step; the tool is free for the next one at once. */
  private commit(): void {
    const { editor } = this;
    const session = editor.session!;
    const req = {
      sampleId: session.sampleId,
      clicks: this.clicks,
      tolerance: this.asked.tolerance,
      classId: this.asked.classId,
    };
    const answer = editor.wand.answer(req);
    editor.wand.clear();
    this.parent!.transition('idle');
    void answer.then(
      (mask) => {
        if (mask && editor.session === session)
          editor.commitRegion('Wand', maskCoverage(mask, session.width, session.height), req.classId);
      },
      (e: unknown) => editor.wand.fail(req.sampleId, e instanceof Error ? e.message : String(e)),
    );
  }

  private drop(): void {
    this.editor.wand.clear();
    this.parent!.transition('idle');
  }
}
