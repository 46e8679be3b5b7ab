import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spyOnSessionRelease } from '../../test/session-release';
import { readBundleDir, bundleSha256 } from '../../../node/bundle/bundle';
import { Generator } from '../generator';
import { openSession } from '../../runtime/execution-provider';
import { FLOAT, GraphBuilder, encodeModel } from '../../interpreter/onnx-builder';

const TINY = path.resolve('e2e/fixtures/tiny-bundle');
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-gen-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Copy the tiny bundle and let a test damage the copy. */
function brokenCopy(name: string, damage: (dir: string) => void): string {
  const dir = path.join(tmp, name);
  fs.cpSync(TINY, dir, { recursive: true });
  damage(dir);
  return dir;
}

/** The manifest fields these tests damage. */
interface EditableManifest {
  zDim?: number;
  features: { name: string; channels: number }[];
}

function editManifest(dir: string, edit: (m: EditableManifest) => void) {
  const file = path.join(dir, 'manifest.json');
  const m = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(m);
  fs.writeFileSync(file, JSON.stringify(m));
}

describe('the tiny test bundle', () => {
  it('loads, passes its checks, and produces images and every feature map at native resolution', async () => {
    const bundle = readBundleDir(TINY);
    const gen = await Generator.load(bundle, { provider: 'cpu', verifyByForward: true });
    const batch = await gen.generate([7, 8, 9], 0.7, true);
    const m = gen.manifest;
    expect(batch.images).toHaveLength(3);
    expect(batch.images[0]).toHaveLength(m.resolution * m.resolution * 3);
    expect(batch.features).toHaveLength(3);
    for (const [i, f] of m.features.entries()) {
      expect(batch.features![1][i].data).toHaveLength(f.channels * f.resolution * f.resolution);
    }
    // Not a constant image: random weights still make structure.
    expect(new Set(batch.images[0]).size).toBeGreaterThan(20);
    await gen.dispose();
  });

  it('gives the same pixels for a seed whether it runs alone or in a batch', async () => {
    const gen = await Generator.load(readBundleDir(TINY), { provider: 'cpu' });
    const alone = await gen.generate([8], 0.7);
    const batched = await gen.generate([7, 8, 9], 0.7);
    // Batched convolutions may round differently in the last float bit; RGB8 must agree within 1 level.
    let maxDiff = 0;
    alone.images[0].forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - batched.images[1][i]))));
    expect(maxDiff).toBeLessThanOrEqual(1);
    const again = await gen.generate([8], 0.7);
    expect(Buffer.from(again.images[0]).equals(Buffer.from(alone.images[0]))).toBe(true);
    await gen.dispose();
  });

  it('truncates toward wAvg on the cutoff ws only, and ψ = 1 leaves w unchanged', async () => {
    const gen = await Generator.load(readBundleDir(TINY), { provider: 'cpu' });
    const { wDim, numWs, wAvg } = gen.manifest;
    const w = Float32Array.from({ length: wDim }, (_, k) => k / 10);
    const ws = gen.truncate(w, 1, 0.5);
    expect(ws).toHaveLength(numWs * wDim);
    for (let k = 0; k < wDim; k++) expect(ws[k]).toBeCloseTo(wAvg[k] + 0.5 * (w[k] - wAvg[k]), 6);
    const ws1 = gen.truncate(w, 1, 1);
    expect(Array.from(ws1.subarray(0, wDim))).toEqual(Array.from(w));
    await gen.dispose();
  });

  it('parks: closes its sessions, a forward in flight first, and opens them again for the next forward', async () => {
    const gen = await Generator.load(readBundleDir(TINY), { provider: 'cpu' });
    const release = spyOnSessionRelease();
    try {
      const before = await gen.generate([3], 0.7, true);
      // Asked while a forward runs: that forward finishes on the open sessions, then both close.
      const inFlight = gen.generate([4], 0.7, false);
      await gen.park();
      expect(release).not.toHaveBeenCalled();
      expect((await inFlight).images).toHaveLength(1);
      expect(release).toHaveBeenCalledTimes(2);
      await gen.park();
      expect(release).toHaveBeenCalledTimes(2);
      // Reopened by the next forward, on the provider it settled on, with the same pixels and maps.
      const after = await gen.generate([3], 0.7, true);
      expect(after.images[0]).toEqual(before.images[0]);
      expect(after.features![0][1].data).toEqual(before.features![0][1].data);
      await gen.dispose();
      expect(release).toHaveBeenCalledTimes(4);
      await expect(gen.generate([3], 0.7)).rejects.toThrow(/disposed/);
      expect(release).toHaveBeenCalledTimes(4);
    } finally {
      release.mockRestore();
    }
  });

  it('has an identity that ignores the folder name and changes with any byte', () => {
    const a = readBundleDir(TINY);
    const copy = brokenCopy('renamed', () => {});
    expect(readBundleDir(copy).sha256).toBe(a.sha256);
    const mapping = new Uint8Array(a.mapping);
    mapping[mapping.length - 1] ^= 1;
    expect(bundleSha256(a.manifestJson, mapping, a.synthesis)).not.toBe(a.sha256);
  });
});

