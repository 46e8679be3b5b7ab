/**
 * The studio's layout at 1280×800 and 1920×1080 (Chromium against `dgs serve`): on every screen, empty
 * or full, with or without a notice, the status bar's bottom is the window's bottom; no button of the
 * canvas's tool bar is cut off; the film strip's captions stay inside their tiles and the first tile is
 * whole; and a banner that appears in the middle of a stroke (the compute process dies) neither moves
 * nor re-fits the canvas, so the stroke lands where it was drawn. Screens are saved for the README in
 * the light and the dark theme.
 */
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strokeMask } from '../src/shared/raster/brush';
import { lockTable, type LabelRaster } from '../src/shared/raster/label-raster';
import { paintMask } from '../src/shared/raster/paint';
import { hasChromium, shot } from './helpers/browser';
import { mismatches, Person } from './helpers/person';
import { computePids } from './helpers/serve';
import { openStudio, type StudioSession } from './helpers/studio-session';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;
const SCREENS = ['Annotate', 'Gallery', 'Train', 'Generate'] as const;
const DEMO_LABELS = path.resolve('assets/demo-project/annotations');
/** A long name, as labelers' names are: the film strip must not let it run into the next tile. */
const AUTHOR = 'Ada Lovelace-Byron';

/** A banner's computed background colour: "rgb(…)" when opaque, "rgba(…)" when see-through. */
const backgroundOf = (banner: Locator) => banner.evaluate((e) => getComputedStyle(e).backgroundColor);

