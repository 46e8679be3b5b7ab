/**
 * Sharing in the studio (Chromium against `dgs serve`): project P with 4 samples, copies A and B; A labels
 * samples 1–2, B labels 2–3 (sample 2 differently). In A's studio: Merge… B → samples 1 and 3 labeled,
 * sample 2 one conflict shown side by side; Keep theirs leaves none (checked with `dgs info --json`).
 * Then a labeler copy for a third labeler, and the gallery filtered by assignee.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, shot, watchPage } from './helpers/browser';
import { serve, type Served } from './helpers/serve';
import { Workspace } from './helpers/workspace';

describe.skipIf(!hasChromium)('sharing in the studio', () => {
  let ws: Workspace;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ws = new Workspace('dgs-e2e-share-');
    ws.labelerCopies(4);
    served = await serve(ws.path('a.dgs'), [], ws.env());
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    problems = watchPage(page);
    await page.addInitScript(() => localStorage.setItem('dgs.author', 'alice'));
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    ws?.remove();
  });

  it('merges B into A: one conflict, shown side by side, settled by keeping theirs', async () => {
    await page.goto(served.url);
    await page.getByRole('button', { name: 'Merge…' }).click();
    await page.getByLabel("The other labeler's copy (.dgs)").fill(ws.path('b.dgs'));
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 })
      .toMatch(/^Merged: 1 annotation and 0 samples came from the copy; 1 conflict to settle/);
    await expect.poll(() => page.getByRole('tab', { name: 'Conflicts (1)' }).isVisible()).toBe(true);
    await expect.poll(() => page.locator('canvas.label-overlay').count()).toBe(2);
    await expect.poll(() => page.getByLabel('Mine (in this project)').textContent()).toContain('alice');
    await expect.poll(() => page.getByLabel(/^Theirs/).textContent()).toContain('bob');
    await shot(page, 'share-1-conflict');
    await page.getByRole('button', { name: 'Keep theirs' }).click();
    await expect.poll(() => page.getByText('No conflicts').isVisible()).toBe(true);
    await page.getByRole('tab', { name: 'Gallery' }).click();
    await expect.poll(() => page.getByRole('button', { name: /annotated by/ }).count()).toBe(3);
    await shot(page, 'share-2-merged-gallery');
  });

  it('saves a labeler copy and filters the gallery by assignee', async () => {
    await page.getByRole('button', { name: 'Labeler copy…' }).click();
    await page.getByLabel('Labeler', { exact: true }).fill('carol');
    await page.getByLabel(/^Samples to assign/).fill('1');
    await page.getByLabel('Save as (.dgs)').fill(ws.path('for-carol.dgs'));
    await page.getByRole('button', { name: 'Save copy' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 })
      .toMatch(/with 1 sample assigned to carol/);
    await page.getByLabel('Assigned to').selectOption({ label: 'Assigned to carol' });
    await expect.poll(() => page.getByRole('button', { name: /^Sample seed \d+,/ }).count()).toBe(1);
    await shot(page, 'share-3-assignee');
    expect(fs.existsSync(ws.path('for-carol.dgs'))).toBe(true);
  });

  it('left A with no conflicts, and kept the project before the merge', async () => {
    expect(problems).toEqual([]);
    await browser.close();
    expect(await served.stop()).toBe(0);
    const info = JSON.parse(ws.dgs('info', ws.path('a.dgs'), '--json')) as {
      conflicts: unknown[];
      counts: { annotations: number };
    };
    expect(info.conflicts).toEqual([]);
    expect(info.counts.annotations).toBe(3);
    expect(fs.readdirSync(ws.dir).filter((f) => /^a\.before-merge-.*\.dgs$/.test(f))).toHaveLength(1);
  });
});