describe('bad bundles are refused with a sentence', () => {
  const cases: [string, (dir: string) => void, RegExp][] = [
    ['a missing graph', (d) => fs.rmSync(path.join(d, 'synthesis.onnx')), /has no synthesis graph/],
    ['a manifest that is not JSON', (d) => fs.writeFileSync(path.join(d, 'manifest.json'), '{nope'), /not valid JSON/],
    ['a manifest missing fields', (d) => editManifest(d, (m) => delete m.zDim), /zDim/],
    [
      'a manifest that lies about a feature map',
      (d) => editManifest(d, (m) => (m.features[2].channels = 99)),
      /f02_8_conv0.*shape/,
    ],
    [
      'a manifest naming an output the graph lacks',
      (d) => editManifest(d, (m) => (m.features[0].name = 'no_such_map')),
      /no_such_map/,
    ],
    ['a manifest that lies about z', (d) => editManifest(d, (m) => (m.zDim = 31)), /mapping input "z" has shape/],
    [
      'a graph that is not ONNX',
      (d) => fs.writeFileSync(path.join(d, 'mapping.onnx'), 'hello, I am text'),
      /not an ONNX model/,
    ],
  ];
  for (const [what, damage, message] of cases) {
    it(`refuses ${what}`, async () => {
      const dir = brokenCopy(what.replace(/\W+/g, '-'), damage);
      const attempt = async () => Generator.load(readBundleDir(dir), { provider: 'cpu', verifyByForward: true });
      await expect(attempt()).rejects.toMatchObject({ name: 'UserError', message });
    });
  }

  /** A mapping graph z → w (zDim = wDim = 32) whose batch handling is broken the way `body` says. */
  function mappingWith(dims: (number | string)[], body: (g: GraphBuilder, z: string) => string): Uint8Array {
    const g = new GraphBuilder('m_');
    const z = g.input('z', FLOAT, dims);
    g.op('Identity', [body(g, z)], {}, 'w');
    g.output('w', FLOAT, dims);
    return encodeModel(g.graph('broken_mapping'));
  }
  const batchCases: [string, Uint8Array, RegExp][] = [
    [
      'a graph declared with a fixed batch of 1',
      mappingWith([1, 32], (g, z) => g.op('Mul', [z, g.constFloat([1], [])])),
      /fixed batch size of 1.*dynamic first axis/,
    ],
    [
      'a graph whose batch is fixed inside (a reshape to 1)',
      mappingWith(['batch', 32], (g, z) => g.op('Reshape', [z, g.constInt64([1, 32])])),
      /on 2 samples at once failed.*fix the batch size somewhere inside/,
    ],
    [
      'a graph that mixes the samples of a batch',
      mappingWith(['batch', 32], (g, z) => g.op('Add', [z, g.op('ReduceMean', [z], { axes: [0], keepdims: 1 })])),
      /another image for a sample when a second one runs beside it/,
    ],
  ];
  for (const [what, mapping, message] of batchCases) {
    it(`refuses ${what}, saying how to re-export`, async () => {
      const dir = brokenCopy(what.replace(/\W+/g, '-'), (d) => fs.writeFileSync(path.join(d, 'mapping.onnx'), mapping));
      await expect(
        Generator.load(readBundleDir(dir), { provider: 'cpu', verifyByForward: true }),
      ).rejects.toMatchObject({ name: 'UserError', message });
    });
  }

  it('refuses an absurdly large file without reading it', () => {
    const dir = brokenCopy('huge', (d) => {
      const fd = fs.openSync(path.join(d, 'synthesis.onnx'), 'w');
      fs.ftruncateSync(fd, 3 * 1024 ** 3); // sparse: costs no disk
      fs.closeSync(fd);
    });
    expect(() => readBundleDir(dir)).toThrow(/GiB, more than a model bundle can hold/);
  });

  it('refuses a path that is not a bundle folder', () => {
    expect(() => readBundleDir(path.join(TINY, 'manifest.json'))).toThrow(/is a file, not a model bundle folder/);
    expect(() => readBundleDir(path.join(tmp, 'nothing-here'))).toThrow(/There is no model bundle/);
  });
});

describe('execution provider choice', () => {
  it('falls back to CPU and records why when CUDA is asked for but absent', async () => {
    const bytes = fs.readFileSync(path.join(TINY, 'mapping.onnx'));
    const { session, provider } = await openSession(bytes, { provider: 'cuda' });
    expect(provider.name).toBe('cpu');
    expect(provider.reason).toMatch(/CUDA was asked for/);
    await session.release();
  });

  it('says why it chose CPU under auto when the CUDA files are not installed, and honours a forced CPU', async () => {
    const bytes = fs.readFileSync(path.join(TINY, 'mapping.onnx'));
    const auto = await openSession(bytes, { provider: 'auto' });
    expect(auto.provider.name).toBe('cpu');
    expect(auto.provider.reason).toMatch(/not installed|failed/);
    const cpu = await openSession(bytes, { provider: 'cpu' });
    expect(cpu.provider).toMatchObject({ name: 'cpu', reason: expect.stringMatching(/forced/) });
    await Promise.all([auto.session.release(), cpu.session.release()]);
  });
});
