/**
 * The annotation canvas in Chromium: a person's clicks and strokes (playwright-core mouse and keys)
 * on the harness page, checked pixel for pixel against the same edits replayed through src/shared's
 * rasterizers from the mouse positions. Screenshots go to e2e/artifacts/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quantize } from '../src/renderer/src/canvas/model/editor-events';
import { strokeMask } from '../src/shared/raster/brush';
import { floodRegion } from '../src/shared/raster/flood-fill';
import type { LabelRaster, LockTable } from '../src/shared/raster/label-raster';
import { lockTable } from '../src/shared/raster/label-raster';
import { paintMask, replacePixels } from '../src/shared/raster/paint';
import { polygonMask } from '../src/shared/raster/polygon';
import type { Served } from './canvas-harness/open-harness';
import { buildHarness, canvasOrigin, openHarness, readLabelMap, serveDir } from './canvas-harness/open-harness';
import { syntheticPrediction } from './canvas-harness/synthetic';
import { hasChromium, shot as screenshot } from './helpers/browser';

/** Drives the page in page pixels and records, in image pixels, what the editor should have received. */
class Person {
  constructor(
    private readonly page: Page,
    private readonly origin: { left: number; top: number },
    private readonly v: readonly number[],
  ) {}

  /** Image coordinates of a page position, computed as the canvas does, then quantized as the editor does. */
  image(px: number, py: number): [number, number] {
    return [quantize((px - this.origin.left - this.v[4]) / this.v[0]), quantize((py - this.origin.top - this.v[5]) / this.v[3])];
  }

  /** Page position of image point (x, y). */
  page_(x: number, y: number): [number, number] {
    return [this.origin.left + this.v[4] + x * this.v[0], this.origin.top + this.v[5] + y * this.v[3]];
  }

  async key(k: string): Promise<void> {
    await this.page.keyboard.press(k);
  }

  async click(x: number, y: number): Promise<[number, number]> {
    const [px, py] = this.page_(x, y);
    await this.page.mouse.click(px, py);
    return this.image(px, py);
  }

  /**
   * Press at the first image point and drag through the others in straight moves of `steps` events
   * each; returns every position the pointer passed, in image pixels.
   */
  async drag(points: [number, number][], steps: number): Promise<number[]> {
    let [cx, cy] = this.page_(...points[0]);
    await this.page.mouse.move(cx, cy);
    await this.page.mouse.down();
    const seen = [...this.image(cx, cy)];
    for (const p of points.slice(1)) {
      const [tx, ty] = this.page_(...p);
      await this.page.mouse.move(tx, ty, { steps });
      for (let i = 1; i <= steps; i++) seen.push(...this.image(cx + ((tx - cx) * i) / steps, cy + ((ty - cy) * i) / steps));
      [cx, cy] = [tx, ty];
    }
    await this.page.mouse.up();
    return seen;
  }
}

function mismatches(actual: Uint8Array, expected: LabelRaster): number {
  let n = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected.pixels[i]) n++;
  return n;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.__harness.handle!.stage.renderNow());
  await screenshot(page, `canvas-${name}`);
}

