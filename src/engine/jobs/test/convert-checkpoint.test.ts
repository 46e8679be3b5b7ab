/**
 * The New project wizard's checkpoint path: a StyleGAN checkpoint converted by tools/stylegan/convert.py
 * (Debian's Python with PyTorch, as CI installs it), embedded into a new project; a broken checkpoint
 * ends in the converter's one sentence and no project file.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalCompute } from '../../../compute';
import { Project } from '../../project';
import { convertCheckpoint } from '../convert-checkpoint';
import { createProject } from '../create-project';

const PY = process.env.DGS_PYTHON ?? '/usr/bin/python3';
const hasTorch = fs.existsSync(PY) && spawnSync(PY, ['-c', 'import torch, onnx'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) console.log(`convert-checkpoint.test: SKIPPED — ${PY} lacks torch/onnx (bash .ci/run installs them).`);

describe.skipIf(!hasTorch)('a checkpoint converted for a new project', () => {
  let tmp: string;
  let ckpt: string;
  const before = process.env.DGS_PYTHON;
  beforeAll(() => {
    process.env.DGS_PYTHON = PY;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-convert-'));
    ckpt = path.join(tmp, 'stylegan2-32.pt');
    const script = [
      'import sys, torch',
      "sys.path[:0] = ['tools/stylegan', 'tools/stylegan/tests']",
      'import test_rosinality_parity as rp',
      `torch.save({'g_ema': rp.random_generator(4).state_dict(), 'latent_avg': torch.zeros(rp.STYLE_DIM)}, ${JSON.stringify(ckpt)})`,
    ].join('\n');
    const r = spawnSync(PY, ['-c', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  });
  afterAll(() => {
    if (before === undefined) delete process.env.DGS_PYTHON;
    else process.env.DGS_PYTHON = before;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("converts, checks and embeds the model, reporting the converter's lines", async () => {
    const lines: string[] = [];
    const converted = await convertCheckpoint(ckpt, { onLine: (l) => lines.push(l) });
    const compute = openLocalCompute();
    try {
      const file = path.join(tmp, 'cars.dgs');
      await createProject(compute, {
        file,
        model: converted.dir,
        classes: [
          { name: 'background', color: '#000000', hotkey: null },
          { name: 'car', color: '#ff0000', hotkey: '1' },
        ],
      });
      const project = Project.open(file, { readonly: true });
      expect(project.info().model).toMatchObject({ architecture: 'stylegan2', resolution: 32 });
      project.dispose();
    } finally {
      converted.dispose();
      await compute.dispose();
    }
    expect(lines.join('\n')).toMatch(/stylegan2 32px, 8 feature maps/);
    expect(fs.existsSync(converted.dir)).toBe(false);
  });

  it("ends a broken checkpoint with the converter's sentence", async () => {
    const bad = path.join(tmp, 'bad.pkl');
    fs.writeFileSync(bad, 'not a checkpoint at all');
    await expect(convertCheckpoint(bad)).rejects.toThrow(/not a readable PyTorch checkpoint/);
  });
});
