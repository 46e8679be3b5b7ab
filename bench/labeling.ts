/**
 * bench/labeling: what labeling one image costs next to generating it, at 64², 512² and 1024².
 *
 * For each size, in one run: the generator's forward at batch 1 (seed → image and feature maps, as
 * generation runs it) and the 10-member labeler on the same maps (vote, uncertainty and score), each in
 * its own child process, alternating for `--rounds` rounds (medians over all of them), plus the
 * machine's fp32 matmul rate (bench/matmul-peak.ts). Prints one JSON object per size:
 *   resolution, labelMsPerImage, generatorMsPerImage, labelOverGenerator, labelPeakRssMiB,
 *   matmulFraction (the labeler's multiply-adds ×2 ÷ its time ÷ the matmul rate), and the figures they
 *   come from; and a `fusedGraph` block: the merged generator + labeler session (src/compute/fused/) on
 *   `--provider` (seed → image, label, score in one run): its time and CPU time per image against the
 *   generator's, its peak RSS, what crosses between host and device per image (its inputs and the
 *   outputs generation fetches, from the graph), and its operators.
 *
 *   npx tsx bench/labeling.ts [--sizes 64,512,1024] [--rounds 2] [--repeats 3] [--provider cpu|cuda] [--fused false]
 *       [--bundle64 default] [--bundle512 tmp/bundles/rand512] [--bundle1024 tmp/bundles/rand1024]
 *
 * The 64² size is the demo model; the others are random-weight StyleGAN2 bundles (not committed):
 *   /usr/bin/python3 tools/make_random_bundle.py --resolution 512 --out tmp/bundles/rand512
 * The ensemble has random weights (labeling costs the same whatever the weights) and `--classes` classes.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveModelArg } from '../src/node/bundle/assets';
import { readBundleDir } from '../src/node/bundle/bundle';
import { hiddenWidths } from '../src/compute/interpreter/ensemble-params';
import { planLabeling, planMultiplyAdds } from '../src/compute/interpreter/label/plan';
import { matmulPeakGflops, median } from './matmul-peak';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '64,512,1024' },
    rounds: { type: 'string', default: '2' },
    repeats: { type: 'string', default: '3' },
    members: { type: 'string', default: '10' },
    provider: { type: 'string', default: 'cpu' },
    // false skips the merged session (minutes per image at 1024² on the CPU)
    fused: { type: 'string', default: 'true' },
    classes: { type: 'string', default: '10' },
    bundle64: { type: 'string', default: 'default' },
    bundle512: { type: 'string', default: 'tmp/bundles/rand512' },
    bundle1024: { type: 'string', default: 'tmp/bundles/rand1024' },
    cache: { type: 'string', default: path.join(os.tmpdir(), 'dgs-bench-labeling') },
  },
});
const CHILD = path.resolve('bench/labeling/child.ts');
const members = Number(values.members);
const classes = Number(values.classes);

type ChildResult = Record<string, number | number[] | Record<string, number>>;

function child(job: Record<string, unknown>): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(job)], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`child ${JSON.stringify(job)} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as ChildResult;
}

function synthesisFlops(bundleDir: string): number | null {
  const r = spawnSync(
    '/usr/bin/python3',
    [path.resolve('tools/onnx_flops.py'), path.join(bundleDir, 'synthesis.onnx')],
    { encoding: 'utf8' },
  );
  return r.status === 0 ? (JSON.parse(r.stdout) as { flops: number }).flops : null;
}

/** The merged session's figures, and its host↔device copies per image by construction of its inputs and outputs. */
function fusedBlock(
  rows: ChildResult[],
  genMs: number,
  gens: ChildResult[],
  streamed: { ms: number; cpuMs: number },
  m: { resolution: number; zDim: number },
) {
  const fusedMs = median(rows.flatMap((r) => r.fusedRuns as number[]));
  const fusedCpuMs = median(rows.flatMap((r) => r.fusedCpuRuns as number[]));
  const R = m.resolution;
  const fetched = ['image', 'label', 'score']; // what generation asks for (uncertainty only when wanted)
  const bytes = { z: 4 * m.zDim, psi: 8, image: 3 * R * R, label: R * R, score: 8 };
  const last = rows.at(-1) as unknown as {
    inputs: { name: string }[];
    ops: Record<string, number>;
    fusedProvider: string;
  };
  return {
    provider: last.fusedProvider,
    msPerImage: +fusedMs.toFixed(1),
    cpuMsPerImage: fusedCpuMs,
    overGenerator: +(fusedMs / genMs).toFixed(3),
    // The CPU rule's figures (docs/interpreter.md, "Which labeler runs"): the one merged run against the
    // streamed path's generator run + labeler run on the same image; below 1 the graph is the faster.
    overStreamedPath: +(fusedMs / streamed.ms).toFixed(3),
    cpuOverStreamedPath: +(fusedCpuMs / streamed.cpuMs).toFixed(3),
    // The peak includes building the merged model in JavaScript; after the runs, the session's own.
    peakRssMiB: Math.max(...rows.map((r) => r.fusedPeakRssMiB as number)),
    rssAfterRunsMiB: Math.max(...rows.map((r) => r.rssAfterRunsMiB as number)),
    beyondGeneratorMiB:
      Math.max(...rows.map((r) => r.fusedPeakRssMiB as number)) -
      Math.max(...gens.map((g) => g.generatorPeakRssMiB as number)),
    hostDeviceCopiesPerImage: {
      count: last.inputs.length + fetched.length,
      hostToDevice: last.inputs.map((v) => v.name),
      deviceToHost: fetched,
      bytes: Object.values(bytes).reduce((a, b) => a + b, 0),
      featureMapBytesKeptOnDevice: 'all (values inside the run)',
    },
    ops: last.ops,
  };
}

