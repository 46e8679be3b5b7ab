/**
 * Labeling with a trained interpreter, on generated images and (with maps read back from the training
 * store) on held-out annotations during cross-validation.
 *
 * The label grid is streamed in tiles of rows (plan.ts). Per image: maps smaller than the grid
 * are multiplied by their first-layer weights at their own resolution (onnxruntime), in bands of rows
 * held in a sliding window; per tile, the upsampling kernel (WebAssembly) resamples those projections
 * to the tile's rows and adds them to the bias, and one onnxruntime run multiplies the maps at the
 * grid's resolution, adds the kernel's tile, and runs the rest of every member, the vote and the
 * uncertainty. All buffers are made once and reused for every image.
 */
import * as ort from 'onnxruntime-node';
import type { FeatureMaps, FeatureShape, LabelResult, TrainedInterpreter } from '../../../shared/interpreter-types';
import { UserError } from '../../../shared/errors';
import type { EnsembleParams, EnsembleShape } from '../ensemble-params';
import { deserializeEnsemble } from '../ensemble-params';
import {
  buildProjectionModel,
  buildResizeModel,
  buildTileModel,
  firstLayerColumns,
  firstMembers,
  foldEnsemble,
} from './graph';
import { EarlyVote, MIN_GATHERED, firstPassMembers } from './early-vote';
import { topTenPercentMean } from '../metrics';
import { channelRanges, planLabeling, type LabelPlan, type ProjectedGroup } from './plan';
import type { GroupWindow, Labeler, LabelerRunOptions, LabelerStageMs } from './labeler-types';
import { UpsampleKernel } from './upsample-kernel';
import { checkFeatureMaps } from './check-maps';
import { openGraphLabeler } from './graph-labeler';
import { labelingPath } from './labeling-path';
import { openSession } from '../../runtime/execution-provider';

export type { Labeler, LabelerRunOptions, LabelerStageMs } from './labeler-types';

export function ensembleShapeOf(trained: TrainedInterpreter): EnsembleShape {
  const c = trained.config;
  return {
    members: c.members,
    inputDims: c.features.reduce((a, f) => a + f.channels, 0),
    hidden: c.hidden,
    numClasses: c.numClasses,
  };
}

/**
 * Builds the labeler of a trained interpreter for the generator's feature maps (the bundle manifest's
 * `features`) at `labelResolution`. The maps must be the ones it was trained on, in the same order.
 */
export async function createLabeler(
  trained: TrainedInterpreter,
  manifestFeatures: FeatureShape[],
  labelResolution: number,
  executionProviders: string[] = ['cpu'],
  threads = 0,
  options: LabelerRunOptions = {},
): Promise<Labeler> {
  const c = trained.config;
  const same =
    manifestFeatures.length === c.features.length &&
    manifestFeatures.every(
      (f, i) =>
        f.name === c.features[i].name &&
        f.channels === c.features[i].channels &&
        f.resolution === c.features[i].resolution,
    );
  if (!same)
    throw new UserError("This interpreter was trained on another generator's feature maps; retrain it for this model.");
  const shape = ensembleShapeOf(trained);
  const params = deserializeEnsemble(trained.weights, shape);
  return openLabeler(params, shape, c.bnEps, c.features, labelResolution, executionProviders, threads, options);
}

function int64(value: number): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.of(BigInt(value)), [1]);
}

export async function openLabeler(
  params: EnsembleParams,
  shape: EnsembleShape,
  bnEps: number,
  features: FeatureShape[],
  labelResolution: number,
  executionProviders: string[],
  threads: number,
  runOptions: LabelerRunOptions | boolean = {},
): Promise<
  Labeler & {
    probs(featuresBatch: FeatureMaps[]): Promise<Float32Array[]>;
    /** With `earlyVote`: pixels of first passes, and of those left open. */
    earlyCounts?: { firstPass: number; open: number };
  }
