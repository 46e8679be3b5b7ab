/**
 * Issue 14's "Done when", as a user's shell script would run it: project P with 4 samples on the tiny
 * ONNX bundle; labeler copies A and B; A labels samples 1–2, B labels 2–3; `dgs merge` → 1 and 3 carry
 * their labels, 2 is one conflict with both versions, `dgs info --json` lists it; `dgs resolve` leaves
 * none. Every command is the real `dgs` in its own process.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGrayPng } from '../../node/io/png';

const BIN = path.resolve('bin/dgs.js');
const TINY = path.resolve('e2e/fixtures/tiny-bundle');
const R = 32;
let tmp: string;

function dgs(author: string | null, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DGS_PROVIDER: '', DGS_CONFIG_DIR: path.join(tmp, 'config') };
  delete env.DGS_AUTHOR;
  if (author) env.DGS_AUTHOR = author;
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`dgs ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const digest = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A folder with one label PNG per sample id: a bar of class 1 whose width tells the labeler apart. */
function labels(dir: string, ids: string[], width: number): string {
  fs.mkdirSync(dir);
  for (const id of ids) {
    const map = new Uint8Array(R * R).map((_, i) => (i % R < width ? 1 : 0));
    fs.writeFileSync(path.join(dir, `${id}.png`), encodeGrayPng(map, R, R));
  }
  return dir;
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-sharing-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('two labelers, one project (issue 14 "Done when")', () => {
  it('merges A (samples 1–2) and B (samples 2–3) into one conflict on sample 2, which resolve settles', () => {
    const at = (f: string) => path.join(tmp, f);
    dgs('lead', 'init', at('P.dgs'), '--model', TINY, '--classes', 'background,red');
    dgs('lead', 'sample', at('P.dgs'), '--count', '4');
    const samples: { id: string; seed: number }[] = JSON.parse(
      dgs(null, 'info', at('P.dgs'), '--json', '--samples'),
    ).samples;
    expect(samples.map((s) => s.seed)).toEqual([0, 1, 2, 3]);
    const ids = samples.map((s) => s.id);
    dgs('lead', 'copy', at('P.dgs'), '-o', at('A.dgs'), '--for', 'alice', '--samples', 'seed-0,seed-1');
    dgs('lead', 'copy', at('P.dgs'), '-o', at('B.dgs'), '--for', 'bob', '--samples', ids[2]);
    dgs('alice', 'label', 'import', at('A.dgs'), labels(at('labels-a'), ids.slice(0, 2), 5));
    dgs('bob', 'label', 'import', at('B.dgs'), labels(at('labels-b'), ids.slice(1, 3), 9));
    const inputs = [digest(at('A.dgs')), digest(at('B.dgs'))];

    const said = dgs('lead', 'merge', at('A.dgs'), at('B.dgs'), '-o', at('M.dgs'));
    expect(said).toMatch(/Annotations: 1 taken from B\.dgs, 1 conflict to resolve\./);
    expect([digest(at('A.dgs')), digest(at('B.dgs'))]).toEqual(inputs);

    const info = JSON.parse(dgs(null, 'info', at('M.dgs'), '--json'));
    expect(info.conflicts).toHaveLength(1);
    expect(info.conflicts[0]).toMatchObject({
      sampleId: ids[1],
      mine: { author: 'alice' },
      theirs: { author: 'bob', source: 'B.dgs' },
    });
    expect(info.counts.annotations).toBe(3);
    expect(info.contributors.map((c: { name: string }) => c.name).sort()).toEqual(['alice', 'bob', 'lead']);

    // Samples 1 and 3 carry their labeler's labels; 2 shows mine (alice) until resolved.
    dgs(null, 'label', 'export', at('M.dgs'), '--out', at('export'));
    const exported = (id: string) => digest(path.join(at('export'), 'labels', `${id}.png`));
    expect(exported(ids[0])).toBe(digest(path.join(at('labels-a'), `${ids[0]}.png`)));
    expect(exported(ids[2])).toBe(digest(path.join(at('labels-b'), `${ids[2]}.png`)));
    expect(exported(ids[1])).toBe(digest(path.join(at('labels-a'), `${ids[1]}.png`)));

    expect(dgs('lead', 'resolve', at('M.dgs'), ids[1], '--keep', 'theirs')).toMatch(
      /Resolved 1 conflict \(kept theirs\); 0 conflicts left\./,
    );
    expect(JSON.parse(dgs(null, 'info', at('M.dgs'), '--json')).conflicts).toEqual([]);
    dgs(null, 'label', 'export', at('M.dgs'), '--out', at('export2'));
    expect(digest(path.join(at('export2'), 'labels', `${ids[1]}.png`))).toBe(
      digest(path.join(at('labels-b'), `${ids[1]}.png`)),
    );
  });
});

describe('a file of an older format on the command line', () => {
  it('is left as it was by a command that fails or only reads, and upgraded by one that changes it', () => {
    // The format-1 fixture's model bytes are placeholders, so only commands that never run the model are used here.
    const v1 = path.resolve('src/engine/project/fixtures/v1.dgs');
    const file = path.join(tmp, 'old.dgs');
    fs.copyFileSync(v1, file);
    const before = digest(file);
    const siblings = fs.readdirSync(tmp).sort();
    const failing = spawnSync(process.execPath, [BIN, 'resolve', file, 'nope', '--keep', 'mine', '--author', 'x'], {
      encoding: 'utf8',
      env: { ...process.env, DGS_CONFIG_DIR: path.join(tmp, 'config') },
    });
    expect(failing.stderr).toMatch(/has no sample with id nope/);
    dgs('lead', 'copy', file, '-o', path.join(tmp, 'old-plain-copy.dgs')); // reads only
    expect([digest(file), fs.readdirSync(tmp).sort()]).toEqual([before, [...siblings, 'old-plain-copy.dgs'].sort()]);
    expect(fs.readFileSync(path.join(tmp, 'old-plain-copy.dgs')).readInt32BE(60)).toBe(2);
    dgs('lead', 'copy', file, '-o', path.join(tmp, 'old-copy.dgs'), '--for', 'zoe', '--count', '1');
    expect(fs.readFileSync(file).readInt32BE(60)).toBe(2); // the assignment upgraded the source
    expect(fs.readdirSync(tmp).sort()).toEqual([...siblings, 'old-copy.dgs', 'old-plain-copy.dgs'].sort());
  });
});
