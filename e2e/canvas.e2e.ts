/**
 * The annotation canvas in Chromium: a person's clicks and strokes (playwright-core mouse and keys)
 * on the harness page, checked pixel for pixel against the same edits replayed through src/shared's
 * rasterizers from the mouse positions. Screenshots go to e2e/artifacts/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { mismatches, Person } from './helpers/person';

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
    for (const [x, y] of [
      [100, 80],
      [520, 120],
      [470, 560],
      [140, 430],
    ] as [number, number][])
      ring.push(...(await me.click(x, y)));
    await me.click(100, 80);
    paintMask(expected, polygonMask({ rings: [ring], fillRule: 'nonzero' }, S, S), 1, none);
    await check('after the polygon');
    await shot(page, '1-polygon');

    // Brush stroke of class 2 (skin), 16 px (9 → 11 → 13 → 16 with three presses of ]).
    await me.key('2');
    await me.key('b');
    for (let i = 0; i < 3; i++) await me.key(']');
    expect(await page.evaluate(() => window.__harness.handle!.editor.settings.brushSize)).toBe(16);
    const stroke = await me.drag(
      [
        [300, 300],
        [700, 340],
        [760, 700],
      ],
      40,
    );
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
    const erase = await me.drag(
      [
        [80, 500],
        [900, 260],
      ],
      41,
    );
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
    const fix = await me.drag(
      [
        [700, 700],
        [1000, 940],
      ],
      20,
    );
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
    const stroke = await me.drag(
      [
        [3.3, 4.2],
        [40.1, 9.6],
        [20.7, 60.2],
      ],
      24,
    );
    const expected: LabelRaster = { width: S, height: S, pixels: new Uint8Array(S * S) };
    paintMask(expected, strokeMask(stroke, 1, S, S), 1, lockTable());
    expect(mismatches(await readLabelMap(page), expected)).toBe(0);
    await shot(page, '8-small-8x');
    expect(h.errors).toEqual([]);
  });
});
