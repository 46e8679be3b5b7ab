/**
 * The Train screen's charts as a person reads them (Chromium against `dgs serve`): training 3 members
 * over 4 annotated samples (4 cross-validation folds, one per stack), the progress text names the fold
 * being trained; the loss chart has one line per fold and one for the final ensemble on whole steps,
 * with a legend that shows the values under the cursor; and in both themes the charts' text (axis
 * values and labels, class names, legend, titles) has a contrast of at least 4.5:1 against the card,
 * read from the drawn pixels and the computed colours.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, hasChromium, shot } from './helpers/browser';
import { openStudio, type StudioSession } from './helpers/studio-session';

const LOSS = 'Training loss';
const IOU = 'Cross-validated IoU per class';

interface ChartText {
  /** The highest contrast of any pixel drawn in the axis areas (text) against the card. */
  axes: number;
  legend: number | null;
  title: number;
}

/** WCAG contrast of the chart's text against the card it is on, read in the page. */
function chartContrast(page: Page, label: string): Promise<ChartText> {
  return page.evaluate((label) => {
    // Any CSS colour (Blueprint's cards are oklch) as sRGB bytes and alpha, through a canvas pixel.
    const probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
    const rgb = (css: string) => {
      probe.clearRect(0, 0, 1, 1);
      probe.fillStyle = css;
      probe.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
      return [r, g, b, a / 255];
    };
    const lum = ([r, g, b]: number[]) => {
      const f = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const contrast = (a: number[], b: number[]) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const background = (el: Element | null): number[] => {
      for (; el; el = el.parentElement) {
        const c = rgb(getComputedStyle(el).backgroundColor);
        if (c[3] > 0.99) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const host = document.querySelector(`[aria-label="${label}"]`)!;
    const canvas = host.querySelector('canvas')!;
    const bg = background(host);
    // The plot area is where uPlot's cursor layer lies; its axes are drawn around it.
    const c = canvas.getBoundingClientRect();
    const o = host.querySelector('.u-over')!.getBoundingClientRect();
    const sx = canvas.width / c.width;
    const sy = canvas.height / c.height;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const plot = {
      left: (o.left - c.left) * sx,
      right: (o.right - c.left) * sx,
      top: (o.top - c.top) * sy,
      bottom: (o.bottom - c.top) * sy,
    };
    let axes = 1;
    for (let y = 0; y < canvas.height; y++)
      for (let x = 0; x < canvas.width; x++) {
        if (x >= plot.left && x < plot.right && y >= plot.top && y < plot.bottom) continue;
        const i = 4 * (y * canvas.width + x);
        const a = data[i + 3] / 255;
        if (a === 0) continue;
        const px = [0, 1, 2].map((k) => a * data[i + k] + (1 - a) * bg[k]);
        axes = Math.max(axes, contrast(px, bg));
      }
    const legend = host.querySelector('.u-legend .u-label');
    const title = host.closest('.bp6-card')!.querySelector('h5')!;
    return {
      axes,
      legend: legend ? contrast(rgb(getComputedStyle(legend).color).slice(0, 3), background(legend)) : null,
      title: contrast(rgb(getComputedStyle(title).color).slice(0, 3), background(title)),
    };
  }, label);
}

describe.skipIf(!hasChromium)('the Train screen’s charts', () => {
  let studio: StudioSession;
  let page: Page;
  const progressTexts = new Set<string>();

  beforeAll(async () => {
    studio = await openStudio('dgs-e2e-charts-', { samples: 4, labeled: 4 });
    page = studio.page;
    await page.getByRole('tab', { name: 'Train' }).click();
  });
  afterAll(() => studio?.dispose());

  it('trains, saying which fold it is on', async () => {
    await page.getByLabel('Models in the ensemble').fill('3');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const progress = page.locator('.job-progress .muted');
    const finished = page.getByText(/^Trained: cross-validated mIoU/);
    for (let t = Date.now(); !(await finished.isVisible());) {
      const text = await progress.textContent({ timeout: 1000 }).catch(() => null);
      if (text) progressTexts.add(text);
      if (Date.now() - t > 280_000) throw new Error('training did not finish in time');
      await page.waitForTimeout(150);
    }
    const cv = [...progressTexts].filter((s) => s.startsWith('Cross-validated report'));
    expect(cv.length).toBeGreaterThan(0);
    // 3 members: one fold per stack, each named alone — never "folds 4–4".
    for (const s of cv) expect(s).toMatch(/^Cross-validated report \(the ensemble is stored\): fold [1-4] of 4 · /);
    expect(new Set(cv.map((s) => s.split(' · ')[0])).size).toBeGreaterThan(1);
  }, 300_000);

  it('draws each fold and the final ensemble as its own line on whole steps', async () => {
    const chart = await page.evaluate((label) => {
      const u = window.dgsCharts![label];
      const axis = u.axes[0] as unknown as { _values: string[] };
      return {
        labels: u.series.slice(1).map((s) => String(s.label)),
        x: [...(u.data[0] as number[])],
        series: u.data.slice(1).map((d) => [...(d as (number | null)[])]),
        ticks: axis._values,
      };
    }, LOSS);
    // The ensemble trains first (it is stored and usable), then the report's folds.
    expect(chart.labels).toEqual(['Final ensemble', 'CV fold 1', 'CV fold 2', 'CV fold 3', 'CV fold 4']);
    for (const [i, v] of chart.x.entries()) {
      expect(Number.isInteger(v)).toBe(true);
      if (i > 0) expect(v).toBeGreaterThan(chart.x[i - 1]);
    }
    // Each series holds one unbroken stretch of points, after the previous series' stretch: no line
    // can join one fold's end to the next fold's start.
    let end = -1;
    for (const [s, ys] of chart.series.entries()) {
      const at = ys.flatMap((y, i) => (y === null ? [] : [i]));
      expect(at.length, chart.labels[s]).toBeGreaterThan(0);
      expect(at[at.length - 1] - at[0] + 1, `${chart.labels[s]} is one stretch`).toBe(at.length);
      expect(at[0], `${chart.labels[s]} starts after the one before`).toBeGreaterThan(end);
      end = at[at.length - 1];
    }
    expect(chart.ticks.length).toBeGreaterThan(1);
    for (const t of chart.ticks.filter(Boolean)) expect(t).toMatch(/^\d{1,3}(,\d{3})*$/);
  });

  it('shows the values under the cursor in the legend', async () => {
    const over = page.locator(`[aria-label="${LOSS}"] .u-over`);
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    const values = await page.locator(`[aria-label="${LOSS}"] .u-legend .u-value`).allTextContents();
    expect(values[0]).toMatch(/^\d{1,3}(,\d{3})*$/);
    expect(values.slice(1).filter((v) => /^\d+\.\d{4}$/.test(v))).toHaveLength(1);
    await shot(page, 'charts-1-loss-legend');
  });

  it('has readable chart text in the light and the dark theme', async () => {
    await page.mouse.move(5, 5);
    const measured: Record<string, ChartText> = {};
    for (const theme of ['light', 'dark'] as const) {
      if (theme === 'dark') await page.getByRole('button', { name: 'Toggle dark theme' }).click();
      await page.waitForTimeout(500);
      for (const label of [LOSS, IOU]) {
        await page.locator(`[aria-label="${label}"]`).scrollIntoViewIfNeeded();
        const c = await chartContrast(page, label);
        measured[`${label}, ${theme}`] = c;
        expect(c.axes, `${label}: axis text, ${theme}`).toBeGreaterThanOrEqual(4.5);
        expect(c.title, `${label}: title, ${theme}`).toBeGreaterThanOrEqual(4.5);
        if (label === LOSS) expect(c.legend, `${label}: legend, ${theme}`).toBeGreaterThanOrEqual(4.5);
      }
      await page.locator('.train-screen').evaluate((el) => el.scrollTo(0, 0));
      await shot(page, `readme-train-${theme}`);
      await page.locator(`[aria-label="${IOU}"]`).scrollIntoViewIfNeeded();
      await shot(page, `readme-train-iou-${theme}`);
    }
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
    // The figures, for whoever reads the run (the assertions above hold each to 4.5:1).
    fs.writeFileSync(path.join(ARTIFACTS, 'chart-contrast.json'), JSON.stringify(measured, null, 2));
  });

  it('reported no errors', () => {
    expect(studio.problems).toEqual([]);
  });
});
