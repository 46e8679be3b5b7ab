/**
 * Training in the studio (Chromium against `dgs serve`), the two moments a labeler waits for: "ready to
 * use" as soon as the ensemble is stored — the project then lists it with its report pending — and the
 * cross-validated IoU per class when the report arrives, which the project file keeps. Once in the light
 * theme, once in the dark one; the screens are saved under e2e/artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Project, readInterpreterRecord } from '../src/engine/project';
import { hasChromium, shot } from './helpers/browser';
import type { Served } from './helpers/serve';
import { closeStudio, openStudio } from './helpers/studio';
import { Workspace } from './helpers/workspace';

describe.skipIf(!hasChromium)('the Train screen: ready to use, then the report', () => {
  let ws: Workspace;
  let file: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  /** The interpreters as the studio's API lists them (the server holds the project file open), newest first. */
  async function listed(): Promise<{ report: string; miou: number | null }[]> {
    const text = await page.evaluate(async () => {
      const res = await fetch('/api/interpreters:list', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-DGS-Request': '1' },
        body: '{}',
      });
      return res.text();
    });
    const r = JSON.parse(text) as { ok: boolean; value: { report: string; miou: number | null }[] };
    expect(r.ok).toBe(true);
    return r.value;
  }

  beforeAll(async () => {
    ws = new Workspace('dgs-e2e-train-report-');
    // Two samples: two folds of the report, the least a cross-validation takes on a loaded 2-core machine.
    file = ws.project('faces.dgs', { samples: 2, labeled: 2 });
    ({ served, browser, page, problems } = await openStudio(ws, file, 'Ada'));
    await page.getByRole('tab', { name: 'Train' }).click();
  });
  afterAll(() => closeStudio({ browser, served }, ws));

  /**
   * `moment` is what the screen says once the ensemble is stored: "Ready to use" for the project's first
   * interpreter; "Stored" for a newer one while the one in use has a cross-validated mIoU and the newer
   * one's report is still to come (docs/interpreter.md, "The interpreter in use").
   */
  async function trainAndWatch(
    theme: 'light' | 'dark',
    trained: number,
    moment: 'Ready to use' | 'Stored',
  ): Promise<void> {
    await page.getByLabel('Models in the ensemble').fill('3');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    // The first moment: the ensemble is stored (and usable, when it is the first) while its folds train.
    await expect
      .poll(() => page.getByText(moment, { exact: true }).isVisible(), { timeout: 600_000 })
      .toBe(true)
      .catch(async (e: unknown) => {
        // What the screen said instead, for whoever reads the failure.
        await shot(page, `train-report/${theme}-0-not-ready`);
        throw e;
      });
    await shot(page, `train-report/${theme}-1-${moment === 'Stored' ? 'stored' : 'ready-to-use'}`);
    const stored = await listed();
    expect(stored).toHaveLength(trained);
    expect(stored[0]).toMatchObject({ report: 'pending', miou: null });
    if (moment === 'Stored')
      expect(
        await page
          .getByText(/The interpreter is stored\. Not used yet: it has no cross-validated mIoU to compare with/)
          .first()
          .isVisible(),
      ).toBe(true);
    expect(await page.getByRole('button', { name: 'Cancel training' }).isVisible()).toBe(true);
    await expect
      .poll(() => page.getByText(/^Cross-validated report \(the ensemble is stored\)/).isVisible())
      .toBe(true);
    // The second moment: the report per class replaces it.
    await expect
      .poll(() => page.getByRole('img', { name: 'Cross-validated IoU per class' }).isVisible(), { timeout: 1_200_000 })
      .toBe(true);
    expect(await page.getByText(moment, { exact: true }).isVisible()).toBe(false);
    await expect.poll(() => page.getByText(/^Trained: cross-validated mIoU/).isVisible()).toBe(true);
    await shot(page, `train-report/${theme}-2-report`);
    const [done] = await listed();
    expect(done.report).toBe('done');
    expect(done.miou).toBeGreaterThan(0);
  }

  it('says "ready to use" once the ensemble is stored, then shows the per-class report when it arrives', async () => {
    await trainAndWatch('light', 1, 'Ready to use');
  }, 2_000_000);

  it('does the same in the dark theme', async () => {
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
    await expect.poll(() => page.evaluate(() => document.body.classList.contains('bp6-dark'))).toBe(true);
    await trainAndWatch('dark', 2, 'Stored');
  }, 2_000_000);

  it('left both interpreters in the project file with their reports, and the page reported no errors', async () => {
    expect(problems).toEqual([]);
    await browser.close();
    expect(await served.stop()).toBe(0);
    const project = Project.open(file, { readonly: true });
    try {
      const all = project.listInterpreters().map((it) => readInterpreterRecord(file, it).metrics);
      expect(all).toHaveLength(2);
      for (const m of all) {
        expect(m.report).toBeUndefined();
        expect(m.miou).toBeGreaterThan(0);
      }
    } finally {
      project.dispose();
    }
  });
});
