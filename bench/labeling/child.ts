/**
 * One measured job of bench/labeling.ts, in its own process so that its peak RSS is its own.
 *   gen:   the generator's forward at batch 1 (seed → image and every feature map, as generation runs it),
 *          and image only; writes the maps of the first seeds to the cache for the label job.
 *   label: the 10-member labeler on cached maps (read into the same buffers before each timed image).
 *   fused: the merged generator + labeler session (src/compute/fused/) at batch 1, z in and image,
 *          label and score out, on `provider`: seed → labeled sample in one run.
 * Prints one JSON line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readBundleDir } from '../../src/node/bundle/bundle';
import { Generator } from '../../src/compute/generator/generator';
import { initEnsemble, hiddenWidths, serializeEnsemble } from '../../src/compute/interpreter/ensemble-params';
import onnxProto from 'onnx-proto';
import { LabeledGenerator } from '../../src/compute/fused/labeled-generator';
import { buildLabeledGraph } from '../../src/compute/fused/labeled-graph';
import { latentFromSeed } from '../../src/shared/rng';
import type { TrainedInterpreter } from '../../src/shared/interpreter-types';
import { openLabeler } from '../../src/compute/interpreter/label/labeler';
import type { FeatureMaps } from '../../src/shared/interpreter-types';
import { median } from '../matmul-peak';

/** Wall and CPU (user + system, all threads) milliseconds of `fn`. */
async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}

interface Job {
  task: 'gen' | 'label' | 'fused';
  provider?: string;
  bundle: string;
  cache: string;
  images: number;
  repeats: number;
  members: number;
  classes: number;
}

const job = JSON.parse(process.argv[2]) as Job;
const bundle = readBundleDir(job.bundle);
const m = bundle.manifest;
const cacheFile = (k: number) => path.join(job.cache, `image${k}.f32`);
const mib = (bytes: number) => Math.round(bytes / 1048576);

async function genJob(): Promise<void> {
  const gen = await Generator.load(bundle, { provider: 'cpu' });
  const psi = m.defaultPsi;
  fs.mkdirSync(job.cache, { recursive: true });
  for (let k = 0; k < job.images; k++) {
    if (fs.existsSync(cacheFile(k))) continue;
    const out = await gen.generate([k], psi, true);
    const fd = fs.openSync(cacheFile(k), 'w');
    for (const f of out.features![0])
      fs.writeSync(fd, new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.byteLength));
    fs.closeSync(fd);
  }
  await gen.generate([0], psi, true); // warm-up
  const withFeatures: number[] = [];
  const cpu: number[] = [];
  const imageOnly: number[] = [];
  for (let r = 0; r < job.repeats; r++) {
    const t = await timed(() => gen.generate([100 + r], psi, true));
    withFeatures.push(t.wall);
    cpu.push(t.cpu);
    imageOnly.push((await timed(() => gen.generate([200 + r], psi, false))).wall);
  }
  await gen.dispose();
  console.log(
    JSON.stringify({
      generatorMsPerImage: median(withFeatures),
      generatorImageOnlyMsPerImage: median(imageOnly),
      generatorRuns: withFeatures.map(Math.round),
      generatorCpuRuns: cpu.map(Math.round),
      generatorPeakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
    }),
  );
}