describe.skipIf(!hasChromium)('annotation canvas in Chromium', () => {
  let served: Served;

  beforeAll(async () => {
    served = await serveDir(await buildHarness());
  });

  afterAll(async () => {
    await served?.[Symbol.asyncDispose]();
  });

  it('draws a polygon and a brush stroke, fills, erases, undoes and redoes — pixel for pixel', async () => {
    const S = 1024;
    await using h = await openHarness(served.url, S);
    const { page } = h;
    const v = [1, 0, 0, 1, 24, 16];
    await page.evaluate((vp) => window.__harness.setViewport(vp as never), v);
    const me = new Person(page, await canvasOrigin(page), v);
    const expected: LabelRaster = { width: S, height: S, pixels: new Uint8Array(S * S) };
    const none: LockTable = lockTable();
    const check = async (what: string) => expect(mismatches(await readLabelMap(page), expected), what).toBe(0);

    // Polygon of class 1 (hair): four clicks, then a click on the first vertex closes it.
    await me.key('p');
    await me.key('1');
    const ring: number[] = [];
    for (const [x, y] of [[100, 80], [520, 120], [470, 560], [140, 430]] as [number, number][]) ring.push(...(await me.click(x, y)));
    await me.click(100, 80);
    paintMask(expected, polygonMask({ rings: [ring], fillRule: 'nonzero' }, S, S), 1, none);
    await check('after the polygon');
    await shot(page, '1-polygon');

    // Brush stroke of class 2 (skin), 16 px (9 → 11 → 13 → 16 with three presses of ]).
    await me.key('2');
    await me.key('b');
    for (let i = 0; i < 3; i++) await me.key(']');
    expect(await page.evaluate(() => window.__harness.handle!.editor.settings.brushSize)).toBe(16);
    const stroke = await me.drag([[300, 300], [700, 340], [760, 700]], 40);
    paintMask(expected, strokeMask(stroke, 16, S, S), 2, none);
    await check('after the brush stroke');
    await shot(page, '2-brush');

    // Fill the hair region (class 1) where the click lands with class 3 (eye).
    await me.key('3');
    await me.key('f');
    const [fx, fy] = await me.click(200, 200);
    paintMask(expected, floodRegion(expected, Math.floor(fx), Math.floor(fy)), 3, none);
    await check('after the fill');
    await shot(page, '3-fill');

    // Erase across everything.
    await me.key('e');
    const before = expected.pixels.slice();
    const erase = await me.drag([[80, 500], [900, 260]], 41);
    paintMask(expected, strokeMask(erase, 16, S, S), 0, none);
    await check('after erasing');
    const erased = expected.pixels.slice();
    await shot(page, '4-erase');

    await me.key('Control+z');
    expected.pixels.set(before);
    await check('after undo');
    await shot(page, '5-undo');
    await me.key('Control+Shift+KeyZ');
    expected.pixels.set(erased);
    await check('after redo');

    // Pre-label from the (synthetic) prediction, then correct it with skin locked.
    await me.key('a');
    replacePixels(expected, syntheticPrediction(S), none);
    await check('after pre-label');
    await shot(page, '6-prelabel');
    await me.key('2');
    await me.key('l');
    await me.key('4');
    await me.key('b');
    // From inside the face (skin, locked: stays) out across its edge (background: becomes mouth).
    const fix = await me.drag([[700, 700], [1000, 940]], 20);
    const fixed = paintMask(expected, strokeMask(fix, 16, S, S), 4, lockTable([2]));
    expect(fixed && fixed.width * fixed.height).toBeGreaterThan(0);
    await check('after correcting with skin locked');
    await shot(page, '7-corrected');
    await me.key('Control+z');
    await me.key('Control+z');
    expected.pixels.set(erased);
    await check('after undoing the correction and the pre-label');

    expect(await page.evaluate(() => window.__harness.commits)).toBeGreaterThanOrEqual(9);
    expect(await page.evaluate(() => window.__harness.cspViolations)).toEqual([]);
    expect(h.errors).toEqual([]);
  });

  it('labels a 64² sample at 8× zoom with a one-pixel brush, pixel for pixel', async () => {
    const S = 64;
    await using h = await openHarness(served.url, S);
    const { page } = h;
    const v = [8, 0, 0, 8, 40, 32];
    await page.evaluate((vp) => window.__harness.setViewport(vp as never), v);
    const me = new Person(page, await canvasOrigin(page), v);
    await me.key('b');
    for (let i = 0; i < 8; i++) await me.key('[');
    const stroke = await me.drag([[3.3, 4.2], [40.1, 9.6], [20.7, 60.2]], 24);
    const expected: LabelRaster = { width: S, height: S, pixels: new Uint8Array(S * S) };
    paintMask(expected, strokeMask(stroke, 1, S, S), 1, lockTable());
    expect(mismatches(await readLabelMap(page), expected)).toBe(0);
    await shot(page, '8-small-8x');
    expect(h.errors).toEqual([]);
  });
});
