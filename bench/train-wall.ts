/**
 * `dgs train` as a user runs it, timed from outside: a project of N annotated samples of a generator
 * (labels: the image's luminance quantised into C classes at its quantiles, as bench/interpreter's
 * luminance labels), or the built-in demo project; then `dgs train --json` in a child process. Prints one
 * JSON line: the wall time, the time until the ensemble was stored (ready to use: its `stored` progress
 * line), the report's mIoU, the peak RSS of the largest process (/usr/bin/time) and the processes' peaks
 * added up (`dgs train` relaunches itself for the training: the second process waits for it), the largest
 * sum of their proportional set sizes sampled every second (pages both map counted once), and the CPU seconds.
 *
 *   npx tsx bench/train-wall.ts --bundle /tmp/rand256s [--samples 16] [--classes 7] [--dgs bin/dgs.js] [-- train args]
 *   npx tsx bench/train-wall.ts --demo [--dgs bin/dgs.js] [-- train args]
 *
 * --dgs runs another checkout's CLI; with --keep DIR the project made by the first run is trained again by
 * the next (an A/B against an older commit, whose `dgs train` has no `stored` line: its ready time is its
 * wall time).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalCompute } from '../src/compute';
import { readBundleDir } from '../src/node/bundle/bundle';
import { buildDemoProject } from '../src/engine/jobs/demo';
import { Project, readInterpreterRecord } from '../src/engine/project';
import { projectModel } from '../src/engine/project/model';

const { values: a, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    bundle: { type: 'string' },
    demo: { type: 'boolean', default: false },
    samples: { type: 'string', default: '16' },
    classes: { type: 'string', default: '7' },
    dgs: { type: 'string', default: 'bin/dgs.js' },
    keep: { type: 'string' },
  },
});

const tmp = a.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-train-wall-'));
fs.mkdirSync(tmp, { recursive: true });
const file = path.join(tmp, 'train.dgs');

/** A project of `count` samples (seeds 0…) whose labels are their luminance in `classes` quantile bands. */
async function luminanceProject(bundleDir: string, count: number, classes: number): Promise<void> {
  const compute = openLocalCompute();
  const bundle = readBundleDir(bundleDir);
  const project = Project.create(file, {
    classes: Array.from({ length: classes }, (_, c) => ({ name: c ? `band ${c}` : 'background' })),
  });
  try {
    project.embedModel(bundle);
    const { ref, manifest } = projectModel(project, 'cpu');
    const seeds = Array.from({ length: count }, (_, i) => i);
    const psi = manifest.defaultPsi;
    const batch = await compute.sample(ref, { seeds, psi, images: true });
    const R = manifest.resolution;
    const lum = batch.images.map((rgb) =>
      Float32Array.from(
        { length: R * R },
        (_, p) => 0.299 * rgb[3 * p] + 0.587 * rgb[3 * p + 1] + 0.114 * rgb[3 * p + 2],
      ),
    );
    const all = Float32Array.from(lum.flatMap((l) => Array.from(l))).sort();
    const cuts = Array.from({ length: classes - 1 }, (_, k) => all[Math.floor(((k + 1) / classes) * (all.length - 1))]);
    const { zDim, wDim } = manifest;
    const added = project.addSamples(
      seeds.map((seed, i) => ({
        seed,
        psi,
        z: batch.z.slice(i * zDim, (i + 1) * zDim),
        w: batch.w.slice(i * wDim, (i + 1) * wDim),
      })),
    );
    added.forEach((s, i) => {
      const labelMap = Uint8Array.from(lum[i], (v) => cuts.filter((c) => v > c).length);
      project.saveAnnotation(s.id, { width: R, height: R, labelMap, shapes: [] });
    });
  } finally {
    project.dispose();
    await compute.dispose();
  }
}

if (fs.existsSync(file)) {
  // --keep of an earlier run: the same project again (an A/B of two checkouts trains the same samples).
} else if (a.demo) {
  const compute = openLocalCompute();
  await buildDemoProject(file, compute);
  await compute.dispose();
} else {
  if (!a.bundle) throw new Error('Give --bundle DIR (e.g. /tmp/rand256s from tools/make_random_bundle.py) or --demo.');
  await luminanceProject(path.resolve(a.bundle), Number(a.samples), Number(a.classes));
}

