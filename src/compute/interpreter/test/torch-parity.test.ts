import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../shared/rng';
import type { EnsembleShape } from '../ensemble-params';
import { ALL_TENSORS, initEnsemble } from '../ensemble-params';
import { openTrainSession } from '../train/train-sessions';
import { initialTrainState, trainedParams } from '../train/state';

// The project's Python (torch 1.13) lives at /usr/bin/python3 (README of the build machines).
const PYTHON = '/usr/bin/python3';
const hasTorch = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!hasTorch).each(['loop', 'step'] as const)(
  'training chunks (the %s way) against the official PyTorch loop',
  (way) => {
    async function compare(K: number): Promise<{ lossDiffs: number[]; diffs: Record<string, Float64Array> }> {
      const shape: EnsembleShape = { members: 1, inputDims: 10, hidden: [128, 32], numClasses: 5 };
      const B = 16;
      const p = initEnsemble(shape, 3);
      const rng = new SeededRng(21);
      const x = Float32Array.from({ length: K * B * shape.inputDims }, () => rng.nextNormal());
      const y = Array.from(
        { length: K * B },
        (_, i) =>
          (x[i * shape.inputDims] > 0 ? 1 : 0) + 2 * (x[i * shape.inputDims + 1] > 0.5 ? 1 : 0) + (i % 7 === 0 ? 1 : 0),
      );
      const dir = mkdtempSync(join(tmpdir(), 'dgs-torch-'));
      const jobFile = join(dir, 'job.json');
      writeFileSync(
        jobFile,
        JSON.stringify({
          dim: shape.inputDims,
          classes: shape.numClasses,
          lr: 1e-3,
          steps: K,
          batch: B,
          x: Array.from(x),
          y,
          params: Object.fromEntries(ALL_TENSORS.map((n) => [n, Array.from(p[n])])),
        }),
      );
      const script = fileURLToPath(new URL('./torch_reference.py', import.meta.url));
      const r = spawnSync(PYTHON, [script, jobFile], { encoding: 'utf8', maxBuffer: 64 << 20 });
      rmSync(dir, { recursive: true, force: true });
      expect(r.status, r.stderr).toBe(0);
      const ref = JSON.parse(r.stdout) as Record<string, number[]>;

      const session = await openTrainSession(
        { numClasses: shape.numClasses, lr: 1e-3, patience: 50 },
        { executionProviders: ['cpu'], threads: 1 },
        way,
      );
      const out = await session.train(initialTrainState(p, shape), {
        x,
        y: BigInt64Array.from(y, (v) => BigInt(v)),
        es: new Uint8Array([0]),
        steps: K,
        members: 1,
        batch: B,
        dims: shape.inputDims,
      });
      await session.dispose();

      const losses = out.losses;
      const diffs: Record<string, Float64Array> = {};
      const trained = trainedParams(out.state, shape);
      for (const name of ALL_TENSORS) {
        const got = trained[name];
        expect(got.length).toBe(ref[name].length);
        diffs[name] = Float64Array.from(got, (v, i) => Math.abs(v - ref[name][i])).sort();
      }
      return { lossDiffs: ref.losses.map((l, k) => Math.abs(losses[k] - l)), diffs };
    }

    it('matches pixel_classifier + Adam + CrossEntropyLoss exactly on the first step', async () => {
      const { lossDiffs, diffs } = await compare(1);
      expect(lossDiffs[0]).toBeLessThan(1e-6);
      for (const [name, d] of Object.entries(diffs)) expect(d[d.length - 1], name).toBeLessThan(1e-6);
    });

    it('stays with it over 30 steps (Adam turns rounding noise of near-zero gradients into ±lr steps)', async () => {
      // b1's gradient is analytically zero for units the ReLU passes on the whole batch (BatchNorm
      // removes the shift), so both frameworks step on rounding noise there: bounded by lr per step.
      const { lossDiffs, diffs } = await compare(30);
      expect(Math.max(...lossDiffs)).toBeLessThan(3e-3);
      for (const [name, d] of Object.entries(diffs)) {
        expect(d[Math.floor(d.length / 2)], `${name} median`).toBeLessThan(1e-3);
        expect(d[d.length - 1], `${name} max`).toBeLessThan(30 * 1e-3);
      }
    });
  },
);
