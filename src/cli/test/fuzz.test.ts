/**
 * A bounded fuzz of bad input and crashes (issue 14, item 7). Four kinds, each with a fixed budget:
 * - random values for every numeric option (in-process `main`): always exit 1 with one sentence, and
 *   the option's own sentence for negatives, NaN and out-of-range values — never an internal error;
 * - damaged label PNGs through the import: a sentence and nothing imported, or a clean import;
 * - damaged project files: refused with a sentence and left as they were, or opened and read whole,
 *   anything unreadable a sentence;
 * - SIGKILL at random moments during `dgs label import`, `sample`, `train` and `generate`: the project
 *   opens sound, with whole batches only, and the command run again completes.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isUserError } from '../../shared/errors';
import { readLabelDir, importLabels } from '../../engine/labels/label-files';
import { encodeGrayPng } from '../../node/io/png';
import { Project } from '../../engine/project';
import { sampleRows, squareMap, TINY, tinyModel } from '../../engine/project/test/tiny-data';
// eslint-disable-next-line no-restricted-imports -- the CLI's own entry (src/cli/main.ts), not the Electron shell (src/main)
import { main } from '../main';
import { testRng } from '../../shared/test/test-rng';

const BIN = path.resolve('bin/dgs.js');
const TINY_BUNDLE = path.resolve('e2e/fixtures/tiny-bundle');
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-fuzz-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function runMain(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return { code: await main(args), stderr };
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
}

interface NumericOption {
  /** The command up to the option, with a project path that does not exist (a valid value then meets that sentence). */
  args: (missing: string, out: string) => string[];
  flag: string;
  int: boolean;
  min: number;
  max: number;
}

const MAX_SEED = 0xffffffff;
const OPTIONS: NumericOption[] = [
  ...(
    [
      ['count', 1, 100_000],
      ['seed', 0, MAX_SEED],
      ['batch', 1, 256],
    ] as const
  ).map(([flag, min, max]) => ({
    args: (m: string) => ['sample', m, ...(flag === 'count' ? [] : ['--count', '1'])],
    flag,
    int: true,
    min,
    max,
  })),
  { args: (m) => ['sample', m, '--count', '1'], flag: 'psi', int: false, min: 0, max: 2 },
  ...(
    [
      ['models', 1, 64],
      ['epochs', 1, 1000],
      ['batch', 2, 65536],
      ['seed', 0, MAX_SEED],
      ['cv-folds', 0, 1000],
    ] as const
  ).map(([flag, min, max]) => ({ args: (m: string) => ['train', m], flag, int: true, min, max })),
  ...(
    [
      ['count', 1, 100_000_000],
      ['seed', 0, MAX_SEED],
      ['batch', 1, 1024],
    ] as const
  ).map(([flag, min, max]) => ({
    args: (m: string, o: string) => ['generate', m, '--out', o, ...(flag === 'count' ? [] : ['--count', '1'])],
    flag,
    int: true,
    min,
    max,
  })),
  { args: (m, o) => ['generate', m, '--out', o, '--count', '1'], flag: 'filter', int: false, min: 0, max: 0.99 },
  { args: (m, o) => ['generate', m, '--out', o, '--count', '1'], flag: 'psi', int: false, min: 0, max: 2 },
  {
    args: (m, o) => ['copy', m, '-o', o, '--for', 'x', '--author', 'fuzz'],
    flag: 'count',
    int: true,
    min: 1,
    max: 1_000_000,
  },
  { args: (m, o) => ['manifest', 'merge', m, '--out', o], flag: 'filter', int: false, min: 0, max: 0.99 },
];

const valueArb = fc.oneof(
  fc.integer({ min: -1_000_000, max: 10_000_000_000 }).map(String),
  fc.double().map(String),
  fc.constantFrom(
    '',
    ' ',
    'NaN',
    '-0',
    '1e3',
    '0.5',
    '+5',
    ' 7 ',
    'Infinity',
    '-Infinity',
    '1_000',
    '٣',
    '4294967296',
    '-1',
    '1.0',
  ),
  fc.string({ maxLength: 12 }),
);

/** What every user sees as invalid: not a number, out of range, or a fraction where a whole number is due. */
function clearlyInvalid(o: NumericOption, v: string): boolean {
  const n = Number(v);
  return v.trim() === '' || Number.isNaN(n) || n < o.min || n > o.max || (o.int && !Number.isInteger(n));
}