> {
  // A boolean is the older form of { withProbs } (bench/interpreter uses it).
  const opts: LabelerRunOptions = typeof runOptions === 'boolean' ? { withProbs: runOptions } : runOptions;
  if (!opts.withProbs && labelingPath(opts.path, executionProviders[0] ?? 'cpu') === 'one-graph') {
    const one = await openGraphLabeler(params, shape, bnEps, features, labelResolution, executionProviders, threads);
    return {
      ...one,
      probs: () => Promise.reject(new Error('openLabeler: probabilities come from the streamed labeler only')),
    };
  }
  const L = labelResolution;
  const P = L * L;
  const N = shape.members;
  const C = shape.numClasses;
  const width = N * shape.hidden[0];
  const folded = foldEnsemble(params, shape, bnEps);
  const plan: LabelPlan = planLabeling(features, L, width, opts);
  const atGrid = [...plan.direct, ...plan.resized];

  const kernel = new UpsampleKernel();
  const sessions: ort.InferenceSession[] = [];
  let provider = 'cpu';
  async function open(model: Uint8Array): Promise<ort.InferenceSession> {
    const opened = await openSession(model, { provider: executionProviders, threads });
    sessions.push(opened.session);
    provider = opened.provider.name;
    return opened.session;
  }

  const windows: GroupWindow[] = [];
  let resize: ort.InferenceSession | null = null;
  let wholeSession: ort.InferenceSession | null = null;
  let tile: ort.InferenceSession;
  const firstK = opts.earlyVote && !opts.withProbs && L % MIN_GATHERED === 0 ? firstPassMembers(N) : 0;
  let early: { first: ort.InferenceSession; gathered: ort.InferenceSession } | null = null;
  try {
    const projected = (group: ProjectedGroup) => ({
      shapes: group.maps.map((i) => features[i]),
      weights: firstLayerColumns(folded, shape, channelRanges(features, group.maps)),
    });
    const whole = plan.groups.filter((group) => group.whole);
    if (whole.length) wholeSession = await open(buildProjectionModel(whole.map(projected), width, false));
    for (const group of plan.groups) {
      const session = group.whole ? null : await open(buildProjectionModel([projected(group)], width, true));
      const rowBytes = group.resolution * width * 4;
      windows.push({
        group,
        session,
        rows: kernel.alloc(group.windowRows * rowBytes),
        blended: kernel.alloc((firstK ? plan.tileRows : 1) * rowBytes),
        taps: kernel.alloc(16 * L),
        rowBytes,
        lo: 0,
        held: 0,
      });
    }
    if (plan.resized.length)
      resize = await open(
        buildResizeModel(
          plan.resized.map((i) => features[i]),
          L,
        ),
      );
    const gridShapes = atGrid.map((i) => ({ ...features[i], resolution: L }));
    const ranges = channelRanges(features, atGrid);
    const withU = windows.length > 0;
    tile = await open(buildTileModel(folded, shape, gridShapes, ranges, withU, opts.withProbs ? 'vote+probs' : 'vote'));
    if (firstK)
      early = {
        first: await open(
          buildTileModel(
            firstMembers(folded, shape, firstK),
            { ...shape, members: firstK },
            gridShapes,
            ranges,
            withU,
            'vote+counts',
          ),
        ),
        gathered: await open(buildTileModel(folded, shape, gridShapes, ranges, withU, 'vote', true)),
      };
  } catch (e) {
    for (const x of sessions) await x.release();
    throw e;
  }

  // Kernel memory: bias, the group table and the tile; then fill the tables (no allocation after this).
  const bias = kernel.alloc(width * 4);
  const table = kernel.alloc(8 * Math.max(1, windows.length));
  const tileAt = kernel.alloc(plan.tileRows * L * width * 4);
  const scratch = kernel.alloc(16 * width * 4);
  const openAt = early ? kernel.alloc((plan.tileRows * L + MIN_GATHERED) * width * 4) : 0; // queued pixels
  kernel.f32(bias, width).set(folded.b1);
  const tableView = kernel.i32(table, 2 * Math.max(1, windows.length));
  windows.forEach((w, k) => {
    const taps = kernel.i32(w.taps, 4 * L);
    const weights = kernel.f32(w.taps, 4 * L);
    const pixelBytes = width * 4;
    for (let x = 0; x < L; x++) {
      const lambda = w.group.taps.lambda[x];
      taps[4 * x] = w.group.taps.i0[x] * pixelBytes;
      taps[4 * x + 1] = w.group.taps.i1[x] * pixelBytes;
      weights[4 * x + 2] = 1 - lambda;
      weights[4 * x + 3] = lambda;
    }
    tableView[2 * k + 1] = w.taps;
  });
  const bytes = new Uint8Array(kernel.memory.buffer);
  const stageMs: LabelerStageMs = { project: 0, upsample: 0, resize: 0, tile: 0 };
  const resized = plan.resized.map((i) => new Float32Array(features[i].channels * P));

  // Each group's blended row of each row of the tile (kept for the early vote's second pass).
  const blendedAt = new Int32Array((firstK ? plan.tileRows : 1) * windows.length);

  /** Points the table at each group's blended row for label row y (blending its two source rows). */
  function blendRow(y: number): void {
    const slot = firstK ? y % plan.tileRows : 0; // tiles start at multiples of tileRows
    windows.forEach((w, k) => {
      const t = w.group.taps;
      let at = w.rows + (t.i0[y] - w.lo) * w.rowBytes; // one source row: read it in place
      if (t.lambda[y] !== 0) {
        at = w.blended + slot * w.rowBytes;
        kernel.blend(
          at,
          w.rows + (t.i0[y] - w.lo) * w.rowBytes,
          w.rows + (t.i1[y] - w.lo) * w.rowBytes,
          w.rowBytes / 4,
          1 - t.lambda[y],
          t.lambda[y],
        );
      }
      tableView[2 * k] = at;
      blendedAt[slot * windows.length + k] = at;
    });
  }

  /** Points the table at the blended rows of label row y of the current tile, blended before. */
  function blendedRow(y: number): void {
    const slot = firstK ? y % plan.tileRows : 0;
    for (let k = 0; k < windows.length; k++) tableView[2 * k] = blendedAt[slot * windows.length + k];
  }

  /** The tile's upsampled projections plus bias, channel-first, for its first `channels` channels. */
  function upsampleTile(y0: number, y1: number, channels: number): void {
    const pixels = (y1 - y0) * L;
    for (let y = y0; y < y1 && windows.length; y++) {
      blendRow(y);
      kernel.hacc(tileAt + (y - y0) * L * 4, pixels * 4, bias, channels, L, table, windows.length, scratch);
    }
  }

  const earlyVote = early
    ? new EarlyVote({
        ...early,
        members: N,
        firstMembers: firstK,
        hidden1: shape.hidden[0],
        classes: C,
        tileRows: plan.tileRows,
        kernel,
        tileAt,
        openAt,
        gather: { kernel, taps: windows.map((w) => w.taps), table: tableView, bias, scratch, width, L, blendedRow },
        upsampleTile,
        stageMs,
      })
    : null;

  /** Projects every group held whole, once per image, in one run. */
  async function projectWhole(maps: ort.Tensor[]): Promise<void> {
    if (!wholeSession) return;
    const feeds: Record<string, ort.Tensor> = {};
    const fetches: Record<string, ort.Tensor> = {};
    windows
      .filter((w) => w.group.whole)
      .forEach((w, k) => {
        const r = w.group.resolution;
        w.group.maps.forEach((i, j) => {
          feeds[`f_${k}_${j}`] = maps[i];
        });
        fetches[`q_${k}`] = new ort.Tensor('float32', kernel.f32(w.rows, r * r * width), [r * r, width]);
        w.lo = 0;
        w.held = r;
      });
    const t0 = performance.now();
    await wholeSession.run(feeds, fetches);
    stageMs.project += performance.now() - t0;
  }

  /** Makes sure source rows [a, b] of a banded group's projection are held, projecting the missing ones. */
  async function hold(w: GroupWindow, a: number, b: number, maps: ort.Tensor[]): Promise<void> {
    if (!w.session || b < w.lo + w.held) return;
    if (a > w.lo) {
      const drop = Math.min(a - w.lo, w.held);
      bytes.copyWithin(w.rows, w.rows + drop * w.rowBytes, w.rows + w.held * w.rowBytes);
      w.held -= drop;
      w.lo = a; // rows before a are never read again: tiles go down the grid
    }
    const r = w.group.resolution;
    const from = w.lo + w.held;
    const to = Math.min(r, w.lo + w.group.windowRows);
    const feeds: Record<string, ort.Tensor> = { start: int64(from * r), end: int64(to * r) };
    w.group.maps.forEach((i, k) => {
      feeds[`f_0_${k}`] = maps[i];
    });
    const out = new ort.Tensor('float32', kernel.f32(w.rows + w.held * w.rowBytes, (to - from) * r * width), [
      (to - from) * r,
      width,
    ]);
    const t0 = performance.now();
    await w.session.run(feeds, { q_0: out });
    stageMs.project += performance.now() - t0;
    w.held = to - w.lo;
  }

  /** One image: label, uncertainty and (optionally) probabilities [N, C, P]. */
  async function labelOne(
    maps: FeatureMaps,
    keepProbs: boolean,
  ): Promise<{ label: Uint8Array; uncertainty: Float32Array; probs?: Float32Array }> {
    const inputs = checkFeatureMaps(features, maps);
    if (resize) {
      const feeds: Record<string, ort.Tensor> = {};
      const fetches: Record<string, ort.Tensor> = {};
      plan.resized.forEach((i, k) => {
        feeds[`f_${k}`] = inputs[i];
        fetches[`z_${k}`] = new ort.Tensor('float32', resized[k], [1, features[i].channels, L, L]);
      });
      const t0 = performance.now();
      await resize.run(feeds, fetches);
      stageMs.resize += performance.now() - t0;
    }
    const gridFeeds: Record<string, ort.Tensor> = {};
    atGrid.forEach((i, k) => {
      const r = plan.resized.indexOf(i);
      gridFeeds[`f_${k}`] = r < 0 ? inputs[i] : new ort.Tensor('float32', resized[r], [1, features[i].channels, L, L]);
    });
    for (const w of windows) {
      w.lo = 0;
      w.held = 0;
    }
    await projectWhole(inputs);
    const label = new Uint8Array(P);
    const uncertainty = new Float32Array(P);
    const probs = keepProbs ? new Float32Array(N * C * P) : undefined;
    for (let y0 = 0; y0 < L; y0 += plan.tileRows) {
      const y1 = Math.min(L, y0 + plan.tileRows);
      const pixels = (y1 - y0) * L;
      for (const w of windows) await hold(w, w.group.taps.i0[y0], w.group.taps.i1[y1 - 1], inputs);
      if (earlyVote && (await earlyVote.tile(y0, y1, gridFeeds, label, uncertainty))) continue;
      const t0 = performance.now();
      upsampleTile(y0, y1, width);
      const t1 = performance.now();
      stageMs.upsample += t1 - t0;
      const feeds: Record<string, ort.Tensor> = { ...gridFeeds, start: int64(y0 * L), end: int64(y1 * L) };
      if (windows.length) feeds.u = new ort.Tensor('float32', kernel.f32(tileAt, width * pixels), [width, pixels]);
      const fetches: Record<string, ort.Tensor | null> = {
        label: new ort.Tensor('uint8', label.subarray(y0 * L, y1 * L), [1, pixels]),
        uncertainty: new ort.Tensor('float32', uncertainty.subarray(y0 * L, y1 * L), [1, pixels]),
      };
      if (opts.withProbs) fetches.probs = null;
      const out = await tile.run(feeds, fetches);
      stageMs.tile += performance.now() - t1;
      if (probs) {
        const tp = out.probs.data as Float32Array; // [1, N, C, pixels]
        for (let mc = 0; mc < N * C; mc++) probs.set(tp.subarray(mc * pixels, (mc + 1) * pixels), mc * P + y0 * L);
      }
    }
    await earlyVote?.flush();
    return { label, uncertainty, probs };
  }

  return {
    provider,
    stageMs,
    earlyCounts: earlyVote?.counted,
    async label(batch) {
      const result: LabelResult = { labels: [], uncertainty: [], score: [] };
      for (const maps of batch) {
        const r = await labelOne(maps, false);
        result.labels.push(r.label);
        result.uncertainty.push(r.uncertainty);
        result.score.push(topTenPercentMean(r.uncertainty));
      }
      return result;
    },
    async probs(batch) {
      if (!opts.withProbs) throw new Error('openLabeler: probabilities need { withProbs: true }');
      const res: Float32Array[] = [];
      for (const maps of batch) res.push((await labelOne(maps, true)).probs as Float32Array);
      return res;
    },
    async dispose() {
      for (const x of sessions) await x.release();
    },
  };
}
