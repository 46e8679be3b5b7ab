/**
 * "Export labeled graph…" on the Generate screen (Chromium against `dgs serve`): a demo project with 4
 * labeled samples and a small interpreter (made with `dgs`), the dialog filled in as a user does, the
 * sentence it answers, and the file it wrote: an ONNX model that runs and makes 64² images and labels.
 * The dialog is saved in the light and the dark theme under e2e/artifacts/.
 */
import fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latentFromSeed } from '../src/shared/rng';
import { hasChromium, launch, shot, watchPage } from './helpers/browser';
import { serve, type Served } from './helpers/serve';
import { Workspace } from './helpers/workspace';

describe.skipIf(!hasChromium)('exporting the labeled graph from the studio', () => {
  let ws: Workspace;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ws = new Workspace('dgs-e2e-graph-');
    const p = ws.path('p.dgs');
    ws.dgs('init', p, '--model', 'default');
    ws.dgs('sample', p, '--count', '4', '--seed', '0', '--psi', '1');
    ws.dgs('label', 'import', p, ws.labels('labels', { 0: 0, 1: 1, 2: 2, 3: 3 }), '--author', 'ada');
    ws.dgs('train', p, '--models', '2', '--cv-folds', '0', '--epochs', '1');
    served = await serve(p, [], ws.env());
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    problems = watchPage(page);
    await page.addInitScript(() => localStorage.setItem('dgs.author', 'ada'));
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    ws?.remove();
  });

  it('writes the model the dialog names, and says what it wrote', async () => {
    const out = ws.path('models', 'faces.onnx');
    await page.goto(served.url);
    await page.getByRole('tab', { name: 'Generate' }).click();
    await page.getByRole('button', { name: 'Export labeled graph…' }).click();
    await page.getByLabel('Save as (.onnx)').fill(out);
    await expect.poll(() => page.getByLabel('Image and label size').inputValue()).toBe('64');
    await expect.poll(() => page.locator('.bp6-overlay-enter-done').count()).toBeGreaterThan(0);
    await shot(page, 'export-graph-1-dialog');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await expect
      .poll(
        () => page.getByText(/^Wrote .*faces\.onnx \([\d.]+ MB\): 64² images and labels, \d+ classes\./).isVisible(),
        {
          timeout: 120_000,
        },
      )
      .toBe(true);
    await shot(page, 'export-graph-2-written');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 })
      .toMatch(/exists already; choose another name, or tick "Replace the file if it exists"\./);
    await shot(page, 'export-graph-3-refused');
    await page.getByRole('button', { name: 'Done', exact: true }).click();
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
    await expect.poll(() => page.evaluate(() => document.body.classList.contains('bp6-dark'))).toBe(true);
    await page.getByRole('button', { name: 'Export labeled graph…' }).click();
    await expect.poll(() => page.locator('.bp6-overlay-enter-done').count()).toBeGreaterThan(0);
    expect(await page.getByRole('alert').count()).toBe(0); // the last export's refusal is not shown again
    await shot(page, 'export-graph-4-dark');

    const session = await ort.InferenceSession.create(out);
    const zDim = 64; // the demo model's
    const r = await session.run({
      z: new ort.Tensor('float32', latentFromSeed(9, zDim), [1, zDim]),
      psi: new ort.Tensor('float64', Float64Array.of(0.7), [1]),
    });
    await session.release();
    expect(r.image.dims).toEqual([1, 3, 64, 64]);
    expect(r.label.dims).toEqual([1, 64, 64]);
    expect(fs.statSync(out).size).toBeGreaterThan(1e6);
    expect(problems).toEqual([]);
  });
});