describe('bounded fuzz', () => {
  it("numeric options: one sentence for every value, the option's own for negatives, NaN and out of range", async () => {
    const missing = path.join(tmp, 'missing.dgs');
    const outFile = path.join(tmp, 'not-a-folder');
    fs.writeFileSync(outFile, 'x');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPTIONS), valueArb, fc.boolean(), async (o, v, joined) => {
        // As the shell passes it: --flag=value, or --flag value (a lone "-h" there is a request for help, not a value).
        const separate = !joined && !v.startsWith('--') && !/^-[a-zA-Z]$/.test(v);
        const r = await runMain([
          ...o.args(missing, outFile),
          ...(separate ? [`--${o.flag}`, v] : [`--${o.flag}=${v}`]),
        ]);
        expect(r.code, r.stderr).toBe(1);
        const lines = r.stderr.split('\n').filter((l) => l !== '');
        expect(lines, r.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(/^dgs: .+\.$/);
        if (clearlyInvalid(o, v) && (!separate || v !== ''))
          expect(lines[0], `--${o.flag} ${JSON.stringify(v)}`).toMatch(new RegExp(`^dgs: --${o.flag} takes`));
      }),
      { numRuns: 150 },
    );
  });

  it('damaged label PNGs: a sentence and nothing imported, or every file imported', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'png-'));
    const p = Project.create(path.join(dir, 'p.dgs'), {
      classes: [{ name: 'background' }, { name: 'head' }, { name: 'hair' }],
    });
    p.embedModel(tinyModel());
    const samples = p.addSamples(sampleRows([1, 2, 3]));
    const good = samples.map((s, i) => ({
      name: `${s.id}.png`,
      bytes: encodeGrayPng(squareMap(i % 3), TINY.resolution, TINY.resolution),
    }));
    const damage = fc.record({
      file: fc.nat(2),
      how: fc.constantFrom('truncate', 'flip', 'garbage', 'splice'),
      at: fc.nat(4000),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
    });
    let round = 0;
    fc.assert(
      fc.property(damage, (d) => {
        const labels = path.join(dir, `labels${round++}`);
        fs.mkdirSync(labels);
        good.forEach((g, i) => {
          let b = Buffer.from(g.bytes);
          if (i === d.file) {
            const at = d.at % b.length;
            if (d.how === 'truncate') b = b.subarray(0, at);
            else if (d.how === 'flip') b[at] ^= d.bytes[0] || 1;
            else if (d.how === 'garbage') b = Buffer.from(d.bytes);
            else b = Buffer.concat([b.subarray(0, at), Buffer.from(d.bytes), b.subarray(at)]);
          }
          fs.writeFileSync(path.join(labels, g.name), b);
        });
        const before = p.listAnnotations().length;
        try {
          const n = importLabels(p, readLabelDir(p, labels, TINY.resolution), TINY.resolution, 'fuzz');
          expect(n).toBe(3);
        } catch (e) {
          expect(isUserError(e), String(e)).toBe(true);
          expect((e as Error).message).toContain(labels);
          expect(p.listAnnotations().length).toBe(before);
        }
        fs.rmSync(labels, { recursive: true });
      }),
      { numRuns: 80 },
    );
    p.dispose();
  });

  it('damaged project files: refused with a sentence and untouched, or opened and read whole', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'dgs-'));
    const base = Project.create(path.join(dir, 'base.dgs'), {
      classes: [{ name: 'background' }, { name: 'head' }, { name: 'hair' }],
      author: 'fuzz',
    });
    base.embedModel(tinyModel());
    for (const s of base.addSamples(sampleRows([1, 2, 3, 4])))
      base.saveAnnotation(s.id, {
        width: TINY.resolution,
        height: TINY.resolution,
        labelMap: squareMap(s.seed % 3),
        shapes: { seed: s.seed },
      });
    base.saveInterpreter({ config: { a: 1 }, weights: new Uint8Array(3000).fill(3), metrics: { m: 1 } });
    base.setSetting('k', { v: [1, 2, 3] });
    base.dispose();
    const size = fs.statSync(base.path).size;
    let round = 0;
    fc.assert(
      fc.property(
        fc.constantFrom('truncate', 'flip', 'zero-page', 'append'),
        fc.integer({ min: 0, max: size - 1 }),
        fc.uint8Array({ minLength: 1, maxLength: 16 }),
        fc.boolean(),
        (how, at, bytes, readonly) => {
          const file = path.join(dir, `f${round++}.dgs`);
          let b = fs.readFileSync(base.path);
          if (how === 'truncate') b = b.subarray(0, at);
          else if (how === 'flip')
            bytes.forEach((x, i) => {
              b[(at + i * 997) % b.length] ^= x || 1;
            });
          else if (how === 'zero-page') b.fill(0, at - (at % 4096), at - (at % 4096) + 4096);
          else b = Buffer.concat([b, Buffer.from(bytes)]);
          fs.writeFileSync(file, b);
          const before = fs.readFileSync(file);
          try {
            const p = Project.open(file, { readonly });
            try {
              p.info();
              for (const s of p.listSamples()) {
                p.getLatents(s.id);
                p.getAnnotation(s.id);
              }
              for (const i of p.listInterpreters()) p.getInterpreter(i.id);
              p.listGenerationRuns();
              p.listSettings();
              p.listConflicts();
            } finally {
              p.dispose();
            }
          } catch (e) {
            expect(isUserError(e), `${how} at ${at}: ${String(e)}`).toBe(true);
            expect((e as Error).message).toContain(file);
          }
          expect(fs.readFileSync(file).equals(before), `${how} at ${at} changed the file`).toBe(true);
          fs.rmSync(file);
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** The real command, killed after `ms`; resolves once it is gone. */
async function runKilled(args: string[], ms: number): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DGS_PROVIDER: '',
    DGS_AUTHOR: 'fuzz',
    DGS_CONFIG_DIR: path.join(tmp, 'config'),
  };
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env });
  const exit = once(child, 'exit');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await exit;
  clearTimeout(timer);
}

