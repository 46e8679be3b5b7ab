/**
 * Generation runs as the Generate screen reports them (Chromium against `dgs serve`): a cancelled run
 * says it was cancelled, in the warning colour, with the number of samples really in its folder; its
 * Resume shows the run as resumed and then finished, in the same one row; a run whose compute process
 * dies says it failed, in the danger colour, and resumes too. The folders and the project file are read
 * to check every number the page shows.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../src/engine/project';
import { hasChromium, shot } from './helpers/browser';
import { computePids } from './helpers/serve';
import { openStudio, type StudioSession } from './helpers/studio-session';

const COUNT = 150;

describe.skipIf(!hasChromium)('generation run states', () => {
  let studio: StudioSession;
  let page: Page;
  let total = 0;

  /** Samples written into a dataset folder: its manifest's lines. */
  const written = (dir: string) =>
    fs.readFileSync(path.join(dir, 'manifest.jsonl'), 'utf8').trim().split('\n').filter(Boolean).length;
  const outcome = () => page.locator('.generate-screen .bp6-callout[role="status"]');
  const rows = () => page.getByRole('table', { name: 'Generation runs' }).locator('tbody tr[data-state]');
  const row = (dir: string) => rows().filter({ has: page.getByTitle(dir, { exact: true }) });
  const intentOf = async (l: Locator) => /bp6-intent-(\w+)/.exec((await l.getAttribute('class')) ?? '')?.[1] ?? 'none';

  /** Start generating into `dir` and wait until at least `atLeast` samples are written. */
  async function generateUntil(dir: string, atLeast: number): Promise<void> {
    await page.getByLabel('Samples to keep').fill(String(COUNT));
    await page.getByLabel('Output folder').fill(dir);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect
      .poll(
        async () =>
          Number(/^(\d+) of/.exec((await page.locator('.job-progress .muted').textContent()) ?? '')?.[1] ?? 0),
        { timeout: 120_000, interval: 100 },
      )
      .toBeGreaterThanOrEqual(atLeast);
  }

  beforeAll(async () => {
    studio = await openStudio('dgs-e2e-runs-', { samples: 4, labeled: 2, train: true });
    page = studio.page;
    await page.getByRole('tab', { name: 'Generate' }).click();
  });
  afterAll(() => studio?.dispose());

  it('says a cancelled run was cancelled, with the samples really written', async () => {
    const dir = studio.ws.path('cancelled');
    await generateUntil(dir, 16);
    await page.getByRole('button', { name: 'Cancel generation' }).click();
    await expect.poll(() => outcome().locator('h5').textContent(), { timeout: 60_000 }).toBe('Cancelled');
    expect(await intentOf(outcome())).toBe('warning');
    const n = written(dir);
    const text = (await outcome().textContent())!;
    const m = /(\d+) samples? of (\d+) were written into (.*); Resume continues from there\.$/.exec(text);
    expect(m, text).not.toBeNull();
    expect(Number(m![1])).toBe(n);
    total = Number(m![2]);
    expect(total).toBeGreaterThanOrEqual(COUNT);
    expect(m![3]).toBe(dir);
    const tag = row(dir).locator('.bp6-tag');
    await expect.poll(() => tag.textContent()).toBe('Cancelled');
    expect(await rows().count()).toBe(1);
    expect(await intentOf(tag)).toBe('warning');
    expect(await row(dir).locator('td').nth(3).textContent()).toBe(`${n} of ${total} samples written`);
    await shot(page, 'runs-1-cancelled');
  });

  it('resumes it in the same row: resumed, then finished', async () => {
    const dir = studio.ws.path('cancelled');
    const before = written(dir);
    await row(dir)
      .getByRole('button', { name: /^Resume/ })
      .click();
    await expect
      .poll(() => row(dir).locator('.bp6-tag').textContent(), { timeout: 60_000, interval: 100 })
      .toBe('Resumed');
    expect(await intentOf(row(dir).locator('.bp6-tag'))).toBe('primary');
    await shot(page, 'runs-2-resumed');
    await expect.poll(() => outcome().locator('h5').textContent(), { timeout: 240_000 }).toBe('Resumed and finished');
    expect(await intentOf(outcome())).toBe('success');
    expect(await outcome().textContent()).toContain(`all ${total} samples (${total - before} written by the resume)`);
    await expect.poll(() => row(dir).locator('.bp6-tag').textContent()).toBe('Finished');
    expect(await rows().count()).toBe(1);
    expect(await intentOf(row(dir).locator('.bp6-tag'))).toBe('success');
    expect(
      await row(dir)
        .getByRole('button', { name: /^Resume/ })
        .count(),
    ).toBe(0);
    expect(written(dir)).toBe(total);
  });

  // Before the compute process is killed below, so the README's screen shows no restart.
  it('saves the screen for the README, light and dark', async () => {
    await expect
      .poll(() => page.getByRole('img', { name: 'Contact sheet of the latest run' }).isVisible(), { timeout: 30_000 })
      .toBe(true);
    await page.getByRole('table', { name: 'Generation runs' }).scrollIntoViewIfNeeded();
    await shot(page, 'readme-generate-light');
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
    await shot(page, 'readme-generate-dark');
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  });

  it('says a run failed when its compute process dies, and resumes it', async () => {
    const dir = studio.ws.path('failed');
    await generateUntil(dir, 8);
    const [pid] = computePids(studio.served);
    process.kill(pid, 'SIGKILL');
    await expect.poll(() => outcome().locator('h5').textContent(), { timeout: 60_000 }).toBe('Failed');
    expect(await intentOf(outcome())).toBe('danger');
    const tag = row(dir).locator('.bp6-tag');
    await expect.poll(() => tag.textContent()).toBe('Failed');
    expect(await rows().count()).toBe(2);
    expect(await intentOf(tag)).toBe('danger');
    expect(await row(dir).locator('td').nth(3).textContent()).toMatch(new RegExp(`^\\d+ of ${total} samples written$`));
    await shot(page, 'runs-3-failed');
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await row(dir)
      .getByRole('button', { name: /^Resume/ })
      .click();
    await expect.poll(() => outcome().locator('h5').textContent(), { timeout: 240_000 }).toBe('Resumed and finished');
    await expect.poll(() => row(dir).locator('.bp6-tag').textContent()).toBe('Finished');
    expect(await rows().count()).toBe(2);
  });

  it('left one finished record per folder in the project, and the page reported no errors', async () => {
    expect(studio.problems).toEqual([]);
    await studio.browser.close();
    expect(await studio.served.stop(), `dgs serve stops cleanly:\n${studio.served.output().slice(-3000)}`).toBe(0);
    const project = Project.open(studio.file, { readonly: true });
    try {
      const runs = project.listGenerationRuns();
      expect(runs.map((r) => [path.basename(r.outDir), r.status]).sort()).toEqual([
        ['cancelled', 'done'],
        ['failed', 'done'],
      ]);
      for (const r of runs) expect(r.progress).toMatchObject({ done: total, total, resumedFrom: expect.any(Number) });
    } finally {
      project.dispose();
    }
  });
});
