/**
 * The JSON documents of a dataset folder, read the one way (readEnvelope) when a run is resumed,
 * finished or merged: run.json, the manifest's lines and the work folder's COCO fragments. Today's copy
 * reads back as written; damaged, older and newer copies are refused with a sentence naming the file
 * and what to do, and the refused command changes nothing in the folder.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GenerationOptions } from '../../../shared/dataset-types';
import { readPlan } from '../finalize';
import { runGeneration } from '../generate';
import { manifestLine, readManifest } from '../journal';
import { mergeShards } from '../merge';
import { planToJson } from '../run-plan';
import { listFiles } from './helpers';
import { shapeSource } from './shape-source';

const tmp = mkdtempSync(join(tmpdir(), 'dgs-envelopes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;
const newDir = (): string => join(tmp, `run${dirs++}`);

const BASE: Omit<GenerationOptions, 'outDir'> = { count: 6, filter: 0.25, formats: ['coco'], seed: 7, batch: 2 };

/** A run cancelled after `done` samples: resumable, its COCO fragments still in the work folder. */
async function cancelledRun(done = 4): Promise<string> {
  const dir = newDir();
  const ac = new AbortController();
  await runGeneration(shapeSource(), {
    ...BASE,
    outDir: dir,
    signal: ac.signal,
    onProgress: (p) => {
      if (p.done >= done) ac.abort();
    },
  });
  return dir;
}

/** Every file's bytes, to prove a refused command left the folder alone. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));
}

/** The sentence a refused resume gives; the folder is checked to be unchanged. */
async function refusedResume(dir: string): Promise<string> {
  const before = snapshot(dir);
  let message = '';
  await runGeneration(shapeSource(), { ...BASE, outDir: dir, resume: true }).catch((e: Error) => {
    expect(e.name).toBe('UserError');
    message = e.message;
  });
  expect(snapshot(dir)).toEqual(before);
  return message;
}

function editJson(file: string, edit: (doc: Record<string, unknown>) => unknown): void {
  writeFileSync(file, JSON.stringify(edit(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)));
}

describe('run.json', () => {
  it("today's copy reads back to the same bytes", async () => {
    const dir = await cancelledRun();
    const text = readFileSync(join(dir, 'run.json'), 'utf8');
    expect(planToJson(await readPlan(dir))).toBe(text);
  });

  it('a damaged, older or newer copy stops a resume with a sentence and leaves the folder alone', async () => {
    const cases: [edit: (doc: Record<string, unknown>) => unknown, expected: string][] = [
      [(d) => ({ ...d, count: 'six' }), 'is damaged (count: expected number, received string)'],
      [(d) => ({ ...d, classes: [] }), 'is damaged (classes: '],
      [(d) => ({ ...d, version: 0 }), 'is damaged (version 0 never existed)'],
      [(d) => ({ ...d, format: 'other' }), 'is damaged (it is a "other" document, not "dgs-generation-run")'],
      [(d) => ({ ...d, version: 2 }), 'was written by a newer DatasetGAN Studio (version 2; this build reads up to 1)'],
    ];
    for (const [edit, expected] of cases) {
      const dir = await cancelledRun();
      editJson(join(dir, 'run.json'), edit);
      const message = await refusedResume(dir);
      expect(message).toContain(`${join(dir, 'run.json')} ${expected}`);
      expect(message).toMatch(
        /; (generate the dataset again into an empty folder instead of .+|update .+ to read it)\.$/,
      );
    }
  });

  it('a damaged shard is refused by the merge, naming the shard', async () => {
    const shards = [newDir(), newDir()];
    for (const [i, dir] of shards.entries())
      await runGeneration(shapeSource(), { ...BASE, outDir: dir, shard: { index: i, count: 2 } });
    editJson(join(shards[1], 'run.json'), (d) => ({ ...d, shard: { index: 'one', count: 2 } }));
    const out = newDir();
    await expect(mergeShards(shards, out)).rejects.toMatchObject({
      name: 'UserError',
      message: expect.stringContaining(`${join(shards[1], 'run.json')} is damaged (shard.index: expected number`),
    });
  });
});

describe('manifest.jsonl', () => {
  it("today's lines read back to the same bytes", async () => {
    const dir = await cancelledRun();
    const lines: string[] = [];
    for await (const r of readManifest(join(dir, 'manifest.jsonl'))) lines.push(manifestLine(r));
    expect(lines.join('')).toBe(readFileSync(join(dir, 'manifest.jsonl'), 'utf8'));
  });

  it('a damaged or newer line stops a resume with a sentence naming the line', async () => {
    const cases: [edit: (line: Record<string, unknown>) => unknown, expected: string][] = [
      [(l) => ({ ...l, score: 'low' }), 'is damaged (score: expected number, received string)'],
      [(l) => ({ ...l, status: 'maybe' }), 'is damaged (status: '],
      [() => 'not a record', 'is damaged (expected object, received string)'],
      [(l) => ({ ...l, version: 2 }), 'was written by a newer DatasetGAN Studio (version 2; this build reads up to 1)'],
    ];
    for (const [edit, expected] of cases) {
      const dir = await cancelledRun();
      const file = join(dir, 'manifest.jsonl');
      const lines = readFileSync(file, 'utf8').split('\n');
      lines[1] = JSON.stringify(edit(JSON.parse(lines[1]) as Record<string, unknown>));
      writeFileSync(file, lines.join('\n'));
      expect(await refusedResume(dir)).toContain(`Line 2 of ${file} ${expected}`);
    }
    const dir = await cancelledRun();
    writeFileSync(join(dir, 'manifest.jsonl'), '{"name": \n' + readFileSync(join(dir, 'manifest.jsonl'), 'utf8'));
    expect(await refusedResume(dir)).toMatch(/^Line 1 of .+ is damaged \(not JSON\); delete the dataset folder/);
  });
});

describe('COCO fragments in the work folder', () => {
  it('a damaged fragment stops the finishing step with a sentence naming it', async () => {
    const dir = await cancelledRun();
    const fragments = join(dir, '.dgs-work', 'coco');
    const first = join(fragments, readdirSync(fragments).sort()[0]);
    editJson(first, (f) => [{ ...(f as unknown as object[])[0], bbox: [0, 0] }]);
    await expect(runGeneration(shapeSource(), { ...BASE, outDir: dir, resume: true })).rejects.toMatchObject({
      name: 'UserError',
      message: `${first} is damaged (0.bbox: Too small: expected array to have >=4 items); delete the dataset folder and generate again.`,
    });
  });
});
