/**
 * Annotating in the studio (Chromium against `dgs serve`): draw a polygon and a brush stroke with the
 * mouse, fill, erase, undo and redo; every step autosaves; reload the page and find the work there; then
 * pre-label another sample from the interpreter and correct it. The saved label maps are read back with
 * `dgs label export` and compared pixel for pixel with the same edits replayed through src/shared's
 * rasterizers. Screenshots go to e2e/artifacts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strokeMask } from '../src/shared/raster/brush';
import { floodRegion } from '../src/shared/raster/flood-fill';
import { lockTable, type LabelRaster } from '../src/shared/raster/label-raster';
import { paintMask } from '../src/shared/raster/paint';
import { polygonMask } from '../src/shared/raster/polygon';
import { hasChromium, launch, shot, watchPage } from './helpers/browser';
import { mismatches } from './helpers/person';
import { serve, type Served } from './helpers/serve';
import { allSaved, callApi, openSample as openStudioSample } from './helpers/studio-page';
import { Workspace } from './helpers/workspace';

const R = 64;

describe.skipIf(!hasChromium)('annotating in the studio', () => {
  let ws: Workspace;
  let file: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  /** Quick cross-validations the page asked for itself (the engine starts them after saves, so none). */
  const askedForCv: string[] = [];
  const expected = new Map<number, LabelRaster>();

  const openSample = (seed: number, annotated: boolean) => openStudioSample(page, seed, annotated);
  const saved = () => allSaved(page);

  /** What `dgs label export` wrote for the sample with this seed. */
  function exported(dir: string, seed: number): Uint8Array {
    const info = JSON.parse(ws.dgs('info', file, '--json', '--samples')) as { samples: { id: string; seed: number }[] };
    const id = info.samples.find((s) => s.seed === seed)!.id;
    const png = PNG.sync.read(fs.readFileSync(path.join(dir, 'labels', `${id}.png`)));
    return Uint8Array.from({ length: R * R }, (_, i) => png.data[4 * i]);
  }

  beforeAll(async () => {
    ws = new Workspace('dgs-e2e-annotate-');
    file = ws.path('faces.dgs');
    ws.dgs('init', file, '--model', 'default');
    ws.dgs('sample', file, '--count', '4', '--seed', '0', '--psi', '1');
    ws.dgs('label', 'import', file, ws.labels('labels', { 0: 0, 1: 1 }), '--author', 'demo');
    ws.dgs('train', file, '--models', '2', '--quick', '--cv-folds', '0');
    served = await serve(file, [], ws.env());
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    problems = watchPage(page);
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/train:quick-cv') askedForCv.push(r.url());
    });
    await page.addInitScript(() => localStorage.setItem('dgs.author', 'Ada'));
    await page.goto(served.url);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    ws?.remove();
  });

  it('draws, fills, erases, undoes and redoes with the mouse, each step saved', async () => {
    const me = await openSample(2, false);
    const want: LabelRaster = { width: R, height: R, pixels: new Uint8Array(R * R) };
    const none = lockTable();

    // Polygon of class 1 (skin): four clicks, Enter closes it.
    await me.key('p');
    await me.key('1');
    const ring: number[] = [];
    for (const [x, y] of [
      [8, 8],
      [44, 10],
      [40, 46],
      [12, 38],
    ] as [number, number][])
      ring.push(...(await me.click(x, y)));
    await me.key('Enter');
    paintMask(want, polygonMask({ rings: [ring], fillRule: 'nonzero' }, R, R), 1, none);
    await saved();
    await shot(page, 'annotate-1-polygon');

    // Brush stroke of class 2 (hair), 3 px (one ] from the default size… set it exactly below).
    await me.key('2');
    await me.key('b');
    await page.evaluate(() => window.dgsAnnotation!.editor.setBrushSize(3));
    const stroke = await me.drag(
      [
        [20, 50],
        [55, 52],
        [58, 20],
      ],
      12,
    );
    paintMask(want, strokeMask(stroke, 3, R, R), 2, none);
    await saved();

    // Fill the rest of the polygon's region with class 3 (eye).
    await me.key('3');
    await me.key('f');
    const [fx, fy] = await me.click(24, 24);
    paintMask(want, floodRegion(want, Math.floor(fx), Math.floor(fy)), 3, none);
    await saved();

    // Erase across it; undo takes the erasing back, redo brings it again.
    await me.key('e');
    await page.evaluate(() => window.dgsAnnotation!.editor.setBrushSize(5));
    const erase = await me.drag(
      [
        [5, 30],
        [60, 30],
      ],
      10,
    );
    const beforeErase = want.pixels.slice();
    paintMask(want, strokeMask(erase, 5, R, R), 0, none);
    await saved();
    await page.keyboard.press('Control+z');
    await saved();
    await expect
      .poll(() => page.evaluate(() => Array.from(window.dgsAnnotation!.editor.session!.raster.pixels)))
      .toEqual(Array.from(beforeErase));
    await page.keyboard.press('Control+Shift+z');
    await saved();
    await expect
      .poll(() => page.evaluate(() => Array.from(window.dgsAnnotation!.editor.session!.raster.pixels)))
      .toEqual(Array.from(want.pixels));
    await shot(page, 'annotate-2-edited');
    expected.set(2, want);
  });

  it('finds the work after a reload', async () => {
    await page.reload();
    await openSample(2, true);
    await expect.poll(() => page.getByText(/^Annotated by Ada, revision \d+$/).isVisible()).toBe(true);
    const pixels = await page.evaluate(() => Array.from(window.dgsAnnotation!.editor.session!.raster.pixels));
    expect(mismatches(Uint8Array.from(pixels), expected.get(2)!)).toBe(0);
  });

  it('pre-labels a sample from the interpreter, then corrects it', async () => {
    const me = await openSample(3, false);
    const sampleId = await page.evaluate(() => window.dgsAnnotation!.editor.session!.sampleId);
    const { labels: prediction } = await callApi<{ labels: Uint8Array }>(served, 'label:predict', { sampleId });
    await expect
      .poll(() => page.getByRole('button', { name: 'Pre-label' }).isEnabled(), { timeout: 30_000 })
      .toBe(true);
    await me.key('a');
    const want: LabelRaster = { width: R, height: R, pixels: prediction.slice() };
    await saved();
    await shot(page, 'annotate-3-prelabeled');
    await me.key('9');
    await me.key('b');
    await page.evaluate(() => window.dgsAnnotation!.editor.setBrushSize(4));
    const fix = await me.drag(
      [
        [30, 56],
        [34, 63],
      ],
      6,
    );
    paintMask(want, strokeMask(fix, 4, R, R), 9, lockTable());
    await saved();
    await shot(page, 'annotate-4-corrected');
    expected.set(3, want);
  });

  it('shows a quick cross-validated IoU per class after saving, and opens the next uncertain sample', async () => {
    await expect
      .poll(() => page.getByRole('table', { name: 'Cross-validated IoU per class' }).isVisible(), { timeout: 180_000 })
      .toBe(true);
    await shot(page, 'annotate-5-iou-panel');
    expect(askedForCv, 'the engine, not the page, starts the quick check').toEqual([]);
    await page.getByRole('button', { name: 'Next uncertain sample' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: /^Sample seed \d+,/ }).count(), { timeout: 120_000 })
      .toBe(5);
    // The pick is a fresh seed (one past the project's largest), now open in the canvas.
    await expect.poll(() => page.locator('.sample-panel').textContent()).toMatch(/Seed (\d{2,}|[4-9]) /);
  });

  it('saved exactly those label maps (dgs label export), and the page reported no errors', async () => {
    expect(problems).toEqual([]);
    await browser.close();
    expect(await served.stop()).toBe(0);
    const out = ws.path('export');
    ws.dgs('label', 'export', file, '--out', out);
    for (const [seed, want] of expected) expect(mismatches(exported(out, seed), want), `seed ${seed}`).toBe(0);
  });
});
