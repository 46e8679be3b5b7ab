/**
 * The real Autosaver, client and store against a scripted bridge (window.dgs answers as the engine's
 * dispatch does): only a conflict stops a sample's saves; any other refusal shows its sentence and the
 * next edit, or a flush, sends everything unsaved again.
 */
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResult } from '../../../../shared/api';
import type { EditorSnapshot } from '../../canvas/model/editor';
import { Autosaver } from '../autosave';
import { initialState, store } from '../store';

type Save = { sampleId: string; baseRevision: number; labelMap: Uint8Array };
const sent: Save[] = [];
let answer: (req: Save) => ApiResult<{ revision: number }> = () => ({ ok: false, message: 'unset' });

(globalThis as { window?: unknown }).window = {
  dgs: {
    'annotation:save': async (req: Save) => {
      sent.push(req);
      return answer(req);
    },
  },
};

const accept = (req: Save): ApiResult<{ revision: number }> => ({
  ok: true,
  value: { revision: req.baseRevision + 1 },
});
const diskFull = (): ApiResult<{ revision: number }> => ({
  ok: false,
  message: 'The disk holding faces.dgs is full; free some space and try again (nothing was saved).',
});
const conflict = (): ApiResult<{ revision: number }> => ({
  ok: false,
  code: 'conflict',
  message:
    'The annotation of sample seed 2 was changed elsewhere (it is at revision 3, your edit started from 1); reload it and try again.',
});

function snapshot(version: number): EditorSnapshot {
  return {
    sampleId: 's1',
    width: 2,
    height: 1,
    labelMap: Uint8Array.from([version, 0]),
    shapes: { format: 'dgs-shapes', version: 1, shapes: [] } as unknown as EditorSnapshot['shapes'],
    version,
  };
}

beforeEach(() => {
  vi.useFakeTimers();
  sent.length = 0;
  store.set({ ...initialState, author: 'Ada' });
});
afterAll(() => {
  vi.useRealTimers();
  delete (globalThis as { window?: unknown }).window;
});

describe('autosave', () => {
  it('keeps saving after a refusal that is not a conflict, and sends what failed with the next edit', async () => {
    const saver = new Autosaver();
    saver.loaded('s1', 0);
    answer = accept;
    saver.schedule(snapshot(1));
    await saver.flush('s1');
    expect(store.get().saveState).toBe('saved');

    answer = diskFull;
    saver.schedule(snapshot(2));
    await saver.flush('s1');
    expect(store.get()).toMatchObject({ saveState: 'failed', error: expect.stringMatching(/disk .* is full/) });

    answer = accept;
    saver.schedule(snapshot(3));
    await vi.runAllTimersAsync(); // the edit's own debounce sends it
    expect(sent.map((s) => [s.labelMap[0], s.baseRevision])).toEqual([
      [1, 0],
      [2, 1],
      [3, 1],
    ]);
    expect(saver.revisionOf('s1')).toBe(2);
    expect(store.get().saveState).toBe('saved');
  });

  it('sends a failed snapshot again on flush (leaving the sample) even without a newer edit', async () => {
    const saver = new Autosaver();
    saver.loaded('s1', 4);
    answer = diskFull;
    saver.schedule(snapshot(1));
    await saver.flush('s1');
    answer = accept;
    await saver.flush('s1');
    expect(sent.map((s) => s.labelMap[0])).toEqual([1, 1]);
    expect(saver.revisionOf('s1')).toBe(5);
    expect(store.get().saveState).toBe('saved');
  });

  it('stops saving a sample after a conflict, so the newer revision is not overwritten', async () => {
    const saver = new Autosaver();
    saver.loaded('s1', 1);
    answer = conflict;
    saver.schedule(snapshot(1));
    await saver.flush('s1');
    expect(store.get()).toMatchObject({ saveState: 'failed', error: expect.stringMatching(/changed elsewhere/) });
    answer = accept;
    saver.schedule(snapshot(2));
    await vi.runAllTimersAsync();
    await saver.flush('s1');
    expect(sent).toHaveLength(1);
    // Loading the sample again (its newer revision) lets the labeler go on from there.
    saver.loaded('s1', 3);
    saver.schedule(snapshot(3));
    await saver.flush('s1');
    expect(sent.map((s) => s.baseRevision)).toEqual([1, 3]);
  });
});
