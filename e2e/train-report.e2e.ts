/**
 * Training in the studio (Chromium against `dgs serve`), the two moments a labeler waits for: "ready to
 * use" as soon as the ensemble is stored — the project file then holds it with its report pending, and
 * pre-label works — and the cross-validated IoU per class when the report arrives. Once in the light
 * theme, once in the dark one; the screens are saved under e2e/artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Project, readInterpreterRecord } from '../src/engine/project';
import { hasChromium, launch, shot, watchPage } from './helpers/browser';
import { serve, type Served } from './helpers/serve';
import { Workspace } from './helpers/workspace';

describe.skipIf(!hasChromium)('the Train screen: ready to use, then the report', () => {
  let ws: Workspace;
  let file: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  /** The newest interpreter's report state as the project file has it. */
  function storedReport(): { count: number; report: string | undefined; miou: number | null } {
    const project = Project.open(file, { readonly: true });
    try {
      const list = project.listInterpreters();
      if (!list.length) return { count: 0, report: undefined, miou: null };
      const { metrics } = readInterpreterRecord(file, list[0]);
      return { count: list.length, report: metrics.report, miou: metrics.miou };
    } finally {
      project.dispose();
    }
  }

  beforeAll(async () => {
    ws = new Workspace('dgs-e2e-train-report-');
    file = ws.path('faces.dgs');
    ws.dgs('init', file, '--model', 'default');
    ws.dgs('sample', file, '--count', '4', '--seed', '0', '--psi', '1');
    ws.dgs('label', 'import', file, ws.labels('labels', { 0: 0, 1: 1, 2: 2, 3: 3 }), '--author', 'demo');
    served = await serve(file, [], ws.env());
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    problems = watchPage(page);
    await page.addInitScript(() => localStorage.setItem('dgs.author', 'Ada'));
    await page.goto(served.url);
    await page.getByRole('tab', { name: 'Train' }).click();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    ws?.remove();
  });

  async function trainAndWatch(theme: 'light' | 'dark', trained: number): Promise<void> {
    await page.getByLabel('Models in the ensemble').fill('3');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    // The first moment: the ensemble is stored and usable while its folds train.
    await expect
      .poll(() => page.getByText('Ready to use', { exact: true }).isVisible(), { timeout: 300_000 })
      .toBe(true);
    await shot(page, `train-report/${theme}-1-ready-to-use`);
    const stored = storedReport();
    expect(stored.count).toBe(trained);
    expect(stored.report).toBe('pending');
    expect(stored.miou).toBeNull();
    expect(await page.getByRole('button', { name: 'Cancel training' }).isVisible()).toBe(true);
    await expect
      .poll(() => page.getByText(/^Cross-validated report \(the ensemble is ready to use\)/).isVisible())
      .toBe(true);
    // The second moment: the report per class replaces it.
    await expect
      .poll(() => page.getByRole('img', { name: 'Cross-validated IoU per class' }).isVisible(), { timeout: 600_000 })
      .toBe(true);
    expect(await page.getByText('Ready to use', { exact: true }).isVisible()).toBe(false);
    await expect.poll(() => page.getByText(/^Trained: cross-validated mIoU/).isVisible()).toBe(true);
    await shot(page, `train-report/${theme}-2-report`);
    const done = storedReport();
    expect(done.report).toBeUndefined();
    expect(done.miou).toBeGreaterThan(0);
  }

  it('says "ready to use" once the ensemble is stored, then shows the per-class report when it arrives', async () => {
    await trainAndWatch('light', 1);
  }, 900_000);

  it('does the same in the dark theme', async () => {
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
    await expect.poll(() => page.evaluate(() => document.body.classList.contains('bp6-dark'))).toBe(true);
    await trainAndWatch('dark', 2);
  }, 900_000);

  it('reported no page errors', () => {
    expect(problems).toEqual([]);
  });
});