async function runToEnd(args: string[]): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DGS_PROVIDER: '',
    DGS_AUTHOR: 'fuzz',
    DGS_CONFIG_DIR: path.join(tmp, 'config'),
  };
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let err = '';
  child.stderr.on('data', (d) => (err += String(d)));
  const [code] = (await once(child, 'exit')) as [number];
  expect(code, `dgs ${args.join(' ')}: ${err}`).toBe(0);
}

function inspect(file: string): { samples: number; annotations: number; interpreters: number; runs: string[] } {
  const p = Project.open(file);
  try {
    expect(p.integrityCheck()).toEqual(['ok']);
    for (const s of p.listSamples()) expect(p.getLatents(s.id).w.every(Number.isFinite)).toBe(true);
    for (const i of p.listInterpreters()) expect(p.getInterpreter(i.id)!.weights.length).toBeGreaterThan(0);
    return {
      samples: p.listSamples().length,
      annotations: p.listAnnotations().length,
      interpreters: p.listInterpreters().length,
      runs: p.listGenerationRuns().map((r) => r.status),
    };
  } finally {
    p.dispose();
  }
}

describe('SIGKILL at random moments', () => {
  it('import, sample, train and generate leave a sound project with whole steps only, and a rerun completes', async () => {
    const file = path.join(tmp, 'killed.dgs');
    await runToEnd(['init', file, '--model', TINY_BUNDLE, '--classes', 'background,red']);
    await runToEnd(['sample', file, '--count', '4', '--out', path.join(tmp, 'imgs')]);
    const labels = path.join(tmp, 'kill-labels');
    fs.mkdirSync(labels);
    for (const f of fs.readdirSync(path.join(tmp, 'imgs')))
      fs.writeFileSync(
        path.join(labels, f),
        encodeGrayPng(
          new Uint8Array(32 * 32).map((_, i) => (i % 32 < 9 ? 1 : 0)),
          32,
          32,
        ),
      );
    const delays = testRng('SIGKILL moments');
    const delay = () => 300 + delays.uniform() * 2200;

    for (let k = 0; k < 2; k++) {
      await runKilled(['label', 'import', file, labels], delay());
      expect([0, 4], delays.note).toContain(inspect(file).annotations);
    }
    await runToEnd(['label', 'import', file, labels]);

    const before = inspect(file).samples;
    for (let k = 0; k < 2; k++) {
      await runKilled(['sample', file, '--count', '12', '--batch', '4', '--seed', String(100 + 20 * k)], delay());
      expect((inspect(file).samples - before) % 4, `samples are saved a whole batch at a time; ${delays.note}`).toBe(0);
    }

    for (let k = 0; k < 2; k++) {
      const had = inspect(file).interpreters;
      await runKilled(['train', file, '--quick', '--models', '2', '--epochs', '3', '--cv-folds', '0'], delay());
      expect([had, had + 1], delays.note).toContain(inspect(file).interpreters);
    }
    await runToEnd(['train', file, '--quick', '--models', '2', '--epochs', '2', '--cv-folds', '0']);

    const out = path.join(tmp, 'kill-gen');
    for (let k = 0; k < 2; k++) {
      await runKilled(['generate', file, '--count', '6', '--out', out, '--resume'], delay());
      const runs = inspect(file).runs;
      expect(
        runs.every((s) => ['running', 'done', 'cancelled'].includes(s)),
        `${runs.join()}; ${delays.note}`,
      ).toBe(true);
    }
    await runToEnd(['generate', file, '--count', '6', '--out', out, '--resume']);
    expect(fs.existsSync(path.join(out, 'README.md')), 'the resumed run finished its dataset').toBe(true);
    expect(fs.readFileSync(path.join(out, 'manifest.jsonl'), 'utf8').trim().split('\n').length).toBeGreaterThanOrEqual(
      6,
    );
  }, 240_000);
});
