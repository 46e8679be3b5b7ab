/**
 * One training rule on one of bench/interpreter's cached sample sets: the product's cross-validated
 * report (and, with --ensemble, the final ensemble first), its steps and seconds. Prints one JSON line.
 * docs/benchmarks.md ("Training rules") compares the rules with it.
 *
 *   npx tsx bench/interpreter-parts/rule-quality.ts --cache DIR [--L 64] [--options '{"rule":"official"}'] [--ensemble]
 *
 * The cache is bench/interpreter's (`$TMPDIR/dgs-bench-interpreter/demo-demo-model.dgsmodel-demo`, `…/512`,
 * `…/256`); the cleanup is the product's default unless the options say otherwise.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { InterpreterProgress } from '../../src/shared/interpreter-types';
import { openTrainingRun } from '../../src/compute/interpreter/train/train-interpreter';
import { cachedSource, readMeta } from '../interpreter/dataset';

const { values: a } = parseArgs({
  options: {
    cache: { type: 'string' },
    L: { type: 'string' },
    options: { type: 'string', default: '{}' },
    ensemble: { type: 'boolean', default: false },
  },
});
const meta = readMeta(a.cache as string);
const L = Number(a.L ?? meta.labelResolutions[0]);
const options = JSON.parse(a.options as string) as Record<string, unknown>;
const r3 = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
const load0 = os.loadavg()[0];

const src = cachedSource(
  a.cache as string,
  meta,
  Array.from({ length: meta.count }, (_, i) => i),
  L,
);
const steps: Record<string, number[]> = { ensemble: [], cv: [] };
const t0 = performance.now();
const onProgress = (e: InterpreterProgress) => {
  if (e.phase === 'ensemble' || e.phase === 'cv') steps[e.phase][e.fold] = e.step;
};
const run = await openTrainingRun({ samples: src, labelResolution: L, numClasses: meta.numClasses, options });
const out: Record<string, unknown> = { bench: 'rule-quality', cache: a.cache, L, options };
try {
  out.loadSeconds = r3((performance.now() - t0) / 1000 - src.loadSeconds);
  if (a.ensemble) {
    const t1 = performance.now();
    const trained = await run.ensemble({ onProgress });
    const s = trained.config.stepsPerMember;
    out.ensemble = {
      seconds: r3((performance.now() - t1) / 1000),
      stepsPerMember: [Math.min(...s), Math.round(s.reduce((x, y) => x + y, 0) / s.length), Math.max(...s)],
    };
  }
  const cv = await run.crossValidate({ onProgress });
  out.cv = {
    miou: r3(cv.miou),
    pixelAccuracy: r3(cv.pixelAccuracy ?? null),
    perClass: cv.perClass.map(r3),
    seconds: r3(cv.cvSeconds),
    longestStepsPerStack: steps.cv.filter((x) => x !== undefined),
  };
} finally {
  await run.dispose();
}
out.loadAverage = [r3(load0), r3(os.loadavg()[0])];
console.log(JSON.stringify(out));