describe.skipIf(!hasChromium)('the studio’s layout', () => {
  let studio: StudioSession;
  let page: Page;

  async function open(tab: (typeof SCREENS)[number]): Promise<void> {
    await page.getByRole('tab', { name: tab }).click();
    await expect.poll(() => page.locator('main').getAttribute('aria-label')).toBe(tab.toLowerCase());
    if (tab === 'Annotate' && (await page.locator('.thumb').count()) > 0)
      await page.waitForFunction(() => window.dgsAnnotation?.editor.session !== undefined);
    await page.waitForTimeout(300);
  }

  /** The status bar's edges and the window's height. */
  const statusBar = () =>
    page.evaluate(() => {
      const r = document.querySelector('.status-bar')!.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, window: innerHeight };
    });

  async function expectStatusBarAtBottom(where: string): Promise<void> {
    const bar = await statusBar();
    expect(bar.bottom, `${where}: the status bar's bottom`).toBeCloseTo(bar.window, 0);
    expect(bar.bottom - bar.top, `${where}: the status bar's height`).toBeLessThan(40);
  }

  /** The status bar's states and names (all but the provider's reason and the file's path) are whole. */
  async function expectStatusBarWhole(where: string): Promise<void> {
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll('.status-bar > :not(.reason):not(.path):not(.spacer), .status-bar .bp6-tag > *')]
        .filter((e) => e.scrollWidth > e.clientWidth + 0.5 || e.getBoundingClientRect().right > innerWidth)
        .map((e) => `${e.textContent} (${e.clientWidth} of ${e.scrollWidth} px)`),
    );
    expect(cut, `${where}: cut parts of the status bar`).toEqual([]);
  }

  beforeAll(async () => {
    studio = await openStudio('dgs-e2e-layout-', { samples: 0 }, { author: AUTHOR, viewport: SIZES[0] });
    page = studio.page;
    await page.locator('.status-bar').waitFor({ timeout: 60_000 });
  });
  afterAll(() => studio?.dispose());

  it('keeps the status bar at the bottom of every empty screen', async () => {
    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const tab of SCREENS) {
        await open(tab);
        await expectStatusBarAtBottom(`empty ${tab} at ${size.width}×${size.height}`);
      }
    }
    await page.setViewportSize(SIZES[0]);
  });

  it('keeps it there while a notice shows', async () => {
    await open('Gallery');
    await page.getByLabel('How many samples to add').fill('12');
    await page.getByRole('button', { name: 'Sample', exact: true }).click();
    await expect
      .poll(() => page.getByRole('button', { name: /^Sample seed \d+, not annotated$/ }).count(), { timeout: 120_000 })
      .toBe(12);
    await page
      .getByLabel('Import labels')
      .setInputFiles([0, 1, 2, 3, 4, 5].map((s) => path.join(DEMO_LABELS, `seed-${s}.png`)));
    await expect.poll(() => page.getByText(/^Imported 6 annotations/).isVisible(), { timeout: 60_000 }).toBe(true);
    // Laid over the screen, a notice must hide what is under it, not mix its text with it.
    expect(await backgroundOf(page.getByRole('status').filter({ hasText: 'Imported 6' }))).toMatch(/^rgb\(/);
    for (const tab of SCREENS) {
      await open(tab);
      await expectStatusBarAtBottom(`${tab} with a notice`);
    }
    await page.getByRole('button', { name: 'Dismiss notice' }).click();
  });

  it('shows every screen whole at 1280×800 and 1920×1080', async () => {
    for (const size of SIZES) {
      await page.setViewportSize(size);
      const at = `${size.width}×${size.height}`;
      for (const tab of SCREENS) {
        await open(tab);
        await expectStatusBarAtBottom(`${tab} at ${at}`);
      }
      await open('Annotate');
      // Every control of the tool bar and the tool settings is inside the window, above the status bar.
      const clipped = await page.evaluate(() => {
        const limit = document.querySelector('.status-bar')!.getBoundingClientRect().top;
        const bar = document.querySelector('[role="toolbar"][aria-label="Annotation tools"]')!.getBoundingClientRect();
        return [...document.querySelectorAll('.dgs-toolbar button, .dgs-tool-options [role="slider"]')]
          .map((b) => ({ name: b.getAttribute('aria-label'), r: b.getBoundingClientRect() }))
          .filter(({ r }) => r.bottom > Math.min(limit, bar.bottom) + 0.5 || r.top < 0 || r.right > innerWidth)
          .map(({ name, r }) => `${name} at ${Math.round(r.top)}–${Math.round(r.bottom)}`);
      });
      expect(clipped, `tool bar at ${at}`).toEqual([]);
      // The film strip: the first tile whole, each caption inside its tile, no caption over the next.
      const strip = await page.evaluate(() => {
        const left = document.querySelector('.sample-strip')!.getBoundingClientRect().left;
        const tiles = [...document.querySelectorAll('.sample-strip .thumb')].map((t) => ({
          tile: t.getBoundingClientRect(),
          caption: t.querySelector('.thumb-caption')!.getBoundingClientRect(),
        }));
        return { left, tiles: tiles.map((t) => ({ ...t, tile: t.tile.toJSON(), caption: t.caption.toJSON() })) };
      });
      expect(strip.tiles.length).toBeGreaterThan(6);
      expect(strip.tiles[0].tile.left, `first tile at ${at}`).toBeGreaterThanOrEqual(strip.left);
      strip.tiles.forEach((t, i) => {
        expect(t.caption.left, `caption ${i} at ${at}`).toBeGreaterThanOrEqual(t.tile.left);
        expect(t.caption.right, `caption ${i} at ${at}`).toBeLessThanOrEqual(t.tile.right);
        if (i > 0)
          expect(t.caption.left, `caption ${i} at ${at}`).toBeGreaterThanOrEqual(strip.tiles[i - 1].caption.right);
      });
    }
    await page.setViewportSize(SIZES[0]);
  });

  // Before the compute process is killed below, so the README's screens show no restart.
  it('saves the screens for the README, light and dark', async () => {
    await page.getByRole('button', { name: /^Sample seed 1, annotated/ }).click();
    await page.waitForFunction(() => document.querySelector('.sample-panel')?.textContent?.includes('Seed 1 '));
    for (const theme of ['light', 'dark'] as const) {
      if (theme === 'dark') await page.getByRole('button', { name: 'Toggle dark theme' }).click();
      await open('Annotate');
      await shot(page, `readme-annotate-${theme}`);
      await open('Gallery');
      await shot(page, `readme-gallery-${theme}`);
    }
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  });

  it('neither moves nor re-fits the canvas when a banner appears mid-stroke', async () => {
    await open('Annotate');
    await page.getByRole('button', { name: /^Sample seed 7, not annotated/ }).click();
    await page.waitForFunction(() => document.querySelector('.sample-panel')?.textContent?.includes('Seed 7 '));
    await page.waitForTimeout(300);
    const place = () =>
      page.evaluate(() => {
        const h = window.dgsAnnotation!;
        const r = h.stage.element.getBoundingClientRect();
        return { left: r.left, top: r.top, width: r.width, height: r.height, v: h.stage.viewport() as number[] };
      });
    const before = await place();
    const me = new Person(page, before, before.v);
    await me.key('b');
    await me.key('2');
    await page.evaluate(() => window.dgsAnnotation!.editor.setBrushSize(3));

    const compute = computePids(studio.served);
    expect(compute).toHaveLength(1);
    // Press, draw half the stroke, let the compute process die (its banner appears), draw the rest.
    const [x0, y0] = me.page_(10, 20);
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    const seen = [...me.image(x0, y0)];
    const moveTo = async (x: number, y: number, from: [number, number]) => {
      const [tx, ty] = me.page_(x, y);
      await page.mouse.move(tx, ty, { steps: 10 });
      for (let i = 1; i <= 10; i++)
        seen.push(...me.image(from[0] + ((tx - from[0]) * i) / 10, from[1] + ((ty - from[1]) * i) / 10));
      return [tx, ty] as [number, number];
    };
    const mid = await moveTo(32, 24, [x0, y0]);
    process.kill(compute[0], 'SIGKILL');
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 })
      .toMatch(/^The compute process stopped unexpectedly/);
    expect(await backgroundOf(page.getByRole('alert'))).toMatch(/^rgb\(/);
    await expect.poll(() => page.locator('.status-bar').getByText('compute restarted').isVisible()).toBe(true);
    await expectStatusBarWhole('after the compute process restarted');
    await shot(page, 'layout-banner-mid-stroke');
    await moveTo(54, 40, mid);
    await page.mouse.up();
    const after = await place();
    expect(after).toEqual(before);
    const want: LabelRaster = { width: 64, height: 64, pixels: new Uint8Array(64 * 64) };
    paintMask(want, strokeMask(seen, 3, 64, 64), 2, lockTable());
    const pixels = await page.evaluate(() => Array.from(window.dgsAnnotation!.editor.session!.raster.pixels));
    expect(mismatches(Uint8Array.from(pixels), want)).toBe(0);
    await expect.poll(() => page.getByText('All changes saved').isVisible(), { timeout: 30_000 }).toBe(true);
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
  });

  it('reported no errors', () => {
    expect(studio.problems).toEqual([]);
  });
});
