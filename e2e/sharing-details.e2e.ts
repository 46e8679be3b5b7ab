/**
 * Sharing details in the studio (Chromium against `dgs serve`): after a merge, "Keep theirs" keeps
 * their author on the annotation (not the person who clicked), and the merge's banner goes once no
 * conflict is left; the demo project's annotations carry one honest author, "demo", and samples added
 * in the studio are credited to the person at it, never to "studio".
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalCompute } from '../src/compute';
import { buildDemoProject } from '../src/engine/jobs/demo';
import { Project } from '../src/engine/project';
import { hasChromium, launch, shot, studioPage } from './helpers/browser';
import { serve, type Served } from './helpers/serve';
import { Workspace } from './helpers/workspace';

describe.skipIf(!hasChromium)('sharing details in the studio', () => {
  let ws: Workspace;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let served: Served | null = null;

  async function openPage(): Promise<void> {
    // The person at the studio is not the author of either side.
    ({ page, problems } = await studioPage(browser, 'lead'));
  }

  beforeAll(async () => {
    ws = new Workspace('dgs-e2e-share-details-');
    ws.labelerCopies(3);
    const compute = openLocalCompute();
    try {
      await buildDemoProject(ws.path('demo.dgs'), compute);
    } finally {
      await compute.dispose();
    }
    browser = await launch();
    await openPage();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    ws?.remove();
  });

  it("keeps their author when their version is kept, and drops the merge's banner once nothing is left to settle", async () => {
    served = await serve(ws.path('a.dgs'), [], ws.env());
    await page.goto(served.url);
    await page.getByRole('button', { name: 'Merge…' }).click();
    await page.getByLabel("The other labeler's copy (.dgs)").fill('b.dgs'); // relative: beside the project
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    const mergeNotice = page.getByRole('status').filter({ hasText: /^Merged:/ });
    await expect
      .poll(() => mergeNotice.textContent(), { timeout: 30_000 })
      .toMatch(/^Merged: 1 annotations? and 0 samples came from the copy; 1 conflict to settle\./);
    await expect.poll(() => page.getByLabel(/^Theirs/).textContent()).toContain('bob');
    await page.getByRole('button', { name: 'Keep theirs' }).click();
    await expect.poll(() => page.getByText('No conflicts').isVisible()).toBe(true);
    await expect.poll(() => mergeNotice.count(), { timeout: 10_000 }).toBe(0);
    expect(
      await page
        .locator('.bp6-callout')
        .filter({ hasText: /conflict/i })
        .count(),
      'no banner about conflicts',
    ).toBe(0);
    await page.getByRole('tab', { name: 'Gallery' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Sample seed 1, annotated by bob' }).count()).toBe(1);
    await shot(page, 'share-details-1-settled');
    expect(problems).toEqual([]);
    await page.close(); // before its server stops: a page left open would try to reconnect
    await served.stop();
    served = null;
    const merged = Project.open(ws.path('a.dgs'), { readonly: true });
    try {
      const bySeed = new Map(merged.listSamples().map((s) => [s.seed, s.id]));
      expect(merged.getAnnotation(bySeed.get(1)!)!.author).toBe('bob');
      expect(merged.getAnnotation(bySeed.get(0)!)!.author).toBe('alice');
      expect(merged.listConflicts()).toEqual([]);
    } finally {
      merged.dispose();
    }
  });

  it('shows the demo\'s annotations by "demo" alone, and credits samples added in the studio to the person', async () => {
    served = await serve(ws.path('demo.dgs'), [], ws.env());
    await openPage();
    await page.goto(served.url);
    await page.getByRole('tab', { name: 'Gallery' }).click();
    const annotated = page.getByRole('button', { name: /^Sample seed \d+, annotated by / });
    await expect.poll(() => annotated.count(), { timeout: 30_000 }).toBe(16);
    expect(await page.getByRole('button', { name: /^Sample seed \d+, annotated by demo$/ }).count()).toBe(16);
    await page.getByLabel('How many samples to add').fill('1');
    await page.getByRole('button', { name: 'Sample', exact: true }).click();
    await expect
      .poll(() => page.getByRole('button', { name: /^Sample seed \d+, not annotated$/ }).count(), { timeout: 60_000 })
      .toBe(1);
    await shot(page, 'share-details-2-demo');
    expect(problems).toEqual([]);
    await browser.close();
    expect(await served.stop()).toBe(0);
    served = null;
    const info = JSON.parse(ws.dgs('info', ws.path('demo.dgs'), '--json')) as { contributors: { name: string }[] };
    expect(info.contributors.map((c) => c.name).sort()).toEqual(['demo', 'lead']);
  });
});