async function labelJob(): Promise<void> {
  const maps: FeatureMaps = m.features.map((f) => ({
    name: f.name,
    channels: f.channels,
    resolution: f.resolution,
    data: new Float32Array(f.channels * f.resolution * f.resolution),
  }));
  const load = (k: number) => {
    const fd = fs.openSync(cacheFile(k % job.images), 'r');
    for (const f of maps) fs.readSync(fd, new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.byteLength));
    fs.closeSync(fd);
  };
  load(0);
  const rssWithMaps = process.memoryUsage().rss;
  const dims = m.features.reduce((a, f) => a + f.channels, 0);
  const shape = { members: job.members, inputDims: dims, hidden: hiddenWidths(job.classes), numClasses: job.classes };
  const labeler = await openLabeler(initEnsemble(shape, 1), shape, 1e-5, m.features, m.resolution, ['cpu'], 0);
  await labeler.label([maps]); // warm-up
  const before = { ...labeler.stageMs };
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < job.repeats; r++) {
    load(r + 1);
    const t = await timed(() => labeler.label([maps]));
    times.push(t.wall);
    cpu.push(t.cpu);
  }
  const stageMsPerImage = Object.fromEntries(
    Object.entries(labeler.stageMs).map(([k, v]) => [
      k,
      Math.round((v - before[k as keyof typeof before]) / job.repeats),
    ]),
  );
  await labeler.dispose();
  console.log(
    JSON.stringify({
      labelMsPerImage: median(times),
      labelRuns: times.map(Math.round),
      labelCpuRuns: cpu.map(Math.round),
      stageMsPerImage,
      labelPeakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
      rssWithMapsMiB: mib(rssWithMaps),
    }),
  );
}

async function fusedJob(): Promise<void> {
  const dims = m.features.reduce((a, f) => a + f.channels, 0);
  const shape = { members: job.members, inputDims: dims, hidden: hiddenWidths(job.classes), numClasses: job.classes };
  const trained = {
    config: {
      members: job.members,
      numClasses: job.classes,
      labelResolution: m.resolution,
      features: m.features.map((f) => ({ name: f.name, channels: f.channels, resolution: f.resolution })),
      hidden: shape.hidden,
      bnEps: 1e-5,
    },
    weights: serializeEnsemble(initEnsemble(shape, 1), shape),
    metrics: {},
  } as unknown as TrainedInterpreter;
  const rssBefore = process.memoryUsage().rss;
  const fused = await LabeledGenerator.open(bundle, trained, 'z', [job.provider ?? 'cpu']);
  const z = (seed: number) => latentFromSeed(seed, m.zDim);
  await fused.run(z(0), 1, m.defaultPsi, false); // warm-up
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < job.repeats; r++) {
    const t = await timed(() => fused.run(z(100 + r), 1, m.defaultPsi, false));
    times.push(t.wall);
    cpu.push(t.cpu);
  }
  const rssAfterRuns = process.memoryUsage().rss;
  const provider = fused.provider.name;
  await fused.dispose();
  // What the graph is made of (every node, loop bodies included), and what crosses to the host per run.
  const model = onnxProto.onnx.ModelProto.decode(
    buildLabeledGraph({
      manifest: m,
      mapping: bundle.mapping,
      synthesis: bundle.synthesis,
      trained,
      start: 'z',
      imageLayout: 'nhwc',
    }),
  );
  const ops: Record<string, number> = {};
  const walk = (g: onnxProto.onnx.IGraphProto) => {
    for (const n of g.node ?? []) {
      ops[n.opType as string] = (ops[n.opType as string] ?? 0) + 1;
      for (const a of n.attribute ?? []) if (a.g) walk(a.g);
    }
  };
  walk(model.graph!);
  const io = (list: onnxProto.onnx.IValueInfoProto[]) =>
    list.map((v) => ({
      name: v.name,
      dims: (v.type?.tensorType?.shape?.dim ?? []).map((d) => d.dimParam || Number(d.dimValue)),
    }));
  console.log(
    JSON.stringify({
      fusedMsPerImage: median(times),
      fusedRuns: times.map(Math.round),
      fusedCpuRuns: cpu.map(Math.round),
      fusedProvider: provider,
      fusedPeakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
      rssBeforeSessionMiB: mib(rssBefore),
      rssAfterRunsMiB: mib(rssAfterRuns),
      ops,
      inputs: io(model.graph!.input ?? []),
      outputs: io(model.graph!.output ?? []),
    }),
  );
}

await (job.task === 'gen' ? genJob() : job.task === 'label' ? labelJob() : fusedJob());
