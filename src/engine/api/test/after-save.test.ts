/**
 * What follows an annotation save, on a real project (the tiny bundle) through `dgs serve`'s HTTP
 * transport and the real handlers: the event carries the saved sample's row and the new summary, the
 * host starts the quick cross-validation by itself (nobody asks for `train:quick-cv`), one at a time and
 * replaced by a newer save's, and a stale save is refused with the machine-readable code 'conflict'
 * while other refusals carry none.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalCompute } from '../../../compute';
import type { ApiEvent, JobEvent, ProjectEvent } from '../../../shared/api';
import type { Compute } from '../../../shared/compute-api';
import { fromWire, toWire } from '../../../shared/wire';
import { makeTinyProject } from '../../jobs/test/tiny-project';
import { createHandlers } from '../handlers';
import { startStudioServer, type StudioServer } from '../http-server';
import { StudioHost } from '../studio-host';
import { stubServices } from './stub-host';

const TOKEN = 'after-save-token-0123456789';
const R = 32;
const DELAY = 150;
let tmp: string;
let file: string;
let server: StudioServer;
let host: StudioHost;
const events: ApiEvent[] = [];
const requested: string[] = [];
/** While set, training waits for it (or for its cancel), so a check is surely still running when a newer one starts. */
let hold: Promise<void> | null = null;

/** The real compute, whose training can be held at its start. */
function holdable(compute: Compute): Compute {
  return {
    ...compute,
    async train(ref, req, ctl) {
      if (hold)
        await Promise.race([
          hold,
          new Promise<never>((_, reject) =>
            ctl?.signal?.addEventListener('abort', () => reject(new DOMException('Cancelled', 'AbortError'))),
          ),
        ]);
      return compute.train(ref, req, ctl);
    },
  };
}

async function api(
  channel: string,
  payload: unknown,
): Promise<{ ok: boolean; value?: unknown; message?: string; code?: string }> {
  requested.push(channel);
  const res = await fetch(`${server.url}api/${channel}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'X-DGS-Request': '1', 'Content-Type': 'application/json' },
    body: toWire(payload),
  });
  return fromWire(await res.text()) as { ok: boolean; value?: unknown; message?: string; code?: string };
}

const cvEvents = () =>
  events.filter((e): e is Extract<JobEvent, { kind: 'cv' }> => e.type === 'job' && e.kind === 'cv');
const started = () => cvEvents().filter((e) => e.state === 'started');

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function save(sampleId: string, baseRevision: number, fill: number) {
  return api('annotation:save', {
    sampleId,
    labelMap: new Uint8Array(R * R).map((_, i) => (i % R < fill ? 1 : 0)),
    shapes: [],
    baseRevision,
    author: 'Ada',
  });
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-after-save-'));
  file = path.join(tmp, 'after-save.dgs');
  const compute = openLocalCompute();
  await makeTinyProject(file, compute, [0, 1, 2]);
  const services = stubServices({ mayUseProject: (f) => path.resolve(f) === path.resolve(file) });
  host = new StudioHost(services, holdable(compute), { quickCvDelayMs: DELAY });
  host.onEvent((e) => events.push(e));
  server = await startStudioServer({
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    rendererDir: tmp,
    handlers: createHandlers(host),
    onEvent: (l) => host.onEvent(l),
  });
  await api('project:open', { file });
});
afterAll(async () => {
  await server?.dispose();
  await host?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('after an annotation save', () => {
  it('announces the sample row and the summary, then starts one quick cross-validation by itself', async () => {
    const rows = (await api('samples:list', {})).value as { id: string; annotation: { revision: number } }[];
    const [first] = rows;
    events.length = 0;
    // Two saves in a row (an autosave burst): one announcement each, one check after the last.
    const a = await save(first.id, first.annotation.revision, 5);
    const b = await save(first.id, (a.value as { revision: number }).revision, 9);
    expect(b.ok).toBe(true);
    const revision = (b.value as { revision: number }).revision;
    const announced = events.filter((e): e is ProjectEvent => e.type === 'project');
    expect(announced.map((e) => e.changed)).toEqual(['annotations', 'annotations']);
    const last = announced[1] as Exclude<ProjectEvent, { changed: 'opened' | 'closed' }>;
    expect(last.samples).toEqual([
      expect.objectContaining({ id: first.id, annotation: expect.objectContaining({ author: 'Ada', revision }) }),
    ]);
    expect(last.summary.counts.annotations).toBe(3);
    expect(last.summary.classes.find((c) => c.index === 1)!.pixels).toBeGreaterThan(0);

    expect(started()).toEqual([]); // not before the pause
    await until('the quick check to start', () => started().length > 0);
    await until('the quick check to end', () => cvEvents().some((e) => e.state === 'done' || e.state === 'failed'));
    expect(started()).toHaveLength(1);
    const end = cvEvents().at(-1)!;
    expect(end).toMatchObject({ state: 'done', result: { annotated: 3 } });
    expect(requested).not.toContain('train:quick-cv');
  });

  it('replaces a running check with the one a newer save starts', async () => {
    const [first] = (await api('samples:list', {})).value as { id: string; annotation: { revision: number } }[];
    events.length = 0;
    let release = () => {};
    hold = new Promise((r) => (release = r));
    await save(first.id, first.annotation.revision, 3);
    await until('the first check to start', () => started().length === 1);
    const [{ jobId: replaced }] = started();
    const [again] = (await api('samples:list', {})).value as { id: string; annotation: { revision: number } }[];
    await save(again.id, again.annotation.revision, 7);
    await until('the second check to start', () => started().length === 2);
    hold = null;
    release();
    await until('the first check to end', () =>
      cvEvents().some((e) => e.jobId === replaced && e.state !== 'started' && e.state !== 'running'),
    );
    expect(
      cvEvents().find((e) => e.jobId === replaced && e.state !== 'started' && e.state !== 'running'),
    ).toMatchObject({
      state: 'cancelled',
    });
    await until('the second check to end', () => cvEvents().filter((e) => e.state === 'done').length === 1);
  });

  it('refuses a save from a stale revision with the code conflict; other refusals carry no code', async () => {
    const [first] = (await api('samples:list', {})).value as { id: string; annotation: { revision: number } }[];
    const stale = await save(first.id, first.annotation.revision - 1, 4);
    expect(stale).toMatchObject({ ok: false, code: 'conflict', message: expect.stringMatching(/changed elsewhere/) });
    const wrongSize = await api('annotation:save', {
      sampleId: first.id,
      labelMap: new Uint8Array(10),
      shapes: [],
      baseRevision: first.annotation.revision,
      author: 'Ada',
    });
    expect(wrongSize).toMatchObject({ ok: false, message: expect.stringMatching(/32×32 pixels/) });
    expect(wrongSize.code).toBeUndefined();
  });

  it('starts no check while fewer than two samples are annotated', async () => {
    const rows = (await api('samples:list', {})).value as { id: string; annotation: { revision: number } }[];
    await until('no check running', () => host.jobs.busy('cv') === null);
    for (const r of rows.slice(1)) host.open.project.deleteAnnotation(r.id);
    events.length = 0;
    await save(rows[0].id, rows[0].annotation.revision, 6);
    await new Promise((r) => setTimeout(r, DELAY * 4));
    expect(started()).toEqual([]);
  });
});
