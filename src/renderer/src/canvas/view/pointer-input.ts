/**
 * Pointer and wheel input on the canvas element: presses, moves (every coalesced sample, so fast
 * strokes keep their shape) and releases go to the editor in image pixels; the middle button, or the
 * primary button while space is held, pans; the wheel zooms around the pointer. The pointer is
 * captured during a press so strokes continue past the canvas edge.
 */
import type { Editor } from '../model/editor';
import type { EditorPointerEvent } from '../model/editor-events';
import type { Disposable } from '../../../../shared/lifecycle';
import type { Viewport } from './viewport';
import { toImage } from './viewport';

/** Screen distance that still hits a vertex or an edge. */
const HIT_CSS_PX = 6;

export interface PointerHost {
  readonly element: HTMLElement;
  viewport(): Viewport;
  panBy(dx: number, dy: number): void;
  zoomAround(vx: number, vy: number, factor: number): void;
  /** Space is held (pan mode). */
  spaceHeld(): boolean;
  /**
   * Called after the editor handled a press, a move while pressed or a release, with the event's
   * creation time and when its handler started (both performance.now() time).
   */
  handled?(event: 'down' | 'move' | 'up', eventTime: number, handlerStart: number): void;
}

export class PointerInput implements Disposable {
  private panning: { x: number; y: number } | null = null;
  private pressed = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly host: PointerHost,
    private readonly editor: Editor,
  ) {
    const el = host.element;
    const opts = { signal: this.abort.signal };
    el.addEventListener('pointerdown', (e) => this.down(e), opts);
    el.addEventListener('pointermove', (e) => this.move(e), opts);
    el.addEventListener('pointerup', (e) => this.up(e), opts);
    el.addEventListener('pointercancel', () => this.cancel(), opts);
    el.addEventListener('pointerleave', () => !this.pressed && this.editor.pointerLeave(), opts);
    el.addEventListener('wheel', (e) => this.wheel(e), { signal: this.abort.signal, passive: false });
    el.addEventListener('contextmenu', (e) => e.preventDefault(), opts);
  }

  private toEditor(e: PointerEvent): EditorPointerEvent {
    const rect = this.host.element.getBoundingClientRect();
    const v = this.host.viewport();
    return {
      point: toImage(v, e.clientX - rect.left, e.clientY - rect.top),
      button: e.button < 0 ? 0 : e.button,
      shiftKey: e.shiftKey,
      ctrlKey: e.ctrlKey || e.metaKey,
      altKey: e.altKey,
      hitRadius: HIT_CSS_PX / v[0],
    };
  }

  private down(e: PointerEvent): void {
    const start = performance.now();
    this.host.element.focus({ preventScroll: true });
    if (e.button === 1 || (e.button === 0 && this.host.spaceHeld())) {
      e.preventDefault();
      this.panning = { x: e.clientX, y: e.clientY };
      this.host.element.setPointerCapture(e.pointerId);
      return;
    }
    if (e.button !== 0) return;
    this.pressed = true;
    this.host.element.setPointerCapture(e.pointerId);
    this.editor.pointerDown(this.toEditor(e));
    this.host.handled?.('down', e.timeStamp, start);
  }

  private move(e: PointerEvent): void {
    const start = performance.now();
    if (this.panning) {
      this.host.panBy(e.clientX - this.panning.x, e.clientY - this.panning.y);
      this.panning = { x: e.clientX, y: e.clientY };
      return;
    }
    const samples = this.pressed && typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const c of samples.length > 0 ? samples : [e]) this.editor.pointerMove(this.toEditor(c));
    if (this.pressed) this.host.handled?.('move', e.timeStamp, start);
  }

  private up(e: PointerEvent): void {
    if (this.panning) {
      this.panning = null;
      return;
    }
    if (!this.pressed) return;
    const start = performance.now();
    this.pressed = false;
    this.editor.pointerUp(this.toEditor(e));
    this.host.handled?.('up', e.timeStamp, start);
  }

  private cancel(): void {
    this.panning = null;
    if (this.pressed) this.editor.cancel();
    this.pressed = false;
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    const rect = this.host.element.getBoundingClientRect();
    // Trackpads send many small deltas, wheels a few large ones: an exponential keeps both smooth.
    const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
    this.host.zoomAround(e.clientX - rect.left, e.clientY - rect.top, factor);
  }

  dispose(): void {
    this.abort.abort();
  }
}
