/**
 * The feature wand in the studio (Chromium against `dgs serve` on the demo's generator): W picks it, a
 * click on the face previews the part the generator's features select (the same mask the host's
 * `wand:select` gives for those clicks), Shift/Alt clicks refine it while the hint counts them, Enter keeps
 * it as one undo step, undo and redo work, and after a reload and `dgs label export` the saved label map
 * is exactly the selection painted in the class, pixel for pixel. Screenshots (light and dark) go to
 * e2e/artifacts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WandClick } from '../src/shared/wand';
import { hasChromium, launch, shot, watchPage } from './helpers/browser';
import { mismatches } from './helpers/person';
import { serve, type Served } from './helpers/serve';
import { allSaved, callApi, openSample as openStudioSample } from './helpers/studio-page';
import { Workspace } from './helpers/workspace';

const R = 64;
const SKIN = 1;

describe.skipIf(!hasChromium)('the feature wand in the studio', () => {
  let ws: Workspace;
  let file: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let want: Uint8Array;

  const openSample = (seed: number, annotated: boolean) => openStudioSample(page, seed, annotated);
  const saved = () => allSaved(page);

  const raster = () => page.evaluate(() => Array.from(window.dgsAnnotation!.editor.session!.raster.pixels));

  /** The host's answer for these clicks, asked over HTTP as the page does. */
  async function hostMask(clicks: WandClick[], tolerance: number): Promise<Uint8Array> {
    const sampleId = await page.evaluate(() => window.dgsAnnotation!.editor.session!.sampleId);
    return (await callApi<{ mask: Uint8Array }>(served, 'wand:select', { sampleId, clicks, tolerance, classId: SKIN }))
      .mask;
  }

  beforeAll(async () => {
    ws = new Workspace('dgs-e2e-wand-');
    file = ws.path('faces.dgs');
    ws.dgs('init', file, '--model', 'default');
    ws.dgs('sample', file, '--count', '3', '--seed', '0', '--psi', '1');
    ws.dgs('label', 'import', file, ws.labels('labels', { 0: 0 }), '--author', 'demo');
    served = await serve(file, [], ws.env());
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    problems = watchPage(page);
    await page.addInitScript(() => localStorage.setItem('dgs.author', 'Ada'));
    await page.goto(served.url);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    ws?.remove();
  });

  it('previews the part a click selects, refines it with Shift/Alt clicks and keeps it with Enter', async () => {
    const me = await openSample(1, false);
    await me.key(String(SKIN));
    await me.key('w');
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^Click a part to select it/);

    const first = await me.click(32.5, 38.5);
    const c1 = { x: Math.floor(first[0]), y: Math.floor(first[1]), positive: true };
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 60_000 })
      .toBe('1 click · Shift adds, Alt removes, [ ] tolerance · Enter keeps, Esc drops');
    const preview1 = await page.evaluate(() => Array.from(window.dgsAnnotation!.editor.wand.preview!.mask!));
    expect(preview1[c1.y * R + c1.x]).toBe(1);
    expect(preview1.reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    expect(Array.from(await hostMask([c1], 0.5))).toEqual(preview1);
    // A preview only: nothing painted yet.
    expect((await raster()).every((v) => v === 0)).toBe(true);
    await shot(page, 'wand-1-preview');

    // Wider with ], then a Shift click adds, an Alt click takes away.
    await me.key(']');
    await page.keyboard.down('Shift');
    const second = await me.click(24.5, 30.5);
    await page.keyboard.up('Shift');
    await page.keyboard.down('Alt');
    const third = await me.click(32.5, 55.5);
    await page.keyboard.up('Alt');
    const clicks = [
      c1,
      { x: Math.floor(second[0]), y: Math.floor(second[1]), positive: true },
      { x: Math.floor(third[0]), y: Math.floor(third[1]), positive: false },
    ];
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 30_000 })
      .toBe('3 clicks · Shift adds, Alt removes, [ ] tolerance · Enter keeps, Esc drops');
    // The hint counts the clicks at once; the mask follows when compute answers the newest of them.
    await expect
      .poll(() => page.evaluate(() => window.dgsAnnotation!.editor.wand.preview?.pending), { timeout: 30_000 })
      .toBeNull();
    const preview3 = Uint8Array.from(
      await page.evaluate(() => Array.from(window.dgsAnnotation!.editor.wand.preview!.mask!)),
    );
    expect(Array.from(await hostMask(clicks, 0.55))).toEqual(Array.from(preview3));
    await shot(page, 'wand-2-refined');
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
    await expect.poll(() => page.evaluate(() => document.body.classList.contains('bp6-dark'))).toBe(true);
    await page.waitForTimeout(300);
    await shot(page, 'wand-2-refined-dark');
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
    // Enter on the focused theme button would press it: the keys go back to the canvas.
    await page.locator('[role="application"]').focus();

    await me.key('Enter');
    want = Uint8Array.from(preview3, (m) => (m ? SKIN : 0));
    await expect.poll(raster).toEqual(Array.from(want));
    await saved();
    expect(await page.evaluate(() => window.dgsAnnotation!.editor.wand.preview)).toBeNull();

    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await raster()).every((v) => v === 0)).toBe(true);
    await saved();
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(raster).toEqual(Array.from(want));
    await saved();
    await shot(page, 'wand-3-kept');
  });

  it('finds the selection after a reload', async () => {
    await page.reload();
    await openSample(1, true);
    expect(mismatches(Uint8Array.from(await raster()), { width: R, height: R, pixels: want })).toBe(0);
  });

  it('saved exactly that label map (dgs label export), and the page reported no errors', async () => {
    expect(problems).toEqual([]);
    await browser.close();
    expect(await served.stop()).toBe(0);
    const out = ws.path('export');
    ws.dgs('label', 'export', file, '--out', out);
    const info = JSON.parse(ws.dgs('info', file, '--json', '--samples')) as { samples: { id: string; seed: number }[] };
    const id = info.samples.find((s) => s.seed === 1)!.id;
    const png = PNG.sync.read(fs.readFileSync(path.join(out, 'labels', `${id}.png`)));
    const exported = Uint8Array.from({ length: R * R }, (_, i) => png.data[4 * i]);
    expect(mismatches(exported, { width: R, height: R, pixels: want })).toBe(0);
  });
});
