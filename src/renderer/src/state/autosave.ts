/**
 * Autosave of annotations: after each editor step the snapshot waits a moment (more steps replace it),
 * then goes to `annotation:save` with the revision it was based on. One save per sample at a time, never
 * blocking drawing. A save the project refuses as a conflict (someone else saved a newer revision) is
 * reported with the engine's sentence and the sample is saved no more, so their work is not overwritten;
 * any other failure (a full disk, a project gone read-only) shows its sentence, and the next edit or
 * flush tries again with everything unsaved. What follows a save (the sample's row, the counts, the quick
 * cross-validation) is the engine's to start and announce.
 */
import type { EditorSnapshot } from '../canvas/model/editor';
import { call, isConflict, isOffline, messageOf } from '../api/client';
import { requireAuthor } from './actions';
import { store } from './store';

const DEBOUNCE_MS = 400;

interface SampleSaves {
  revision: number;
  pending: EditorSnapshot | null;
  /** The snapshot whose save failed (not a conflict): sent again unless a newer one replaces it. */
  failed: EditorSnapshot | null;
  timer: ReturnType<typeof setTimeout> | null;
  inFlight: Promise<void> | null;
  lastSentVersion: number;
  /** Refused as a conflict: nothing more is sent for this sample until it is loaded again. */
  refused: boolean;
}

export class Autosaver {
  private readonly samples = new Map<string, SampleSaves>();

  /** The revision the sample's annotation had when the editor loaded it (0: none yet). */
  loaded(sampleId: string, revision: number): void {
    const s = this.samples.get(sampleId);
    if (!s || (!s.pending && !s.inFlight))
      this.samples.set(sampleId, {
        revision,
        pending: null,
        failed: null,
        timer: null,
        inFlight: null,
        lastSentVersion: -1,
        refused: false,
      });
  }

  /** The revision the studio knows for this sample (what a reload should find). */
  revisionOf(sampleId: string): number | null {
    return this.samples.get(sampleId)?.revision ?? null;
  }

  schedule(snapshot: EditorSnapshot): void {
    const s = this.samples.get(snapshot.sampleId);
    if (!s || s.refused) return;
    s.pending = snapshot;
    store.set({ saveState: 'saving' });
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = null;
      void this.flush(snapshot.sampleId);
    }, DEBOUNCE_MS);
  }

  /** Save what is pending now, or what failed last time (before leaving the page, or in tests). */
  async flush(sampleId: string): Promise<void> {
    const s = this.samples.get(sampleId);
    if (!s || s.refused) return;
    while (s.inFlight) await s.inFlight;
    const snap = s.pending ?? s.failed;
    if (!snap || snap.version <= s.lastSentVersion) return;
    const author = requireAuthor();
    if (!author) return; // the name dialog is open; the next step saves
    s.pending = null;
    s.failed = null;
    // This sends what the debounce was waiting to send.
    if (s.timer) clearTimeout(s.timer);
    s.timer = null;
    s.inFlight = (async () => {
      try {
        const { revision } = await call('annotation:save', {
          sampleId,
          labelMap: snap.labelMap,
          shapes: snap.shapes,
          baseRevision: s.revision,
          author,
        });
        s.revision = revision;
        s.lastSentVersion = snap.version;
        if (![...this.samples.values()].some((x) => x.pending || x.timer || x.failed))
          store.set({ saveState: 'saved' });
      } catch (e) {
        if (isConflict(e)) s.refused = true;
        // Never queued again by itself (a lasting failure would loop); an edit made meanwhile holds it all.
        // An unreachable server is saved to when the page reconnects (AnnotateView flushes then).
        else s.failed = s.pending ? null : snap;
        store.set(isOffline(e) ? { saveState: 'failed' } : { saveState: 'failed', error: messageOf(e) });
      } finally {
        s.inFlight = null;
      }
    })();
    await s.inFlight;
    if (s.pending) await this.flush(sampleId);
  }

  async flushAll(): Promise<void> {
    await Promise.all([...this.samples.keys()].map((id) => this.flush(id)));
  }
}
