/**
 * bench/wand: the feature wand measured in clicks, against a colour flood fill and polygons, and its
 * click latency on full-size generators.
 *
 * Quality (`--project X.dgs`, default: the demo project, built in a temporary folder): each annotated
 * sample's label map is the truth; every class region (a class's pixels in one sample) goes through the
 * interactive-segmentation protocol of RITM and SAM (bench/wand/protocol.ts) with
 * - featureWand: compute's `wand` method through `Compute` (what the studio's handler calls), guided by
 *   an interpreter trained on the other annotated samples (leave-one-out), at the default tolerance;
 * - featureWandAlone: the same without an interpreter (a project's first annotations);
 * - colourWand: a colour flood fill, its tolerance the best of a sweep for each region;
 * - polygon: the fewest vertices reaching IoU 0.85 / 0.90 (capped at 20 like the clicks);
 * and prelabelIoU, the leave-one-out interpreter's labels with no click. Figures per class, overall
 * (regions ≥ 64 px) and small.
 *
 * Latency (`--sizes 512,1024`): clickP95Ms per resolution on random-weight bundles
 * (/usr/bin/python3 tools/make_random_bundle.py --resolution 512 --out tmp/bundles/rand512), with the CPU
 * time per click and the sample's first click (generator forward and embedding) apart.
 *
 *   npx tsx bench/wand.ts [--project X.dgs] [--loo '{"members":5,"earlyStopFromEpoch":1}'] [--samples N]
 *       [--sizes 512,1024] [--bundle512 tmp/bundles/rand512] [--bundle1024 tmp/bundles/rand1024] [--no-quality]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalCompute } from '../src/compute';
import { buildDemoProject } from '../src/engine/jobs/demo';
import { Project } from '../src/engine/project';
import { WAND_DEFAULT_TOLERANCE } from '../src/shared/wand';
import { leaveOneOut, readAnnotated } from './wand/annotated';
import { colourWand, COLOUR_TOLERANCES } from './wand/colour-wand';
import { measureLatency } from './wand/latency';
import { polygonCost } from './wand/polygon-baseline';
import { clicksTo, iou, MAX_CLICKS, simulateClicks } from './wand/protocol';
import { tally, type RegionRun } from './wand/tally';

const { values } = parseArgs({
  options: {
    project: { type: 'string' },
    loo: { type: 'string', default: '{"members":5,"earlyStopFromEpoch":1}' },
    samples: { type: 'string' },
    sizes: { type: 'string', default: '512,1024' },
    bundle512: { type: 'string', default: 'tmp/bundles/rand512' },
    bundle1024: { type: 'string', default: 'tmp/bundles/rand1024' },
    clicks: { type: 'string', default: '40' },
    'no-quality': { type: 'boolean', default: false },
  },
});

const compute = openLocalCompute({ forceProvider: { preference: 'cpu', by: 'bench/wand.ts' } });
const t0 = performance.now();
const out: Record<string, unknown> = { bench: 'wand', loadavg: os.loadavg().map((v) => +v.toFixed(2)) };

if (!values['no-quality']) {
  let file = values.project;
  let tmp: string | null = null;
  if (!file) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-bench-wand-'));
    file = path.join(tmp, 'demo.dgs');
    await buildDemoProject(file, compute);
  }
  const project = Project.open(file);
  const p = await readAnnotated(project, compute);
  project.dispose();
  const count = Math.min(p.samples.length, Number(values.samples ?? p.samples.length));
  const looOptions = JSON.parse(values.loo!) as Record<string, unknown>;
  const runs: Record<'featureWand' | 'featureWandAlone' | 'colourWand' | 'polygon', RegionRun[]> = {
    featureWand: [],
    featureWandAlone: [],
    colourWand: [],
    polygon: [],
  };
  const prelabel: RegionRun[] = [];
  const R = p.resolution;
  for (let s = 0; s < count; s++) {
    const sample = p.samples[s];
    const loo = await leaveOneOut(compute, p, s, looOptions);
    const [labels] = (
      await compute.label(p.model, loo.ref, { input: { items: [sample.latent] }, want: { labels: true } })
    ).labels;
    for (const c of p.classes) {
      const truth = Uint8Array.from(sample.truth, (v) => (v === c.index ? 1 : 0));
      const area = truth.reduce((a, b) => a + b, 0);
      if (area === 0) continue;
      const region = { className: c.name, area };
      const wand = (interpreter: typeof loo.ref | null) => (clicks: { x: number; y: number; positive: boolean }[]) =>
        compute
          .wand(p.model, interpreter, {
            sampleKey: sample.id,
            latent: sample.latent,
            clicks,
            tolerance: WAND_DEFAULT_TOLERANCE,
            classId: c.index,
          })
          .then((r) => r.mask);
      runs.featureWand.push({ ...region, ious: await simulateClicks(truth, R, R, wand(loo.ref)) });
      runs.featureWandAlone.push({ ...region, ious: await simulateClicks(truth, R, R, wand(null)) });
      let best: number[] | null = null;
      const score = (v: number[]) => [clicksTo(v, 0.85), clicksTo(v, 0.9), -v.reduce((a, b) => a + b, 0)];
      for (const tol of COLOUR_TOLERANCES) {
        const ious = await simulateClicks(truth, R, R, colourWand(sample.rgb, R, R, tol));
        const [a, b] = [score(ious), best && score(best)];
        if (!b || a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])))) best = ious;
      }
      runs.colourWand.push({ ...region, ious: best! });
      const poly = polygonCost(truth, R, R, MAX_CLICKS);
      runs.polygon.push({
        ...region,
        ious: poly.bestIouWithin,
        noc: { iou85: Math.min(MAX_CLICKS, poly.vertices.iou85), iou90: Math.min(MAX_CLICKS, poly.vertices.iou90) },
      });
      prelabel.push({
        ...region,
        ious: [
          iou(
            Uint8Array.from(labels, (v) => (v === c.index ? 1 : 0)),
            truth,
          ),
        ],
      });
    }
    console.error(
      `sample ${s + 1}/${count} (seed ${sample.seed}) done, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  const pre = tally(prelabel);
  out.quality = {
    project: values.project ?? 'demo',
    samples: count,
    resolution: R,
    tolerance: WAND_DEFAULT_TOLERANCE,
    looTraining: looOptions,
    methods: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, tally(v)])),
    prelabelIoU: {
      overall: pre.overall.iouAfter1,
      small: pre.small.iouAfter1,
      perClass: Object.fromEntries(Object.entries(pre.perClass).map(([k, v]) => [k, v.iouAfter1])),
    },
  };
}

const sizes = values.sizes ? values.sizes.split(',').filter(Boolean).map(Number) : [];
if (sizes.length) {
  out.latency = [];
  for (const size of sizes) {
    const dir = size === 512 ? values.bundle512! : size === 1024 ? values.bundle1024! : `tmp/bundles/rand${size}`;
    (out.latency as unknown[]).push(await measureLatency(compute, dir, Number(values.clicks)));
  }
}
await compute.dispose();
out.seconds = +((performance.now() - t0) / 1000).toFixed(1);
out.loadavgAfter = os.loadavg().map((v) => +v.toFixed(2));
console.log(JSON.stringify(out, null, 1));
