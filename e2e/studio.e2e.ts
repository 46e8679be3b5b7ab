/**
 * The studio as a labeler uses it, in Chromium against `dgs serve`: create a project from the demo
 * model, sample 4, bring in labels, train, cancel a second training, generate 20 samples into a
 * temporary folder, and check the files and the project. Every screen is saved under e2e/artifacts/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../src/engine/project';
import { hasChromium, launch, shot, watchPage } from './helpers/browser';
import { computePids, serve, type Served } from './helpers/serve';

const DEMO_LABELS = path.resolve('assets/demo-project/annotations');

describe.skipIf(!hasChromium)('the studio in a browser (dgs serve)', () => {
  let tmp: string;
  let file: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-e2e-studio-'));
    file = path.join(tmp, 'faces.dgs');
    served = await serve(file);
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    problems = watchPage(page);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('refuses requests without the access token', async () => {
    const res = await fetch(served.origin + '/');
    expect(res.status).toBe(401);
    const api = await fetch(served.origin + '/api/project:summary', {
      method: 'POST',
      headers: { 'X-DGS-Request': '1' },
      body: '{}',
    });
    expect(api.status).toBe(401);
  });

  it('creates a project from the demo model', async () => {
    await page.goto(served.url);
    await page.getByLabel('Name', { exact: true }).fill('Ada');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'New project' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: 'Open project' }).isVisible()).toBe(true);
    await shot(page, '01-start');
    await page.getByRole('button', { name: 'New project' }).click();
    await shot(page, '02-new-project/model');
    await page.getByRole('button', { name: 'Next' }).click();
    await shot(page, '03-new-project-classes');
    await page.getByRole('button', { name: 'Next' }).click();
    // The demo's committed labels were drawn on ψ = 1 images: take ψ to 1.
    const handle = page.locator('.bp6-slider-handle').first();
    await handle.focus();
    for (let i = 0; i < 6; i++) await handle.press('ArrowRight');
    await expect.poll(() => page.getByText('Truncation ψ = 1.00').isVisible()).toBe(true);
    await shot(page, '04-new-project-settings');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Annotate' }).isVisible(), { timeout: 60_000 }).toBe(true);
    expect(fs.existsSync(file)).toBe(true);
  });

  it('samples 4 and brings in their labels', async () => {
    await page.getByRole('tab', { name: 'Gallery' }).click();
    await page.getByLabel('How many samples to add').fill('4');
    await page.getByRole('button', { name: 'Sample', exact: true }).click();
    await expect
      .poll(() => page.getByRole('button', { name: /^Sample seed \d+, not annotated$/ }).count(), { timeout: 60_000 })
      .toBe(4);
    await page
      .getByLabel('Import labels')
      .setInputFiles([0, 1, 2, 3].map((s) => path.join(DEMO_LABELS, `seed-${s}.png`)));
    await expect
      .poll(() => page.getByRole('button', { name: /^Sample seed \d+, annotated by Ada$/ }).count(), {
        timeout: 30_000,
      })
      .toBe(4);
    await shot(page, '05-gallery');
    await page.getByRole('tab', { name: 'Annotate' }).click();
    await expect
      .poll(() => page.getByRole('toolbar', { name: 'Annotation tools' }).isVisible(), { timeout: 30_000 })
      .toBe(true);
    // The tab keeps the focus after the click, and arrow keys move between tabs there: leave it first,
    // as a click on the empty canvas area would.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByText('Annotated by Ada, revision 1').isVisible()).toBe(true);
    await shot(page, '06-annotate');
  });

  it('trains, then cancels a second training', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByLabel('Models in the ensemble').fill('3');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect
      .poll(() => page.getByRole('img', { name: 'Training loss' }).isVisible(), { timeout: 60_000 })
      .toBe(true);
    await shot(page, '07-training');
    await expect
      .poll(() => page.getByText(/^Trained: cross-validated mIoU/).isVisible(), { timeout: 240_000 })
      .toBe(true);
    await expect.poll(() => page.getByRole('img', { name: 'Cross-validated IoU per class' }).isVisible()).toBe(true);
    await shot(page, '08-trained');
    await page.getByRole('img', { name: 'Cross-validated IoU per class' }).scrollIntoViewIfNeeded();
    await shot(page, '08b-iou-per-class');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.getByRole('button', { name: 'Cancel training' }).click();
    await expect.poll(() => page.getByText(/Training was cancelled/).isVisible(), { timeout: 60_000 }).toBe(true);
  });

  it('says so when the compute process dies mid-training, and carries on with a new one', async () => {
    const computePid = () => computePids(served);
    const [pid] = computePid();
    expect(pid).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Cancel training' }).isVisible()).toBe(true);
    process.kill(pid, 'SIGKILL');
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 })
      .toMatch(
        /The compute process stopped unexpectedly \(signal SIGKILL\) while training; a new one has started and the project is unchanged/,
      );
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isVisible()).toBe(true);
    await shot(page, '08c-compute-restarted');
    await expect.poll(() => computePid().filter((p) => p !== pid).length, { timeout: 30_000 }).toBe(1);
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
  });

  it('generates 20 labeled samples into a folder', async () => {
    const out = path.join(tmp, 'dataset');
    await page.getByRole('tab', { name: 'Generate' }).click();
    await page.getByLabel('Samples to keep').fill('20');
    await page.getByLabel('Output folder').fill(out);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect.poll(() => page.getByText(/Generated \d+ samples into/).isVisible(), { timeout: 240_000 }).toBe(true);
    await expect
      .poll(() => page.getByRole('img', { name: 'Contact sheet of the latest run' }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    await shot(page, '09-generated');
    const manifest = fs
      .readFileSync(path.join(out, 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: string });
    expect(manifest.filter((m) => m.status === 'kept')).toHaveLength(20);
    expect(fs.readdirSync(path.join(out, 'images'))).toHaveLength(20);
    expect(fs.readdirSync(path.join(out, 'labels'))).toHaveLength(20);
    for (const f of ['coco.json', 'README.md', 'contact-sheet.png', 'run.json'])
      expect(fs.existsSync(path.join(out, f))).toBe(true);
  });

  it('has a dark theme', async () => {
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
    await page.getByRole('tab', { name: 'Annotate' }).click();
    await expect.poll(() => page.evaluate(() => document.body.classList.contains('bp6-dark'))).toBe(true);
    await shot(page, '10-annotate-dark');
  });

  it('left a project file holding exactly what was done, and the page reported no errors', async () => {
    expect(problems).toEqual([]);
    await browser.close();
    expect(await served.stop()).toBe(0);
    const project = Project.open(file, { readonly: true });
    try {
      expect(project.listSamples()).toHaveLength(4);
      expect(project.listAnnotations().map((a) => a.author)).toEqual(['Ada', 'Ada', 'Ada', 'Ada']);
      expect(project.listInterpreters()).toHaveLength(1);
      expect(project.listGenerationRuns().map((r) => r.status)).toEqual(['done']);
    } finally {
      project.dispose();
    }
  });
});