for (const size of values.sizes!.split(',').map(Number)) {
  const arg = size === 64 ? values.bundle64! : size === 512 ? values.bundle512! : values.bundle1024!;
  const dir = resolveModelArg(arg);
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    console.error(
      `No bundle at ${dir}: make it with /usr/bin/python3 tools/make_random_bundle.py --resolution ${size} --out ${dir}`,
    );
    process.exit(1);
  }
  const bundle = readBundleDir(dir);
  const m = bundle.manifest;
  const job = {
    bundle: dir,
    cache: path.join(values.cache!, bundle.sha256.slice(0, 16)),
    images: 2,
    repeats: Number(values.repeats),
    members,
    classes,
  };
  const gens: ChildResult[] = [];
  const labels: ChildResult[] = [];
  const fused: ChildResult[] = [];
  const peaks: number[] = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    gens.push(child({ ...job, task: 'gen' }));
    labels.push(child({ ...job, task: 'label' }));
    if (values.fused !== 'false') fused.push(child({ ...job, task: 'fused', provider: values.provider }));
    peaks.push(await matmulPeakGflops());
  }
  const all = (rows: ChildResult[], key: string) => rows.flatMap((r) => r[key] as number[]);
  const labelMs = median(all(labels, 'labelRuns'));
  const genMs = median(all(gens, 'generatorRuns'));
  const hidden = hiddenWidths(classes);
  const plan = planLabeling(m.features, m.resolution, members * hidden[0]);
  const labelFlops = 2 * planMultiplyAdds(plan, m.features, hidden, members, classes);
  const matmulGflops = median(peaks);
  const genFlops = synthesisFlops(dir);
  console.log(
    JSON.stringify({
      bench: 'labeling',
      resolution: m.resolution,
      model: m.name,
      members,
      classes,
      labelMsPerImage: +labelMs.toFixed(1),
      generatorMsPerImage: +genMs.toFixed(1),
      labelOverGenerator: +(labelMs / genMs).toFixed(3),
      // CPU time (all threads) is steadier than wall time when other jobs share the cores.
      labelCpuOverGeneratorCpu: +(median(all(labels, 'labelCpuRuns')) / median(all(gens, 'generatorCpuRuns'))).toFixed(
        3,
      ),
      labelPeakRssMiB: Math.max(...labels.map((l) => l.labelPeakRssMiB as number)),
      matmulFraction: +(labelFlops / (labelMs / 1000) / 1e9 / matmulGflops).toFixed(3),
      labelGflop: +(labelFlops / 1e9).toFixed(2),
      generatorGflop: genFlops === null ? null : +(genFlops / 1e9).toFixed(2),
      generatorMatmulFraction: genFlops === null ? null : +(genFlops / (genMs / 1000) / 1e9 / matmulGflops).toFixed(3),
      matmulPeakGflops: +matmulGflops.toFixed(1),
      generatorImageOnlyMsPerImage: +median(gens.map((g) => g.generatorImageOnlyMsPerImage as number)).toFixed(1),
      labelStageMsPerImage: labels.map((l) => l.stageMsPerImage),
      labelRuns: all(labels, 'labelRuns'),
      generatorRuns: all(gens, 'generatorRuns'),
      rssWithMapsMiB: Math.max(...labels.map((l) => l.rssWithMapsMiB as number)),
      fusedGraph:
        fused.length === 0
          ? null
          : fusedBlock(
              fused,
              genMs,
              gens,
              {
                ms: genMs + labelMs,
                cpuMs: median(all(gens, 'generatorCpuRuns')) + median(all(labels, 'labelCpuRuns')),
              },
              m,
            ),
      generatorPeakRssMiB: Math.max(...gens.map((g) => g.generatorPeakRssMiB as number)),
      plan: {
        tileRows: plan.tileRows,
        direct: plan.direct.length,
        resized: plan.resized.length,
        groups: plan.groups.map((g) => ({ r: g.resolution, whole: g.whole, windowRows: g.windowRows })),
      },
      cpus: os.availableParallelism(),
      loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
    }),
  );
}