const load0 = os.loadavg()[0];
/** The largest VmHWM (kB) seen for each process under /usr/bin/time, by pid. */
const hwmKb = new Map<number, number>();
/** The largest sum of the processes' proportional set sizes (kB) seen at one sample. */
let pssPeakKb = 0;
/** Records each process's high-water mark; returns the processes' Pss added up (shared pages counted once). */
function sampleTree(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) hwmKb.set(pid, Math.max(hwmKb.get(pid) ?? 0, Number(m[1])));
    const pss = Number(/^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    let sum = pss;
    for (const c of fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/))
      if (c) sum += sampleTree(Number(c));
    return sum;
  } catch {
    return 0; // gone meanwhile
  }
}

const t0 = performance.now();
let ready: number | null = null;
let stdout = '';
let stderr = '';
const code = await new Promise<number | null>((resolve) => {
  const child = spawn(
    '/usr/bin/time',
    ['-f', 'maxrss_kb=%M cpu_s=%U %S', process.execPath, path.resolve(a.dgs), 'train', file, '--json', ...positionals],
    {
      env: { ...process.env, DGS_PROVIDER: 'cpu' },
    },
  );
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
    if (ready === null && c.includes('"stored"')) ready = (performance.now() - t0) / 1000;
  });
  // `dgs train` runs the training in a relaunched child (src/cli/relaunch.ts): /usr/bin/time's figure is
  // the larger process's peak, so each process's high-water mark is read as it runs, to add them up, and
  // their Pss at each sample.
  const sampler = setInterval(() => (pssPeakKb = Math.max(pssPeakKb, sampleTree(child.pid!))), 1000);
  child.on('exit', (c) => {
    clearInterval(sampler);
    resolve(c);
  });
});
const wall = (performance.now() - t0) / 1000;
if (code !== 0) throw new Error(`dgs train failed (${code}): ${stderr.slice(-2000)}`);
const report = JSON.parse(stdout) as { miou: number | null; per_class: Record<string, number | null> };
const rss = /maxrss_kb=(\d+)/.exec(stderr);
/** The sampled peaks of every process but the largest (/usr/bin/time itself, tiny, included). */
function smallerPeaksKb(): number {
  const peaks = [...hwmKb.values()].sort((x, y) => y - x);
  // The largest process's sampled peak is at most /usr/bin/time's figure, which stands for it.
  return peaks.slice(1).reduce((x, y) => x + y, 0);
}
// CPU seconds (user + system): on a loaded machine the wall time says little, the CPU time more.
const cpu = /cpu_s=([\d.]+) ([\d.]+)/.exec(stderr);
// The steps each member took (a figure the machine's load does not move), and the stages' seconds.
const project = Project.open(file, { readonly: true });
const [newest] = project.listInterpreters();
const { config, metrics } = readInterpreterRecord(file, newest);
project.dispose();
const steps = config.stepsPerMember;
console.log(
  JSON.stringify({
    bench: 'train-wall',
    project: a.demo ? 'demo' : { bundle: a.bundle, samples: Number(a.samples), classes: Number(a.classes) },
    dgs: a.dgs,
    args: positionals,
    wallSeconds: Math.round(wall * 10) / 10,
    readySeconds: ready === null ? null : Math.round((ready as number) * 10) / 10,
    miou: report.miou,
    perClass: report.per_class,
    peakRssMiB: rss ? Math.round(Number(rss[1]) / 1024) : null,
    // The processes' peaks added (the largest from /usr/bin/time): a bound on what they held at once.
    processesPeakSumMiB: rss ? Math.round((Number(rss[1]) + smallerPeaksKb()) / 1024) : null,
    // What they held together, sampled every second: each shared page (the Node binary, the libraries) counted once.
    processesPssPeakMiB: Math.round(pssPeakKb / 1024),
    processes: [...hwmKb.values()].filter((kb) => kb > 0).length,
    cpuSeconds: cpu ? Math.round(Number(cpu[1]) + Number(cpu[2])) : null,
    stepsPerMember: [
      Math.min(...steps),
      Math.round(steps.reduce((x, y) => x + y, 0) / steps.length),
      Math.max(...steps),
    ],
    seconds: { load: metrics.loadSeconds, ensemble: metrics.ensembleSeconds, cv: metrics.cvSeconds },
    loadAverage: [load0, os.loadavg()[0]],
  }),
);
if (!a.keep) fs.rmSync(tmp, { recursive: true, force: true });
