/**
 * The sessions of the samples a labeler has opened, kept outside any component so that undo/redo
 * survives moving to another sample and back. Opening a sample again reuses its session, history
 * included, when the label map handed in is the one the session holds (the usual case: it is what
 * autosave wrote); a different map (someone else's newer save, an import) starts a fresh session.
 * The least recently opened sessions are dropped beyond `maxSessions`.
 */
import './zod-jitless';
import { readShapes } from '../../../../shared/annotation-shapes';
import type { HistoryLimits } from './history';
import { SampleSession } from './sample-session';

export interface SampleInit {
  width: number;
  height: number;
  /** width·height class ids, row-major (the session keeps its own copy). */
  labelMap: Uint8Array;
  /** The annotation's stored `shapes` value (a "dgs-shapes" envelope), or null/[] for none. */
  shapes: unknown;
}

export interface AnnotationStoreOptions {
  maxSessions?: number;
  historyLimits?: HistoryLimits;
}

function samePixels(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class AnnotationStore {
  private readonly sessions = new Map<string, SampleSession>();
  private readonly maxSessions: number;

  constructor(private readonly options: AnnotationStoreOptions = {}) {
    this.maxSessions = options.maxSessions ?? 32;
  }

  /** The session of a sample, reused when it still holds exactly this label map. */
  open(sampleId: string, init: SampleInit): SampleSession {
    const existing = this.sessions.get(sampleId);
    this.sessions.delete(sampleId);
    let session: SampleSession;
    if (
      existing &&
      existing.width === init.width &&
      existing.height === init.height &&
      samePixels(existing.raster.pixels, init.labelMap)
    ) {
      session = existing;
    } else {
      existing?.dispose();
      session = new SampleSession(
        sampleId,
        init.width,
        init.height,
        init.labelMap,
        readShapes(init.shapes),
        this.options.historyLimits,
      );
    }
    this.sessions.set(sampleId, session);
    for (const [id, s] of this.sessions) {
      if (this.sessions.size <= this.maxSessions) break;
      this.sessions.delete(id);
      s.dispose();
    }
    return session;
  }

  get(sampleId: string): SampleSession | undefined {
    return this.sessions.get(sampleId);
  }

  /** Drop a sample's session and history (e.g. after its annotation was deleted). */
  forget(sampleId: string): void {
    this.sessions.get(sampleId)?.dispose();
    this.sessions.delete(sampleId);
  }

  get size(): number {
    return this.sessions.size;
  }
}
