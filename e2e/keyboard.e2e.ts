/**
 * The studio by keyboard (Chromium against `dgs serve`): the screen tabs are reached with Tab and moved
 * along with the arrow keys; ? opens a sheet listing every action of the canvas's registry with its
 * keys; the canvas shows a focus ring when the keyboard brings focus to it; every button, slider and
 * field has an accessible name; the brush size keys and the brush slider cover one range.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chordLabel } from '../src/renderer/src/canvas/actions/keys';
import { BUILT_IN_ACTIONS, classActions } from '../src/renderer/src/canvas/actions/registry';
import { BRUSH_SIZES } from '../src/renderer/src/canvas/model/settings';
import { hasChromium, shot } from './helpers/browser';
import { openStudio, type StudioSession } from './helpers/studio-session';

/** Roles that need a name, and the lines of an aria snapshot that show one of them without it. */
const NAMED_ROLES = ['button', 'slider', 'spinbutton', 'textbox', 'checkbox', 'tab', 'combobox', 'application'];
function unnamed(snapshot: string): string[] {
  return snapshot
    .split('\n')
    .filter((l) => new RegExp(`^\\s*- (${NAMED_ROLES.join('|')})( \\[|:|$)`).test(l))
    .map((l) => l.trim());
}

describe.skipIf(!hasChromium)('the studio by keyboard', () => {
  let studio: StudioSession;
  let page: Page;

  const screen = () => page.locator('main').getAttribute('aria-label');
  const selectedSeed = () => page.locator('.sample-panel p').first().textContent();

  /** Start keyboard navigation from the top of the page, as a click on the project's name does. */
  const fromTop = () => page.locator('.project-name').click();

  /** Press Tab until `test` holds for the focused element; how many presses it took (fails past `max`). */
  async function tabUntil(test: string, max = 40): Promise<number> {
    for (let i = 1; i <= max; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((t) => document.activeElement?.matches(t) ?? false, test)) return i;
    }
    throw new Error(`${max} presses of Tab never reached ${test}`);
  }

  beforeAll(async () => {
    studio = await openStudio('dgs-e2e-keyboard-', { samples: 3 });
    page = studio.page;
    await page.waitForFunction(() => window.dgsAnnotation?.editor.session !== undefined);
  });
  afterAll(() => studio?.dispose());

  it('reaches the screen tabs with Tab and moves between screens with the arrow keys', async () => {
    const seed = await selectedSeed();
    await fromTop();
    await tabUntil('[role="tab"]');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Annotate');
    await page.keyboard.press('ArrowRight');
    await expect.poll(screen).toBe('gallery');
    await page.keyboard.press('ArrowRight');
    await expect.poll(screen).toBe('train');
    await page.keyboard.press('ArrowRight');
    await expect.poll(screen).toBe('generate');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(screen).toBe('annotate');
    // The arrows moved along the tabs only: the open sample is the one that was open.
    await page.waitForFunction(() => window.dgsAnnotation?.editor.session !== undefined);
    expect(await selectedSeed()).toBe(seed);
  });

  it('lists every action of the registry with its keys on ?', async () => {
    await page.locator('canvas.dgs-annotation-canvas').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.poll(() => sheet.isVisible()).toBe(true);
    const rows = await sheet
      .locator('tr')
      .evaluateAll((trs: HTMLTableRowElement[]) =>
        trs.map(
          (tr) => [tr.cells[0].innerText.trim(), [...tr.querySelectorAll('kbd')].map((k) => k.innerText)] as const,
        ),
      );
    const listed = new Map(rows);
    const classes = await page.evaluate(() => window.dgsAnnotation!.editor.classes);
    const studio = [
      { label: 'Previous sample', keys: ['arrowleft'] },
      { label: 'Next sample', keys: ['arrowright'] },
      { label: 'Keyboard shortcuts (this sheet)', keys: ['?'] },
    ];
    for (const a of [...BUILT_IN_ACTIONS, ...classActions(classes), ...studio]) {
      expect(listed.get(a.label), `the sheet lists ${a.label}`).toBeDefined();
      expect(listed.get(a.label), `with its keys`).toEqual(expect.arrayContaining(a.keys.map(chordLabel)));
    }
    await shot(page, 'keyboard-1-shortcut-sheet');
    expect(unnamed(await sheet.ariaSnapshot())).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => sheet.isVisible()).toBe(false);
  });

  it('shows a focus ring on the canvas when the keyboard brings focus to it', async () => {
    await fromTop();
    await tabUntil('canvas.dgs-annotation-canvas');
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement!);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor };
    });
    expect(ring.style).not.toBe('none');
    expect(ring.width).toBeGreaterThanOrEqual(2);
    await shot(page, 'keyboard-2-canvas-focus');
  });

  it('names every button, slider, field and tab on every screen', async () => {
    for (const tab of ['Annotate', 'Gallery', 'Train', 'Generate']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.waitForTimeout(500);
      expect(unnamed(await page.locator('body').ariaSnapshot()), tab).toEqual([]);
    }
    await page.getByRole('tab', { name: 'Annotate' }).click();
    for (const name of ['Brush size', 'Label opacity'])
      expect(await page.getByRole('slider', { name }).isVisible(), name).toBe(true);
    for (const name of ['Hide skin', 'Lock skin'])
      expect(await page.getByRole('button', { name }).isVisible(), name).toBe(true);
  });

  it('gives the brush size keys and the brush slider one range', async () => {
    await page.waitForFunction(() => window.dgsAnnotation?.editor.session !== undefined);
    const canvas = page.locator('canvas.dgs-annotation-canvas');
    await canvas.click({ position: { x: 5, y: 5 } });
    const slider = page.getByRole('slider', { name: 'Brush size' });
    const state = async () => ({
      size: await page.evaluate(() => window.dgsAnnotation!.editor.settings.brushSize),
      now: Number(await slider.getAttribute('aria-valuenow')),
      min: Number(await slider.getAttribute('aria-valuemin')),
      max: Number(await slider.getAttribute('aria-valuemax')),
      text: await slider.getAttribute('aria-valuetext'),
    });
    const largest = BRUSH_SIZES[BRUSH_SIZES.length - 1];
    for (let i = 0; i < BRUSH_SIZES.length + 2; i++) await page.keyboard.press(']');
    let s = await state();
    expect(s.size).toBe(largest);
    expect(s.now).toBe(s.max);
    expect(s.text).toBe(`${largest} pixels`);
    for (let i = 0; i < BRUSH_SIZES.length + 2; i++) await page.keyboard.press('[');
    s = await state();
    expect(s.size).toBe(BRUSH_SIZES[0]);
    expect(s.now).toBe(s.min);
    // The slider's own end is the keys' end, and its arrow keys move the slider, not the sample.
    const seed = await selectedSeed();
    await slider.focus();
    for (let i = 0; i < BRUSH_SIZES.length + 2; i++) await page.keyboard.press('ArrowRight');
    expect((await state()).size).toBe(largest);
    for (let i = 0; i < BRUSH_SIZES.length + 2; i++) await page.keyboard.press('ArrowLeft');
    expect((await state()).size).toBe(BRUSH_SIZES[0]);
    expect(await selectedSeed()).toBe(seed);
  });

  it('reported no errors', () => {
    expect(studio.problems).toEqual([]);
  });
});
