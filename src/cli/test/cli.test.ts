/** The dgs command line as a user runs it: a real child process, real files. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGrayPng } from '../../node/io/png';
import { dgs, TINY } from './run-dgs';

let tmp: string;

function digest(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('dgs init and info', () => {
  it('creates a Face-34 project whose info lists the 34 classes, in DELETE journal mode', () => {
    const file = path.join(tmp, 'a.dgs');
    expect(dgs('init', file, '--preset', 'face34').code).toBe(0);
    const info = dgs('info', file, '--json');
    expect(info.code).toBe(0);
    const report = JSON.parse(info.stdout);
    expect(report.classes).toHaveLength(34);
    expect(report.classes[22].name).toBe('head***mouth***oral comisure');
    expect(report.counts).toEqual({ samples: 0, annotations: 0, interpreters: 0, generationRuns: 0 });
    const header = fs.readFileSync(file);
    // Bytes 18–19 are the write/read format versions: 1 means rollback journal (not WAL, which is 2).
    expect([header[18], header[19]]).toEqual([1, 1]);
  });

  it('refuses a file that is not a project with exit 1, a sentence, no stack trace, and leaves it unchanged', () => {
    const readme = path.resolve('README.md');
    const before = digest(readme);
    const r = dgs('info', readme);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dgs: .*README\.md is not a DatasetGAN Studio project/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(digest(readme)).toBe(before);
  });

  it('answers --help on every command and rejects unknown commands and options as user errors', () => {
    for (const cmd of [
      ['init'],
      ['info'],
      ['sample'],
      ['suggest'],
      ['label', 'import'],
      ['label', 'export'],
      ['train'],
      ['generate'],
      ['manifest', 'merge'],
      ['merge'],
      ['copy'],
      ['resolve'],
      ['demo'],
      ['serve'],
    ]) {
      const r = dgs(...cmd, '--help');
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: dgs /);
    }
    expect(dgs('frobnicate').code).toBe(1);
    const bad = dgs('info', path.join(tmp, 'a.dgs'), '--colour');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--colour/);
  }, 420_000); // sixteen real starts of the command: minutes on a loaded machine

  it('refuses an unknown preset and an existing file without writing anything', () => {
    expect(dgs('init', path.join(tmp, 'b.dgs'), '--preset', 'horses').stderr).toMatch(/no preset "horses"/);
    expect(fs.existsSync(path.join(tmp, 'b.dgs'))).toBe(false);
    const existing = path.join(tmp, 'a.dgs');
    const before = digest(existing);
    expect(dgs('init', existing).code).toBe(1);
    expect(digest(existing)).toBe(before);
  });

  it('names class 0 as --classes says (nothing put in front), and warns when imported ids look shifted by one', () => {
    const file = path.join(tmp, 'sky.dgs');
    expect(dgs('init', file, '--classes', 'sky,ground,tree', '--model', TINY).code).toBe(0);
    expect(JSON.parse(dgs('info', file, '--json').stdout).classes.map((c: { name: string }) => c.name)).toEqual([
      'sky',
      'ground',
      'tree',
    ]);
    expect(dgs('init', path.join(tmp, 'one.dgs'), '--classes', 'sky').stderr).toMatch(
      /name at least two, class 0 first/,
    );
    const samples = path.join(tmp, 'sky-samples');
    expect(dgs('sample', file, '--count', '1', '--seed', '3', '--out', samples).code).toBe(0);
    const id = fs.readdirSync(samples)[0].replace('.png', '');
    const labels = path.join(tmp, 'sky-labels');
    fs.mkdirSync(labels);
    // Ids 0 and 1 only: as if "ground, tree" had been numbered from 0 with sky in front.
    fs.writeFileSync(
      path.join(labels, `${id}.png`),
      encodeGrayPng(
        new Uint8Array(32 * 32).map((_, i) => (i < 512 ? 0 : 1)),
        32,
        32,
      ),
    );
    const r = dgs('label', 'import', file, labels, '--author', 'tester');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/No imported label map uses class 2 \("tree"\).*shifted by one/);
  });

  it('leaves no project behind when the model bundle is bad', () => {
    const file = path.join(tmp, 'bad-model.dgs');
    const r = dgs('init', file, '--model', path.join(tmp, 'missing-bundle'));
    expect(r.code).toBe(1);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('dgs sample and labels', () => {
  it('writes byte-identical PNGs for the same seed in two projects, and reports the provider and why', () => {
    const dirs = ['s1', 's2'].map((d) => path.join(tmp, d));
    for (const [i, dir] of dirs.entries()) {
      const file = path.join(tmp, `g${i}.dgs`);
      expect(dgs('init', file, '--model', TINY).code).toBe(0);
      const r = dgs('sample', file, '--count', '4', '--seed', '7', '--out', dir);
      expect(r.code, r.stderr).toBe(0);
    }
    const hashes = dirs.map((d) =>
      fs
        .readdirSync(d)
        .map((f) => digest(path.join(d, f)))
        .sort(),
    );
    expect(hashes[0]).toHaveLength(4);
    expect(hashes[0]).toEqual(hashes[1]);
    const info = JSON.parse(dgs('info', path.join(tmp, 'g0.dgs'), '--json').stdout);
    expect(info.counts.samples).toBe(4);
    expect(info.executionProvider.name).toBe('cpu');
    expect(info.executionProvider.reason).toMatch(/CUDA/);
  });

  it('prints progress as plain lines when stderr is not a terminal, and as JSON lines with --json-progress', () => {
    const file = path.join(tmp, 'progress.dgs');
    expect(dgs('init', file, '--model', TINY).code).toBe(0);
    const plain = dgs('sample', file, '--count', '3');
    expect(plain.code).toBe(0);
    expect(plain.stderr).not.toContain('\r');
    expect(plain.stderr).toMatch(/^sampling 100% 3\/3$/m);
    const json = dgs('sample', file, '--count', '2', '--seed', '50', '--json-progress');
    expect(json.code).toBe(0);
    const lines = json.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toEqual({ progress: 'sampling', done: 2, total: 2, fraction: 1, detail: '2/2' });
  });

  it('imports label PNGs, refuses bad ones with nothing imported, and exports them back byte for byte', () => {
    const file = path.join(tmp, 'g0.dgs');
    const ids = fs.readdirSync(path.join(tmp, 's1')).map((f) => f.replace('.png', ''));
    const labels = path.join(tmp, 'labels');
    fs.mkdirSync(labels);
    const map = new Uint8Array(32 * 32).map((_, i) => (i % 32 < 16 ? 0 : 1));
    for (const id of ids.slice(0, 2)) fs.writeFileSync(path.join(labels, `${id}.png`), encodeGrayPng(map, 32, 32));

    const wrongSize = path.join(tmp, 'wrong-size');
    fs.mkdirSync(wrongSize);
    fs.writeFileSync(path.join(wrongSize, `${ids[0]}.png`), encodeGrayPng(new Uint8Array(16 * 16), 16, 16));
    expect(dgs('label', 'import', file, wrongSize, '--author', 'tester').stderr).toMatch(
      /16×16 but the project's images are 32×32/,
    );
    const unknownClass = path.join(tmp, 'unknown-class');
    fs.mkdirSync(unknownClass);
    fs.writeFileSync(path.join(unknownClass, `${ids[0]}.png`), encodeGrayPng(new Uint8Array(32 * 32).fill(7), 32, 32));
    expect(dgs('label', 'import', file, unknownClass, '--author', 'tester').stderr).toMatch(/class id 7/);
    const unknownSample = path.join(tmp, 'unknown-sample');
    fs.mkdirSync(unknownSample);
    fs.writeFileSync(path.join(unknownSample, 'not-a-sample.png'), encodeGrayPng(map, 32, 32));
    expect(dgs('label', 'import', file, unknownSample, '--author', 'tester').code).toBe(1);
    expect(JSON.parse(dgs('info', file, '--json').stdout).counts.annotations).toBe(0);

    // Who made the annotations is never guessed: without --author, DGS_AUTHOR or a terminal to ask on, it is refused.
    const anonymous = dgs('label', 'import', file, labels);
    expect([anonymous.code, anonymous.stderr]).toEqual([
      1,
      'dgs: dgs label import records who made each change; give your name with --author NAME or the DGS_AUTHOR environment variable.\n',
    ]);
    expect(dgs('label', 'import', file, labels, '--author', 'tester').code).toBe(0);
    const out = path.join(tmp, 'export');
    expect(dgs('label', 'export', file, '--out', out).code).toBe(0);
    expect(fs.readdirSync(path.join(out, 'images'))).toHaveLength(4);
    expect(fs.readdirSync(path.join(out, 'labels')).sort()).toEqual(fs.readdirSync(labels).sort());
    for (const f of fs.readdirSync(labels))
      expect(digest(path.join(out, 'labels', f))).toBe(digest(path.join(labels, f)));
    for (const f of fs.readdirSync(path.join(out, 'images')))
      expect(digest(path.join(out, 'images', f))).toBe(digest(path.join(tmp, 's1', f)));
  });
});
