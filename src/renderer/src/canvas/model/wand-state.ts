/**
 * The feature wand's selection in progress, between the wand tool (which adds clicks) and the view (which
 * shows the preview and the hint). Answers come from a `WandSource` the studio provides (the API's
 * `wand:select`). Clicks can come faster than answers on a busy CPU, so at most one request is in flight
 * and only the newest waiting one follows it: the preview always ends on the latest clicks.
 */
import type { WandClick, WandSelection } from '../../../../shared/wand';
import { Emitter } from './emitter';

export interface WandRequest {
  sampleId: string;
  clicks: WandClick[];
  tolerance: number;
  classId: number;
}

/** Where the wand's answers come from (the studio: the API; tests: compute directly). */
export type WandSource = (req: WandRequest) => Promise<WandSelection>;

export interface WandPreview {
  readonly sampleId: string;
  /** Every click so far (the mask may still answer fewer of them while `pending`). */
  readonly clicks: readonly WandClick[];
  readonly classId: number;
  /** The newest answer (width·height, 1 = selected), null before the first. */
  readonly mask: Uint8Array | null;
  /** An answer is awaited; 'preparing' when this sample's features have not been read yet (its first click runs the generator). */
  readonly pending: 'matching' | 'preparing' | null;
  readonly error: string | null;
  /** The project's interpreter guided the last answer. */
  readonly guided: boolean;
}

export class WandState {
  private sourceValue: WandSource | null = null;
  private previewValue: WandPreview | null = null;
  /** Samples whose features compute has read (an answer came back for them). */
  private readonly ready = new Set<string>();
  private inFlight = false;
  private queued: WandRequest | null = null;
  /** Bumped by clear(): answers to a dropped selection are ignored. */
  private generation = 0;
  private readonly changes = new Emitter<void>();
  /** The preview changed (clicks, answer, pending state or error). */
  readonly onDidChange = this.changes.event;

  get source(): WandSource | null {
    return this.sourceValue;
  }

  setSource(source: WandSource | null): void {
    this.sourceValue = source;
  }

  get preview(): WandPreview | null {
    return this.previewValue;
  }

  /** Shows the clicks at once and asks for their selection. */
  request(req: WandRequest): void {
    const prev = this.previewValue?.sampleId === req.sampleId ? this.previewValue : null;
    if (!this.sourceValue) {
      this.set({
        ...req,
        mask: null,
        pending: null,
        guided: false,
        error: 'The wand needs the studio: open the sample there.',
      });
      return;
    }
    this.set({
      ...req,
      mask: prev?.mask ?? null,
      guided: prev?.guided ?? false,
      pending: this.ready.has(req.sampleId) ? 'matching' : 'preparing',
      error: null,
    });
    this.queued = req;
    this.pump();
  }

  /**
   * The mask for exactly this request, to keep: the preview's when it answers it, otherwise asked for
   * again (compute has the features by then, so it is quick). Null when the wand cannot answer.
   */
  async answer(req: WandRequest): Promise<Uint8Array | null> {
    const p = this.previewValue;
    if (p && p.pending === null && p.error === null && p.mask && p.sampleId === req.sampleId && p.clicks === req.clicks)
      return p.mask;
    return this.sourceValue ? (await this.sourceValue(req)).mask : null;
  }

  /** Shows a sentence in place of a selection (a commit that failed). */
  fail(sampleId: string, message: string): void {
    this.set({ sampleId, clicks: [], classId: 0, mask: null, pending: null, guided: false, error: message });
  }

  /** Drops the selection (and any answer still on its way). */
  clear(): void {
    this.generation++;
    this.queued = null;
    if (this.previewValue) this.set(null);
  }

  dispose(): void {
    this.clear();
    this.changes.dispose();
  }

  private set(preview: WandPreview | null): void {
    this.previewValue = preview;
    this.changes.fire();
  }

  private pump(): void {
    if (this.inFlight || !this.queued || !this.sourceValue) return;
    const req = this.queued;
    const generation = this.generation;
    this.queued = null;
    this.inFlight = true;
    const current = () => generation === this.generation && this.previewValue !== null;
    void this.sourceValue(req)
      .then(
        (answer) => {
          this.ready.add(req.sampleId);
          if (!current()) return;
          this.set({
            ...this.previewValue!,
            mask: answer.mask,
            guided: answer.guided,
            error: null,
            pending: this.queued ? this.previewValue!.pending : null,
          });
        },
        (e: unknown) => {
          if (current())
            this.set({ ...this.previewValue!, pending: null, error: e instanceof Error ? e.message : String(e) });
        },
      )
      .finally(() => {
        this.inFlight = false;
        this.pump();
      });
  }
}

const KEYS = 'Shift adds, Alt removes, [ ] tolerance';

/** The hint line under the canvas while the wand is the tool: the click count and the keys, or what it waits for. */
export function wandHintText(p: WandPreview | null): string {
  if (p?.error) return p.error;
  if (!p || p.clicks.length === 0) return `Click a part to select it by the generator's features · ${KEYS}`;
  if (p.pending === 'preparing')
    return "Reading this sample's generator features (its first click runs the generator)…";
  const n = p.clicks.length;
  const guide = p.guided ? ' · guided by the interpreter' : '';
  return `${n} click${n === 1 ? '' : 's'} · ${KEYS} · Enter keeps, Esc drops${guide}`;
}
