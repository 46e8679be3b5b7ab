/**
 * Nothing lost on bad input (issue 14, item 7), as a user meets it in real `dgs` processes: a refused
 * generate writes nothing, damaged interpreter weights are a sentence, an output path that is a file is
 * named, negative numbers are the option's own sentence, and a CUDA request without CUDA says why in
 * one line instead of onnxruntime's raw log.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGrayPng } from '../../node/io/png';

const BIN = path.resolve('bin/dgs.js');
const TINY = path.resolve('e2e/fixtures/tiny-bundle');
let tmp: string;
let project: string;

function dgs(...args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DGS_PROVIDER: '',
    DGS_AUTHOR: 'tester',
    DGS_CONFIG_DIR: path.join(tmp, 'config'),
  };
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const digest = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The answer to a user's mistake: exit 1 and one line on stderr, `dgs: <sentence>.` */
function expectSentence(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^dgs: .*\.$/);
  expect(lines[0]).toMatch(pattern);
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-bad-input-'));
  project = path.join(tmp, 'p.dgs');
  expect(dgs('init', project, '--model', TINY, '--classes', 'background,red').code).toBe(0);
  expect(dgs('sample', project, '--count', '3', '--out', path.join(tmp, 'images')).code).toBe(0);
  const labels = path.join(tmp, 'labels');
  fs.mkdirSync(labels);
  for (const f of fs.readdirSync(path.join(tmp, 'images')))
    fs.writeFileSync(
      path.join(labels, f),
      encodeGrayPng(
        new Uint8Array(32 * 32).map((_, i) => (i % 32 < 12 ? 1 : 0)),
        32,
        32,
      ),
    );
  expect(dgs('label', 'import', project, labels).code).toBe(0);
  const trained = dgs('train', project, '--quick', '--models', '2', '--epochs', '2', '--cv-folds', '0');
  expect(trained.code, trained.stderr).toBe(0);
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('refused commands write nothing', () => {
  it('a generate refused for a non-empty folder leaves the project byte for byte as it was', () => {
    const full = path.join(tmp, 'full');
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, 'keep.txt'), 'mine');
    const before = digest(project);
    expectSentence(
      dgs('generate', project, '--count', '2', '--out', full),
      /The output folder .*full is not empty and holds no generation run; choose an empty folder\./,
    );
    expect(digest(project)).toBe(before);
    expect(fs.readdirSync(full)).toEqual(['keep.txt']);
    expect(JSON.parse(dgs('info', project, '--json').stdout).counts.generationRuns).toBe(0);
  });

  it('names --resume for a folder that holds an earlier run, and --interpreter picks the labeler', () => {
    const out = path.join(tmp, 'twice');
    const id = (JSON.parse(dgs('info', project, '--json').stdout) as { interpreters: { id: string }[] }).interpreters[0]
      .id;
    const first = dgs('generate', project, '--count', '2', '--out', out, '--interpreter', id.slice(0, 8));
    expect(first.code, first.stderr).toBe(0);
    expectSentence(
      dgs('generate', project, '--count', '2', '--out', out),
      /^dgs: The output folder .*twice already holds a generation run; add --resume to continue it, or choose an empty folder\.$/,
    );
    expectSentence(
      dgs('generate', project, '--count', '2', '--out', out, '--interpreter', 'nope'),
      /has no interpreter nope/,
    );
  });

  it('names an output path that is a file, and one that runs through a file', () => {
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, 'x');
    expectSentence(
      dgs('generate', project, '--count', '2', '--out', file),
      /a-file is a file, not a folder; choose a folder for the dataset/,
    );
    expectSentence(
      dgs('sample', project, '--count', '1', '--out', path.join(file, 'sub')),
      /a-file\/sub cannot be a folder, because part of its path is a file/,
    );
    expectSentence(
      dgs('label', 'export', project, '--out', file),
      /is a file, not a folder; choose a folder for the exported images and labels/,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('reads "--count -1" as the value -1 and answers with the option\'s sentence; an empty --format is refused', () => {
    expectSentence(
      dgs('sample', project, '--count', '-1'),
      /^dgs: --count takes a whole number from 1 to 100000; got "-1"\.$/,
    );
    expectSentence(
      dgs('generate', project, '--count', '2', '--out', path.join(tmp, 'g'), '--psi', '-0.5'),
      /--psi takes a number from 0 to 2; got "-0.5"/,
    );
    expectSentence(
      dgs('generate', project, '--count', '2', '--out', path.join(tmp, 'g'), '--format', ''),
      /--format needs at least one of png, coco, voc, yolo/,
    );
    expect(fs.existsSync(path.join(tmp, 'g'))).toBe(false);
  });
});

describe('damage and missing hardware', () => {
  it("says why the CPU runs when CUDA is asked for, in one note and without onnxruntime's log", () => {
    const r = dgs('sample', project, '--count', '1', '--provider', 'cuda');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^dgs: note: CUDA was asked for but its provider files are not installed \(run `npm run setup:cuda` on a machine with an NVIDIA GPU\); running on CPU\.$/m,
    );
    expect(r.stderr).not.toMatch(/onnxruntime|Failed to load/i);
  });

  it('refuses damaged interpreter weights with a sentence instead of NaN labels', () => {
    const copy = path.join(tmp, 'damaged.dgs');
    fs.copyFileSync(project, copy);
    const db = new Database(copy);
    const row = db.prepare('SELECT id, weights FROM interpreter').get() as { id: string; weights: Buffer };
    row.weights[row.weights.length >> 1] ^= 0x40;
    db.prepare('UPDATE interpreter SET weights = ? WHERE id = ?').run(row.weights, row.id);
    db.close();
    expectSentence(
      dgs('generate', copy, '--count', '2', '--out', path.join(tmp, 'never')),
      /The weights of interpreter [0-9a-f]{8} in .*damaged\.dgs are damaged \(their checksum does not match\); train the interpreter again/,
    );
    expect(fs.existsSync(path.join(tmp, 'never'))).toBe(false);
  });
});
