/**
 * A read-only project in the studio (Chromium against `dgs serve`): the file is chmod 0444. One banner
 * says so, once, with Save a copy…; every control that would change the project is disabled with the
 * reason as its tooltip — each canvas tool that edits (read from the tools list, so tools added later
 * are covered), undo, pre-label, locking, Sample, Import labels, Merge…; a stroke changes nothing.
 * Save a copy… writes an editable copy and opens it, where drawing works and is saved; the original
 * stays byte for byte as it was.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../src/renderer/src/canvas/tools';
import { contrastRatio, parseColor } from '../src/shared/color-contrast';
import { READ_ONLY_TIP } from '../src/renderer/src/state/read-only';
import { hasChromium, shot } from './helpers/browser';
import { closeStudio, openStudio } from './helpers/studio';
import { personAtCanvas } from './helpers/person';
import type { Served } from './helpers/serve';
import { Workspace } from './helpers/workspace';

describe.skipIf(!hasChromium)('a read-only project in the studio', () => {
  let ws: Workspace;
  let file: string;
  let original: Buffer;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  const atCanvas = () => personAtCanvas(page);

  const pixels = () => page.evaluate(() => Array.from(window.dgsAnnotation!.editor.session!.raster.pixels));

  beforeAll(async () => {
    ws = new Workspace('dgs-e2e-readonly-');
    file = ws.project('shared.dgs', { samples: 2, labeled: 1 });
    fs.chmodSync(file, 0o444);
    original = fs.readFileSync(file);
    ({ served, browser, page, problems } = await openStudio(ws, file, 'Ada'));
  });
  afterAll(async () => {
    if (file && fs.existsSync(file)) fs.chmodSync(file, 0o644);
    await closeStudio({ browser, served }, ws);
  });

  it('says so in one banner, once, with Save a copy…', async () => {
    const banner = page.getByRole('status', { name: 'Read-only project' });
    await expect.poll(() => banner.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await banner.textContent()).toMatch(
      /^The file .*shared\.dgs is read-only, so the project was opened read-only/,
    );
    expect(await banner.getByRole('button', { name: 'Save a copy…' }).isVisible()).toBe(true);
    expect(
      await page
        .locator('.bp6-callout')
        .filter({ hasText: /read-only/i })
        .count(),
    ).toBe(1);
    expect((await banner.textContent())!.match(/read-only/gi)).toHaveLength(2); // "is read-only", "opened read-only"
  });

  it('disables every tool that edits, undo, pre-label and locking, with the reason as the tooltip', async () => {
    await page.getByRole('button', { name: /^Sample seed 0, annotated/ }).click();
    await atCanvas();
    const toolbar = page.getByRole('toolbar', { name: 'Annotation tools' });
    for (const t of TOOLS) {
      const button = toolbar.getByRole('button', { name: t.label, exact: true });
      expect(await button.isDisabled(), t.label).toBe(t.edits);
      if (t.edits) expect(await button.getAttribute('title'), t.label).toBe(READ_ONLY_TIP);
    }
    for (const name of ['Undo', 'Redo', 'Pre-label']) {
      const button = toolbar.getByRole('button', { name, exact: true });
      expect(await button.isDisabled(), name).toBe(true);
      expect(await button.getAttribute('title'), name).toBe(READ_ONLY_TIP);
    }
    const lock = page.getByRole('button', { name: 'Lock skin' });
    expect(await lock.isDisabled()).toBe(true);
    expect(await lock.getAttribute('title')).toBe(READ_ONLY_TIP);
    await shot(page, 'readonly-1-annotate');
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
    // In the dark theme too, a disabled tool looks off next to one that works.
    const colour = async (name: string) =>
      parseColor(
        await toolbar.getByRole('button', { name, exact: true }).evaluate((el) => getComputedStyle(el).color),
      )!;
    const viewer = TOOLS.find((t) => !t.edits)!.label;
    const editing = TOOLS.find((t) => t.edits)!.label;
    expect(contrastRatio(await colour(viewer), await colour(editing))).toBeGreaterThanOrEqual(1.8);
    // So does the class list's disabled lock next to its eye, which still hides and shows. The icons
    // carry their own colour (oklch in Blueprint 6): a 1×1 canvas turns it into RGB.
    const iconColour = (name: string) =>
      page.getByRole('button', { name }).evaluate((el) => {
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.fillStyle = getComputedStyle(el.querySelector('svg')!).color;
        ctx.fillRect(0, 0, 1, 1);
        const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
        return [r, g, b] as [number, number, number];
      });
    expect(contrastRatio(await iconColour('Hide skin'), await iconColour('Lock skin'))).toBeGreaterThanOrEqual(1.8);
    await shot(page, 'readonly-1-annotate-dark');
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  });

  it('changes nothing when the labeler presses a tool key and draws', async () => {
    const me = await atCanvas();
    const before = await pixels();
    await me.key('b');
    await me.drag(
      [
        [10, 10],
        [50, 50],
      ],
      8,
    );
    await me.key('f');
    await me.click(32, 32);
    await page.keyboard.press('Control+z');
    expect(await pixels()).toEqual(before);
    expect(await page.getByText('All changes saved').isVisible()).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('disables Sample, Import labels, class editing, Merge…, Labeler copy…, Train and Generate with the same reason', async () => {
    await page.getByRole('tab', { name: 'Gallery' }).click();
    for (const name of ['Sample', 'Merge…', 'Labeler copy…']) {
      const button = page.getByRole('button', { name, exact: true });
      expect(await button.isDisabled(), name).toBe(true);
      expect(await button.getAttribute('title'), name).toBe(READ_ONLY_TIP);
    }
    expect(await page.getByLabel('Import labels').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Add class' }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Colour of skin').isDisabled()).toBe(true);
    await shot(page, 'readonly-2-gallery');
    await page.getByRole('tab', { name: 'Train' }).click();
    const train = page.getByRole('button', { name: 'Train', exact: true });
    expect(await train.isDisabled()).toBe(true);
    expect(await train.getAttribute('title')).toBe(READ_ONLY_TIP);
    await page.getByRole('tab', { name: 'Generate' }).click();
    const generate = page.getByRole('button', { name: 'Generate', exact: true });
    expect(await generate.isDisabled()).toBe(true);
    expect(await generate.getAttribute('title')).toBe(READ_ONLY_TIP);
  });

  it('saves an editable copy and opens it, where drawing is saved; the original is untouched', async () => {
    await page.getByRole('button', { name: 'Save a copy…' }).click();
    await page.getByLabel('Save the copy as (.dgs)').fill('mine.dgs'); // relative: beside the project
    await page.getByRole('button', { name: 'Save and open' }).click();
    await expect
      .poll(
        () =>
          page
            .getByRole('status')
            .filter({ hasText: /^Saved an editable copy/ })
            .textContent(),
        {
          timeout: 30_000,
        },
      )
      .toBe(`Saved an editable copy as ${ws.path('mine.dgs')} and opened it; the read-only original is as it was.`);
    expect(await page.getByRole('status', { name: 'Read-only project' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Annotate' }).click();
    await page.getByRole('button', { name: /^Sample seed 1, not annotated/ }).click();
    const me = await atCanvas();
    const brush = page.getByRole('toolbar', { name: 'Annotation tools' }).getByRole('button', { name: 'Brush' });
    expect(await brush.isDisabled()).toBe(false);
    await me.key('b');
    await me.drag(
      [
        [10, 10],
        [50, 50],
      ],
      8,
    );
    await expect.poll(() => page.getByText('All changes saved').isVisible(), { timeout: 30_000 }).toBe(true);
    await shot(page, 'readonly-3-copy');
    expect(problems).toEqual([]);
    await browser.close();
    expect(await served.stop()).toBe(0);
    const copy = JSON.parse(ws.dgs('info', ws.path('mine.dgs'), '--json')) as { counts: { annotations: number } };
    expect(copy.counts.annotations).toBe(2);
    expect(fs.readFileSync(file).equals(original)).toBe(true);
  });
});
