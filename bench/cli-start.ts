/**
 * bench/cli-start: how long `dgs` takes to start and answer, as a user runs it — a fresh `node
 * bin/dgs.js` process each time, on the compiled bundle (built first if stale, outside the timings). It
 * times `dgs --help` and `dgs info` on the demo project, and a bare `node -e 0` for the machine's own
 * process start, each `--runs` times in turn, and prints JSON: median, min and max in ms, with the load
 * average before and after.
 *
 * Usage: npx tsx bench/cli-start.ts [--runs 10] [--project dgs-demo/demo.dgs]
 * (without --project, the demo project is built from the shipped files into a temporary folder).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openLocalCompute } from '../src/compute';
import { buildDemoProject } from '../src/engine/jobs/demo';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, project: { type: 'string' } },
});
const runs = Number(values.runs);
const bin = path.resolve('bin/dgs.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-bench-cli-'));
const project = values.project ? path.resolve(values.project) : path.join(tmp, 'demo.dgs');
if (!values.project) {
  const compute = openLocalCompute();
  await buildDemoProject(project, compute);
  await compute.dispose();
}

function timeOnce(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, DGS_PROVIDER: '' } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

const cases: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'dgs --help': [bin, '--help'],
  'dgs info demo.dgs': [bin, 'info', project],
};
// Build the bundle (if the sources changed) and warm the file cache before timing.
for (const args of Object.values(cases)) timeOnce(args);

const loadBefore = os.loadavg();
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < runs; i++) for (const [name, args] of Object.entries(cases)) samples[name].push(timeOnce(args));
const loadAfter = os.loadavg();

const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { medianMs: Math.round(median), minMs: Math.round(s[0]), maxMs: Math.round(s.at(-1)!) };
};
console.log(
  JSON.stringify(
    {
      runs,
      cpus: os.cpus().length,
      loadavgBefore: loadBefore.map((x) => Number(x.toFixed(2))),
      loadavgAfter: loadAfter.map((x) => Number(x.toFixed(2))),
      results: Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, summary(xs)])),
    },
    null,
    2,
  ),
);
fs.rmSync(tmp, { recursive: true, force: true });
