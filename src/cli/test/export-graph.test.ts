/**
 * `dgs export-graph` as a user runs it, then the exported file in onnxruntime-node: for 8 seeds its
 * images and labels are byte for byte those `dgs generate` wrote, with z drawn from the seeds and ψ
 * taken from the file's own metadata. And the refusals: an existing file, a resolution that does not
 * divide the model's, a missing interpreter.
 */
import fs from 'node:fs';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeGrayPng, decodePng } from '../../node/io/png';
import { latentFromSeed } from '../../shared/rng';
import { computeOver } from '../../shared/compute-api';
import { LocalComputeCore } from '../../compute/compute-core';
import { makeTinyProject } from '../../engine/jobs/test/tiny-project';
import { dgs, scratchDir } from './run-dgs';

const scratch = scratchDir('dgs-cli-export-');

function metadataOf(file: string): Record<string, string> {
  const model = onnxProto.onnx.ModelProto.decode(fs.readFileSync(file));
  return Object.fromEntries(model.metadataProps.map((p) => [p.key as string, p.value as string]));
}

describe('dgs export-graph', () => {
  it('writes a model whose images and labels are those of dgs generate, and refuses what it cannot do', async () => {
    const tmp = scratch.path;
    const file = path.join(tmp, 'p.dgs');
    const compute = computeOver(new LocalComputeCore());
    await makeTinyProject(file, compute);
    await compute.dispose();
    expect(dgs('export-graph', file, '--out', path.join(tmp, 'early.onnx')).stderr).toMatch(
      /no trained interpreter for its model; run `dgs train/,
    );
    const trained = dgs('train', file, '--models', '4', '--cv-folds', '0', '--quick');
    expect(trained.code, trained.stderr).toBe(0);

    const ds = path.join(tmp, 'ds');
    const generated = dgs('generate', file, '--count', '8', '--filter', '0', '--seed', '40', '--out', ds);
    expect(generated.code, generated.stderr).toBe(0);
    const onnxFile = path.join(tmp, 'models', 'labeled.onnx');
    const exported = dgs('export-graph', file, '--out', onnxFile);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^Wrote .*labeled\.onnx \([\d.]+ MB\): 32² images and labels, 2 classes\./);
    expect(exported.stdout).toMatch(/in {3}z {12}float32 {2}\[N, \d+\]/);
    expect(exported.stdout).toMatch(/out {2}label {8}uint8 {4}\[N, 32, 32\]/);

    const meta = metadataOf(onnxFile);
    expect(JSON.parse(meta['dgs.classes'])).toEqual(['background', 'red']);
    expect(JSON.parse(meta['dgs.palette'])).toHaveLength(2);
    const zDim = Number(meta['dgs.z_dim']);
    const psi = Number(meta['dgs.default_psi']);
    const rows = fs
      .readFileSync(path.join(ds, 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { name: string; seed: number; psi: number; score: number });
    expect(rows.map((r) => r.seed)).toEqual([40, 41, 42, 43, 44, 45, 46, 47]);
    expect(rows.every((r) => r.psi === psi)).toBe(true);

    const session = await ort.InferenceSession.create(onnxFile);
    const z = new Float32Array(8 * zDim);
    rows.forEach((r, i) => z.set(latentFromSeed(r.seed, zDim), i * zDim));
    const out = await session.run({
      z: new ort.Tensor('float32', z, [8, zDim]),
      psi: new ort.Tensor('float64', new Float64Array(8).fill(psi), [8]),
    });
    await session.release();
    const R = 32;
    const image = out.image.data as Uint8Array; // [N, 3, R, R]
    const label = out.label.data as Uint8Array;
    const score = out.score.data as Float64Array;
    let labeled = 0;
    rows.forEach((r, b) => {
      const png = decodePng(fs.readFileSync(path.join(ds, 'images', `${r.name}.png`)));
      const planar = Uint8Array.from(
        { length: 3 * R * R },
        (_, i) => png.rgba[4 * (i % (R * R)) + Math.floor(i / (R * R))],
      );
      expect(image.subarray(b * 3 * R * R, (b + 1) * 3 * R * R)).toEqual(planar);
      const labels = decodeGrayPng(fs.readFileSync(path.join(ds, 'labels', `${r.name}.png`))).values;
      expect(label.subarray(b * R * R, (b + 1) * R * R)).toEqual(labels);
      expect(score[b]).toBeCloseTo(r.score, 12);
      labeled += labels.filter((v) => v === 1).length;
    });
    expect(labeled).toBeGreaterThan(0); // the "red" class is found, not only background

    // Refusals write nothing.
    const before = fs.statSync(onnxFile).mtimeMs;
    expect(dgs('export-graph', file, '--out', onnxFile).stderr).toMatch(
      /exists already; choose another name, or pass --force/,
    );
    expect(fs.statSync(onnxFile).mtimeMs).toBe(before);
    const odd = path.join(tmp, 'odd.onnx');
    expect(dgs('export-graph', file, '--out', odd, '--resolution', '24').stderr).toMatch(
      /resolution must divide the model's 32/,
    );
    expect(fs.existsSync(odd)).toBe(false);
    expect(dgs('export-graph', file, '--out', odd, '--interpreter', 'nope').stderr).toMatch(
      /no interpreter nope for its model; `dgs info .*p\.dgs` lists them\./,
    );
    expect(dgs('export-graph', file, '--out', path.join(tmp, 'x.txt')).stderr).toMatch(/ends in \.onnx/);

    // Half the resolution: images averaged 2 × 2, labels on a 16² grid.
    const half = dgs('export-graph', file, '--out', path.join(tmp, 'half.onnx'), '--resolution', '16');
    expect(half.code, half.stderr).toBe(0);
    const small = await ort.InferenceSession.create(path.join(tmp, 'half.onnx'));
    const o = await small.run({
      z: new ort.Tensor('float32', z.subarray(0, zDim), [1, zDim]),
      psi: new ort.Tensor('float64', Float64Array.of(psi), [1]),
    });
    await small.release();
    expect(o.image.dims).toEqual([1, 3, 16, 16]);
    expect(o.label.dims).toEqual([1, 16, 16]);
  });
});
