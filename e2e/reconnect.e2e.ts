/**
 * A browser page outlives a restart of `dgs serve` (Chromium): the server stops while a sample is open;
 * the page says it is reconnecting; the labeler draws a stroke meanwhile; the server is started again
 * on the same port, with the same token (kept for this user between starts, src/cli/serve-session.ts);
 * the page reconnects by itself — no 401, no "the server does not answer" left — and saves the stroke,
 * which `dgs label export` then finds pixel for pixel.
 */
import fs from 'node:fs';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, shot } from './helpers/browser';
import { closeStudio, openStudio } from './helpers/studio';
import { personAtCanvas } from './helpers/person';
import { serve, type Served } from './helpers/serve';
import { Workspace } from './helpers/workspace';

describe.skipIf(!hasChromium)('the page after `dgs serve` restarts', () => {
  let ws: Workspace;
  let file: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let drawn: number[] = [];

  beforeAll(async () => {
    ws = new Workspace('dgs-e2e-reconnect-');
    file = ws.project('faces.dgs', { samples: 1 });
    ({ served, browser, page, problems } = await openStudio(ws, file, 'Ada'));
  });
  afterAll(() => closeStudio({ browser, served }, ws));

  it('keeps a stroke drawn while the server is down, and saves it once the server is back', async () => {
    const me = await personAtCanvas(page);
    const first = served.url;
    expect(await served.stop()).toBe(0);
    const banner = page.getByRole('status').filter({ hasText: /^The studio server does not answer/ });
    await expect.poll(() => banner.isVisible(), { timeout: 30_000 }).toBe(true);

    await me.key('1');
    await me.key('b');
    await me.drag(
      [
        [12, 12],
        [50, 40],
      ],
      10,
    );
    drawn = await page.evaluate(() => Array.from(window.dgsAnnotation!.editor.session!.raster.pixels));
    expect(drawn.some((p) => p !== 0)).toBe(true);
    await expect.poll(() => page.getByText('Not saved').isVisible(), { timeout: 30_000 }).toBe(true);
    await shot(page, 'reconnect-1-waiting');

    served = await serve(file, ['--port', new URL(first).port], ws.env());
    expect(served.url, 'the same port and token: the page is still welcome').toBe(first);
    await expect.poll(() => banner.count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByText('All changes saved').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);
    await shot(page, 'reconnect-2-saved');
    // While it was down the browser logged its failed tries to reach it; nothing else went wrong.
    expect(problems.filter((p) => !/ERR_CONNECTION_REFUSED/.test(p))).toEqual([]);
  });

  it('saved exactly that stroke in the project', async () => {
    await browser.close();
    expect(await served.stop()).toBe(0);
    ws.dgs('label', 'export', file, '--out', ws.path('export'), '--names', 'seed');
    const png = PNG.sync.read(fs.readFileSync(ws.path('export', 'labels', 'seed-0.png')));
    expect(Array.from({ length: png.width * png.height }, (_, i) => png.data[4 * i])).toEqual(drawn);
  });
});
