/**
 * The studio API where it reads or takes stored JSON, with the real handlers on a real project file:
 * annotation shapes on save and on read, interpreters' and runs' JSON in their lists. Damaged, older
 * and newer copies become sentences (or, for shapes the label map does not need, a notice), never a
 * crash, and a refused save writes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvent, ApiResult } from '../../../shared/api';
import { shapesEnvelope } from '../../../shared/annotation-shapes';
import { Project } from '../../project';
import { sampleRows, squareMap, tinyModel, TINY } from '../../project/test/tiny-data';
import { dispatch } from '../dispatch';
import { createHandlers } from '../handlers';
import { StudioHost } from '../studio-host';
import { noCompute, stubServices } from './stub-host';

const square = { id: 'a', kind: 'polygon' as const, classId: 1, rings: [[4, 4, 12, 4, 12, 12, 4, 12]] };
const SHAPES = shapesEnvelope([{ ...square, fillRule: 'nonzero' }]);

let host: StudioHost | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await host?.dispose();
  host = null;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A project (a model, four samples, whatever `fill` adds) opened in a studio: its API, events and file. */
async function studio(fill: (p: Project, sampleIds: string[]) => void) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-envelopes-'));
  dirs.push(dir);
  const file = path.join(dir, 'p.dgs');
  const p = Project.create(file, { classes: [{ name: 'background' }, { name: 'head' }], author: 'tester' });
  p.embedModel(tinyModel());
  fill(
    p,
    p.addSamples(sampleRows([1, 2, 3, 4])).map((s) => s.id),
  );
  p.dispose();
  host = new StudioHost(stubServices(), noCompute);
  const events: ApiEvent[] = [];
  host.onEvent((e) => events.push(e));
  const handlers = createHandlers(host);
  await host.openProject(file);
  const call = (channel: string, payload: unknown) => dispatch(handlers, channel, payload);
  return { call, events, file, project: () => host!.open.project };
}

function annotate(p: Project, sampleId: string, shapes: unknown): void {
  p.saveAnnotation(sampleId, { width: TINY.resolution, height: TINY.resolution, labelMap: squareMap(1), shapes });
}

const notices = (events: ApiEvent[]) => events.flatMap((e) => (e.type === 'notice' ? [e.message] : []));
const value = <T>(r: ApiResult<T>): T => {
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('annotation shapes through the API', () => {
  it("reads today's shapes and older bare ones; leaves out damaged ones with a notice; refuses newer ones", async () => {
    const ids: string[] = [];
    const { call, events, file } = await studio((p, samples) => {
      ids.push(...samples);
      annotate(p, samples[0], SHAPES);
      annotate(p, samples[1], []);
      annotate(p, samples[2], { ...SHAPES, shapes: [{ ...square, rings: 'round' }] });
      annotate(p, samples[3], { ...SHAPES, version: 2 });
    });
    const shapesOf = async (i: number) =>
      (value(await call('annotation:get', { sampleId: ids[i] })) as { shapes: unknown }).shapes;
    expect(await shapesOf(0)).toEqual(SHAPES);
    expect(await shapesOf(1)).toBeNull();
    expect(notices(events)).toEqual([]);

    const damaged = value(await call('annotation:get', { sampleId: ids[2] })) as {
      labelMap: Uint8Array;
      shapes: unknown;
    };
    expect([damaged.shapes, [...damaged.labelMap]]).toEqual([null, [...squareMap(1)]]);
    expect(notices(events)).toEqual([
      `The list of vector shapes of this sample's annotation in ${file} is damaged (shapes.0.rings: expected array, received string); its label map is intact and opens without them, so redraw the polygons to edit them as shapes again.`,
    ]);

    expect(await call('annotation:get', { sampleId: ids[3] })).toEqual({
      ok: false,
      message: `The list of vector shapes of this sample's annotation in ${file} was written by a newer DatasetGAN Studio (version 2; this build reads up to 1); update DatasetGAN Studio to read it.`,
    });
  });

  it("saves today's envelope and refuses damaged shapes with a sentence, writing nothing", async () => {
    const ids: string[] = [];
    const { call, project } = await studio((_p, samples) => ids.push(...samples));
    const save = (shapes: unknown) =>
      call('annotation:save', { sampleId: ids[0], labelMap: squareMap(1), shapes, baseRevision: 0, author: 'ann' });
    for (const bad of [{ tag: 1 }, { ...SHAPES, version: 2 }, { ...SHAPES, shapes: [{ ...square, classId: -1 }] }]) {
      const r = await save(bad);
      expect(r.ok).toBe(false);
      expect((r as { message: string }).message).toMatch(/^The field “shapes[^”]*” .*\.$/);
    }
    expect(project().getAnnotation(ids[0])).toBeNull();
    expect(value(await save(SHAPES))).toEqual({ revision: 1 });
    expect(project().getAnnotation(ids[0])!.shapes).toEqual(SHAPES);
  });
});

describe("interpreters' and runs' JSON in their lists", () => {
  it('lists a damaged interpreter or run as a sentence naming it, not a crash', async () => {
    let interpreterId = '';
    let runId = '';
    const { call, file } = await studio((p) => {
      interpreterId = p.saveInterpreter({ config: { members: 3 }, weights: new Uint8Array([1]), metrics: {} }).id;
      runId = p.addGenerationRun({ config: { count: 'ten' }, outDir: '/data/out' }).id;
    });
    expect(await call('interpreters:list', {})).toEqual({
      ok: false,
      message: `The config of interpreter ${interpreterId.slice(0, 8)} in ${file} is damaged (format: expected "dgs-interpreter"); train the interpreter again or restore a backup copy.`,
    });
    expect(await call('runs:list', {})).toEqual({
      ok: false,
      message: `The config of generation run ${runId.slice(0, 8)} in ${file} is damaged (count: expected number, received string); restore a backup copy of the project, or start the run again.`,
    });
  });

  it("lists today's runs with their progress, result and count", async () => {
    const { call } = await studio((p) => {
      const { id } = p.addGenerationRun({ config: { count: 10, psi: 0.7 }, outDir: '/data/out' });
      p.updateGenerationRun(id, { status: 'running', progress: { done: 4, total: 12 } });
    });
    const [run] = value(await call('runs:list', {})) as { progress: unknown; result: unknown; count: number }[];
    expect([run.progress, run.result, run.count]).toEqual([{ done: 4, total: 12 }, null, 10]);
  });
});
