/**
 * bench/interpreter-parts/train-phases: where a training's resident memory goes, stage by stage, on a
 * copy of a real project (docs/benchmarks.md, "The training's memory"). The training runs in this
 * process as `dgs train`'s does (trainProject, the compute in-process), capped at `steps` per member; a
 * line per stage (each sample loaded, the ensemble, each cross-validation stack) gives the RSS, the
 * process's high-water mark and the JS array buffers when it began, and the last line each stage's
 * highest RSS sampled every 50 ms. Run it with and without the compute process's settings to compare:
 *
 *   npx tsx bench/interpreter-parts/train-phases.ts PROJECT.dgs [--members 10] [--steps 40] [--cv-folds 0]
 *   GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1048576 node --expose-gc --import tsx \
 *     bench/interpreter-parts/train-phases.ts PROJECT.dgs
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalCompute } from '../../src/compute';
import { Project } from '../../src/engine/project';
import { trainProject } from '../../src/engine/jobs/train-project';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    members: { type: 'string', default: '10' },
    steps: { type: 'string', default: '40' },
    'cv-folds': { type: 'string', default: '0' },
  },
});
if (!positionals[0]) throw new Error('usage: train-phases.ts PROJECT.dgs [--members N] [--steps S] [--cv-folds K]');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-train-phases-'));
const file = path.join(tmp, 'p.dgs');
fs.copyFileSync(positionals[0], file);

const mib = (bytes: number) => Math.round(bytes / 1048576);
let stage = 'start';
const highest: Record<string, number> = {};
const sampler = setInterval(() => {
  highest[stage] = Math.max(highest[stage] ?? 0, mib(process.memoryUsage().rss));
}, 50);
function enter(next: string): void {
  stage = next;
  const m = process.memoryUsage();
  const hwm = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    JSON.stringify({
      stage,
      ms: Math.round(performance.now()),
      rss: mib(m.rss),
      hwm,
      arrayBuffers: mib(m.arrayBuffers),
    }),
  );
}

enter('start');
const compute = openLocalCompute();
const project = Project.open(file);
try {
  await trainProject(project, compute, {
    provider: 'cpu',
    options: {
      members: Number(values.members),
      maxSteps: Number(values.steps),
      cvFolds: Number(values['cv-folds']),
      cvMaxSteps: Number(values.steps),
    },
    onProgress: (p) => {
      const s = p.phase === 'load' ? `load ${p.member}` : p.phase === 'cv' ? `cv ${p.fold}` : p.phase;
      if (s !== stage) enter(s);
    },
  });
  enter('trained');
} finally {
  project.dispose();
  await compute.dispose();
  clearInterval(sampler);
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(
  JSON.stringify({
    bench: 'train-phases',
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    tunables: process.env.GLIBC_TUNABLES ?? null,
    peakMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    highestSampledMiB: highest,
  }),
);
