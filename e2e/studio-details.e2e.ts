/**
 * The studio's smaller promises (Chromium against `dgs serve`): Import labels says what it imported in
 * the right number and gives the shifted-ids warning `dgs label import` gives; refusals start with a
 * capital and name the file the user chose; paths typed in the browser start in the project's folder,
 * never the server's working directory; Export labels writes label PNGs named by seed; a folder holding
 * an earlier run is offered a Resume button, never "add --resume".
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, shot } from './helpers/browser';
import { closeStudio, openStudio } from './helpers/studio';
import type { Served } from './helpers/serve';
import { Workspace } from './helpers/workspace';

const DEMO_LABELS = path.resolve('assets/demo-project/annotations');
/** The demo's parts and one more class at the end, which the demo's label maps never use. */
const CLASSES = 'background,skin,hair,eye,iris,brow,nose,mouth,ear,neck,hat';

describe.skipIf(!hasChromium)('the studio, in the details', () => {
  let ws: Workspace;
  let file: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  const notice = () => page.getByRole('status').filter({ hasText: /^(Imported|Exported|Generated)/ });
  const alert = () => page.getByRole('alert');
  /** The title of the Generate screen's word on the run that just ended. */
  const outcome = () => page.locator('.generate-screen .bp6-callout h5').first();

  beforeAll(async () => {
    ws = new Workspace('dgs-e2e-details-');
    file = ws.project('faces.dgs', { samples: 4, labeled: 2, classes: CLASSES, train: true });
    fs.writeFileSync(ws.path('nobody.png'), fs.readFileSync(path.join(DEMO_LABELS, 'seed-2.png')));
    ({ served, browser, page, problems } = await openStudio(ws, file, 'Ada'));
    await page.getByRole('tab', { name: 'Gallery' }).click();
  }, 600_000);
  afterAll(async () => {
    await closeStudio({ browser, served }, ws);
    fs.rmSync(path.resolve('rel-out'), { recursive: true, force: true });
  });

  it('imports one file as one annotation, with the shifted-ids warning of `dgs label import`', async () => {
    await page.getByLabel('Import labels').setInputFiles([path.join(DEMO_LABELS, 'seed-2.png')]);
    await expect
      .poll(() => notice().textContent(), { timeout: 30_000 })
      .toMatch(
        /^Imported 1 annotation as Ada\. Warning: No imported label map uses class 10 \("hat"\), the project's last class; .*shifted by one/,
      );
    expect(await notice().getAttribute('class'), 'a warning looks like one, not like a success').toMatch(
      /bp6-intent-warning/,
    );
    await shot(page, 'details-1-import-warning');
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
    await shot(page, 'details-1-import-warning-dark');
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
    await page.getByRole('button', { name: 'Dismiss notice' }).click();
  });

  it('names the chosen file, not an internal path, in a sentence that starts with a capital', async () => {
    await page.getByLabel('Import labels').setInputFiles([ws.path('nobody.png')]);
    await expect
      .poll(() => alert().textContent(), { timeout: 30_000 })
      .toBe(
        'The label file nobody.png is not named after a sample of this project; name label files <sample id>.png (see `dgs label export`).',
      );
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await page.getByRole('button', { name: 'Merge…' }).click();
    await page.getByLabel("The other labeler's copy (.dgs)").fill('missing.dgs');
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    await expect
      .poll(() => alert().textContent(), { timeout: 30_000 })
      .toBe(`There is no project file at ${ws.path('missing.dgs')}; choose the copy of this project to merge.`);
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
    // The dialog fades out before the next one may open.
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  it('counts in the right number: 1 sample is unannotated', async () => {
    await page.getByRole('button', { name: 'Labeler copy…' }).click();
    await expect
      .poll(async () => (await page.getByText(/^Samples to assign/).textContent())?.trim())
      .toBe('Samples to assign (1 is unannotated and unassigned)');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  it("exports label PNGs named by seed, into a folder typed relative to the project's", async () => {
    await page.getByRole('button', { name: 'Export labels…' }).click();
    await page.getByLabel('Folder').fill('exported');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await expect
      .poll(() => notice().textContent(), { timeout: 60_000 })
      .toBe(`Exported 3 label maps and 4 images to ${ws.path('exported')}, named by seed (labels/seed-<seed>.png).`);
    expect(fs.readdirSync(ws.path('exported', 'labels')).sort()).toEqual(['seed-0.png', 'seed-1.png', 'seed-2.png']);
    expect(fs.readdirSync(ws.path('exported', 'images'))).toHaveLength(4);
    // The exported map holds the class ids that were imported for that seed, pixel for pixel.
    const ids = (file: string) => {
      const png = PNG.sync.read(fs.readFileSync(file));
      return Uint8Array.from({ length: png.width * png.height }, (_, i) => png.data[4 * i]);
    };
    expect(ids(ws.path('exported', 'labels', 'seed-1.png'))).toEqual(ids(path.join(DEMO_LABELS, 'seed-1.png')));
    await page.getByRole('button', { name: 'Dismiss notice' }).click();
  });

  it("generates into a relative folder inside the project's folder, and offers Resume for a folder with a run", async () => {
    await page.getByRole('tab', { name: 'Generate' }).click();
    await page.getByLabel('Samples to keep').fill('2');
    await page.getByLabel('Output folder').fill('rel-out');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect.poll(() => outcome().textContent(), { timeout: 240_000 }).toBe('Finished');
    expect(fs.existsSync(ws.path('rel-out', 'manifest.jsonl'))).toBe(true);
    expect(fs.existsSync(path.resolve('rel-out')), "never in the server's working directory").toBe(false);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect
      .poll(() => alert().textContent(), { timeout: 30_000 })
      .toMatch(/^The output folder .*rel-out already holds a generation run; resume it, or choose an empty folder\./);
    expect(await alert().textContent()).not.toMatch(/--resume/);
    await shot(page, 'details-2-resume-offer');
    await alert().getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => alert().count()).toBe(0);
    await expect.poll(() => outcome().textContent(), { timeout: 240_000 }).toBe('Resumed and finished');
    expect(problems).toEqual([]);
  });
});
