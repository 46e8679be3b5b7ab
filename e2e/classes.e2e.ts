/**
 * Classes in the studio (Chromium against `dgs serve` on a project file that does not exist yet): Open
 * project says what the browser studio can open; the New project wizard reports a bad model folder on
 * its Model step; its Custom preset starts from the background alone; the wizard and the Gallery mark
 * the class row that is wrong (no name, a name used twice — also by case alone —, a hotkey used twice)
 * and keep what was typed; a swatch close to the panel behind it is outlined, in both themes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contrastRatio, parseColor } from '../src/shared/color-contrast';
import { hasChromium, shot } from './helpers/browser';
import { closeStudio, openStudio } from './helpers/studio';
import type { Served } from './helpers/serve';
import { Workspace } from './helpers/workspace';

const DEMO_BUNDLE = path.resolve('assets/demo-model.dgsmodel');

/** The swatch's outline colour (its box-shadow) and the colour behind it, as the page paints them. */
async function outline(swatch: Locator): Promise<{ shadow: string; contrast: number | null }> {
  const { shadow, backdrop } = await swatch.evaluate((el) => {
    let bg = 'rgba(0, 0, 0, 0)';
    for (let e: Element | null = el.parentElement; e; e = e.parentElement) {
      bg = getComputedStyle(e).backgroundColor;
      if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') break;
    }
    return { shadow: getComputedStyle(el).boxShadow, backdrop: bg };
  });
  const ring = /rgb\(\d+, \d+, \d+\)/.exec(shadow)?.[0];
  const [a, b] = [ring ? parseColor(ring) : null, parseColor(backdrop)];
  return { shadow, contrast: a && b ? contrastRatio(a, b) : null };
}

