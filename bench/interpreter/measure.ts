/**
 * bench/interpreter's measurements: every training, labeling and cross-validation in its own child
 * process (child.ts, so its peak RSS is its own), and their summaries and ratios (docs/benchmarks.md,
 * "What the figures mean").
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { median } from '../matmul-peak';
import type { Job } from './child';
import type { TrainSettings } from './settings';

const CHILD = path.join(path.dirname(new URL(import.meta.url).pathname), 'child.ts');
export const r3 = (v: number) => Math.round(v * 1000) / 1000;
export const ratio = (n: number, d: number) => Math.round((n / d) * 100) / 100;

type ChildResult = Record<string, number & number[] & (number | null)[]>;

export function child(job: Job): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(job)], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`child ${job.task}/${job.method} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const line = r.stdout.trim().split('\n').at(-1) as string;
  process.stderr.write(`  ${line.slice(0, 300)}\n`);
  return JSON.parse(line);
}

/** One method's trainings (one per repeat) and its labeling with the last one's weights. */
export interface Measured {
  train: Record<string, unknown>[];
  label: Record<string, unknown> | null;
}

/** A method of the comparison: ours by a rule, or the naive reference (always the official rule). */
export interface Method {
  name: string;
  method: 'ours' | 'naive';
  settings: TrainSettings;
  /** Whether to label images with its weights. */
  label: boolean;
}

/** Trains every method `reps` times (alternating the order), then labels with each one's last weights. */
export function trainAndLabel(
  cache: string,
  L: number,
  images: number[],
  methods: Method[],
  reps: number,
  labelImages: number[],
  weightsDir: string,
  threads: number,
): Record<string, Measured> {
  const out: Record<string, Measured> = {};
  for (const m of methods) out[m.name] = { train: [], label: null };
  const save = (m: Method) => path.join(weightsDir, `${m.name}-${L}`);
  for (let r = 0; r < reps; r++) {
    const order = r % 2 ? [...methods].reverse() : methods;
    for (const m of order)
      out[m.name].train.push(
        child({ task: 'train', method: m.method, cache, L, images, settings: m.settings, save: save(m) }),
      );
  }
  for (const m of methods) {
    if (!m.label || !labelImages.length) continue;
    // A labeling that dies (e.g. killed for memory on a shared machine) is reported, not fatal.
    try {
      out[m.name].label = child({
        task: 'label',
        method: m.method,
        cache,
        L,
        images: labelImages,
        weights: save(m),
        threads,
      });
    } catch (e) {
      out[m.name].label = { error: (e as Error).message.slice(0, 300) };
    }
  }
  return out;
}

export function summary(m: Measured): Record<string, unknown> {
  const t = m.train as {
    trainSeconds: number;
    peakRssMiB: number;
    stepsPerMember: number[];
    prepareSeconds: number;
    stepSeconds: number;
    matrixBytes?: number;
  }[];
  const steps = t[0].stepsPerMember.reduce((x, y) => x + y, 0);
  const s: Record<string, unknown> = {
    trainSeconds: r3(median(t.map((x) => x.trainSeconds))),
    trainSecondsAll: t.map((x) => r3(x.trainSeconds)),
    prepareSeconds: r3(median(t.map((x) => x.prepareSeconds))),
    peakRssMiB: median(t.map((x) => x.peakRssMiB)),
    // Steps per member (min/mean/max over the members), per repeat.
    stepsPerMember: t.map((x) => [
      Math.min(...x.stepsPerMember),
      Math.round(x.stepsPerMember.reduce((p, q) => p + q, 0) / x.stepsPerMember.length),
      Math.max(...x.stepsPerMember),
    ]),
    // The training's own time (preparation excluded) over every member's steps.
    msPerMemberStep: r3((1000 * median(t.map((x) => x.stepSeconds))) / steps),
  };
  if (t[0].matrixBytes !== undefined) s.matrixBytes = t[0].matrixBytes;
  if (m.label?.error) s.labelError = m.label.error;
  else if (m.label) {
    s.labelMsPerImage = Math.round(m.label.labelMs as number);
    s.labelPeakRssMiB = m.label.peakRssMiB;
  }
  return s;
}

/** naive ÷ ours of the figures both have (> 1: ours is better). */
export function compare(ours: Record<string, unknown>, naive: Record<string, unknown>): Record<string, number> {
  const c: Record<string, number> = {
    trainTime: ratio(naive.trainSeconds as number, ours.trainSeconds as number),
    peakRss: ratio(naive.peakRssMiB as number, ours.peakRssMiB as number),
    msPerMemberStep: ratio(naive.msPerMemberStep as number, ours.msPerMemberStep as number),
  };
  if (ours.labelMsPerImage && naive.labelMsPerImage)
    c.labelMs = ratio(naive.labelMsPerImage as number, ours.labelMsPerImage as number);
  return c;
}

/** Each method's cross-validation on the same folds (sample i → fold i mod k). */
export function crossValidate(
  cache: string,
  L: number,
  images: number[],
  methods: Method[],
  folds: number,
): Record<string, unknown> {
  const res: Record<string, unknown> = { folds, foldOfSample: 'sample index mod folds' };
  for (const m of methods) {
    const r = child({ task: 'cv', method: m.method, cache, L, images, folds, settings: m.settings });
    res[m.name] = {
      rule: m.method === 'naive' ? 'official' : m.settings.rule,
      membersPerFold: m.settings.members,
      maxStepsPerMember: m.settings.maxSteps,
      miou: r3(r.miou as number),
      pixelAccuracy: r3(r.pixelAccuracy as number),
      perClass: (r.perClass as (number | null)[]).map((v) => (v === null ? null : r3(v))),
      cvSeconds: r3(r.cvSeconds as number),
      ...(r.longestStepsPerStack ? { longestStepsPerStack: r.longestStepsPerStack } : {}),
      peakRssMiB: r.peakRssMiB,
    };
  }
  return res;
}

/** a − b in points of mIoU and of pixel accuracy, from crossValidate's entries. */
export function difference(cv: Record<string, unknown>, a: string, b: string): Record<string, number | boolean> {
  const x = cv[a] as { miou: number; pixelAccuracy: number };
  const y = cv[b] as { miou: number; pixelAccuracy: number };
  const miou = Math.round((x.miou - y.miou) * 10000) / 100;
  return {
    miouPoints: miou,
    pixelAccuracyPoints: Math.round((x.pixelAccuracy - y.pixelAccuracy) * 10000) / 100,
    miouWithinOnePoint: Math.abs(miou) <= 1,
  };
}