describe.skipIf(!hasChromium)('classes in the studio', () => {
  let ws: Workspace;
  let file: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ws = new Workspace('dgs-e2e-classes-');
    file = ws.path('parts.dgs');
    ({ served, browser, page, problems } = await openStudio(ws, file, 'Ada'));
  });
  afterAll(() => closeStudio({ browser, served }, ws));

  it('says what Open project can open in a browser, instead of doing nothing', async () => {
    await page.getByRole('button', { name: 'Open project' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 })
      .toBe(
        `This studio serves one project, ${file}, which does not exist yet; create it with New project, or restart \`dgs serve\` with another project file.`,
      );
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
  });

  it('reports a bad model folder on the Model step, and takes a good one', async () => {
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByText('A model bundle folder', { exact: false }).click();
    await page.locator('#model-path').fill(ws.dir);
    const next = page.getByRole('button', { name: 'Next' });
    await expect
      .poll(() => page.getByRole('dialog').getByRole('alert').textContent(), { timeout: 60_000 })
      .toMatch(/^[A-Z].*manifest\.json/);
    expect(await next.isDisabled()).toBe(true);
    await shot(page, 'classes-1-bad-model');
    // dgs serve reads models only inside the project's folder (and --allow-dir): said when chosen.
    await page.locator('#model-path').fill(DEMO_BUNDLE);
    await expect
      .poll(() => page.getByRole('dialog').getByRole('alert').textContent(), { timeout: 60_000 })
      .toMatch(/^This studio reads models and checkpoints only inside /);
    expect(await next.isDisabled()).toBe(true);
    const bundle = ws.path('demo-model.dgsmodel');
    fs.cpSync(DEMO_BUNDLE, bundle, { recursive: true });
    await page.locator('#model-path').fill(bundle);
    await expect.poll(() => next.isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByRole('dialog').getByRole('alert').count()).toBe(0);
    await next.click();
  });

  it('starts Custom from the background alone, and marks the row that is wrong without changing what was typed', async () => {
    await page.locator('#preset').selectOption('custom');
    const names = page.getByLabel(/^Name of class \d+$/);
    expect(await names.count()).toBe(1);
    expect(await names.first().inputValue()).toBe('background');
    await page.getByRole('button', { name: 'Add class' }).click();
    await page.getByRole('button', { name: 'Add class' }).click();
    await page.getByLabel('Name of class 1').fill('Skin');
    await page.getByLabel('Name of class 2').fill('skin');
    const alerts = page.getByRole('dialog').getByRole('alert');
    await expect
      .poll(() => alerts.allTextContents())
      .toEqual([
        'Class 2 "skin" has the same name as class 1 "Skin" (names that differ only in capitals are the same); rename one of them.',
      ]);
    expect(await page.getByLabel('Name of class 2').inputValue()).toBe('skin');
    expect(await page.getByLabel('Name of class 2').getAttribute('aria-invalid')).toBe('true');
    const next = page.getByRole('button', { name: 'Next' });
    expect(await next.isDisabled()).toBe(true);
    await shot(page, 'classes-2-wizard-duplicate');
    await page.getByLabel('Name of class 2').fill('');
    await expect.poll(() => alerts.allTextContents()).toEqual(['Class 2 has no name; give it one.']);
    await page.getByLabel('Name of class 2').fill('hair');
    await page.getByLabel('Hotkey of class 1').fill('k');
    await page.getByLabel('Hotkey of class 2').fill('K');
    await expect
      .poll(() => alerts.allTextContents())
      .toEqual(['Class 2\'s hotkey "K" already selects class 1 "Skin"; choose another key.']);
    await page.getByLabel('Hotkey of class 2').fill('h');
    await page.getByLabel('Colour of Skin').fill('#ffffff'); // close to the light panel
    await expect.poll(() => alerts.count()).toBe(0);
    expect(await next.isEnabled()).toBe(true);
    await next.click();
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Annotate' }).isVisible(), { timeout: 60_000 }).toBe(true);
  });

  it('marks a Gallery row whose new name or hotkey clashes, keeps the typed text, and saves once it is fixed', async () => {
    await page.getByRole('tab', { name: 'Gallery' }).click();
    const hairRow = page.locator('.class-row').filter({ has: page.getByLabel('Colour of hair') });
    await hairRow.locator('.class-name').click();
    await page.getByLabel('Name of hair').fill('SKIN');
    await page.getByLabel('Name of hair').press('Enter');
    await expect
      .poll(() => hairRow.getByRole('alert').textContent())
      .toBe(
        'Class 2 "SKIN" has the same name as class 1 "Skin" (names that differ only in capitals are the same); rename one of them.',
      );
    expect(await hairRow.locator('.class-name').textContent()).toBe('SKIN');
    await shot(page, 'classes-3-gallery-duplicate');
    await hairRow.locator('.class-name').click();
    await page.getByLabel('Name of hair').fill('Hair');
    await page.getByLabel('Name of hair').press('Enter');
    await expect.poll(() => hairRow.getByRole('alert').count()).toBe(0);
    await expect.poll(() => page.getByLabel('Colour of Hair').count()).toBe(1);
    const hairAgain = page.locator('.class-row').filter({ has: page.getByLabel('Colour of Hair') });
    await hairAgain.locator('.class-hotkey').click();
    await page.getByLabel('Hotkey of Hair').fill('k');
    await page.getByLabel('Hotkey of Hair').press('Enter');
    await expect
      .poll(() => hairAgain.getByRole('alert').textContent())
      .toBe('Class 2\'s hotkey "k" already selects class 1 "Skin"; choose another key.');
    expect(await hairAgain.locator('.class-hotkey').textContent()).toBe('k');
  });

  it('outlines a swatch close to the panel behind it, in the light and the dark theme', async () => {
    const white = page.getByLabel('Colour of Skin');
    const black = page.getByLabel('Colour of background');
    expect((await outline(white)).contrast).toBeGreaterThanOrEqual(3);
    expect((await outline(black)).shadow).toBe('none');
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
    await expect.poll(async () => (await outline(black)).contrast ?? 0).toBeGreaterThanOrEqual(3);
    expect((await outline(white)).shadow).toBe('none');
    await shot(page, 'classes-4-gallery-dark');
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
    expect(problems).toEqual([]);
  });
});
