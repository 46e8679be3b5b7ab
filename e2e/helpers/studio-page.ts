/**
 * The studio page as the annotation e2e tests drive it: open a sample from the strip and get a person at
 * its canvas, wait for the autosave, and call the studio's HTTP API the way the page does.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { fromWire, toWire } from '../../src/shared/wire';
import { Person } from './person';
import type { Served } from './serve';

/** The sample with this seed, opened in the canvas, and a person at it. */
export async function openSample(page: Page, seed: number, annotated: boolean): Promise<Person> {
  await page
    .getByRole('button', { name: new RegExp(`^Sample seed ${seed}, ${annotated ? 'annotated' : 'not annotated'}`) })
    .click();
  await page.waitForFunction(
    (s) =>
      window.dgsAnnotation?.editor.session?.sampleId !== undefined &&
      document.querySelector('.sample-panel')?.textContent?.includes(`Seed ${s} `),
    seed,
  );
  await page.waitForTimeout(300);
  const { origin, v } = await page.evaluate(() => {
    const h = window.dgsAnnotation!;
    const r = h.stage.element.getBoundingClientRect();
    return { origin: { left: r.left, top: r.top }, v: h.stage.viewport() as number[] };
  });
  return new Person(page, origin, v);
}

/** Waits until the sample panel says every change is saved. */
export async function allSaved(page: Page): Promise<void> {
  await expect.poll(() => page.getByText('All changes saved').isVisible(), { timeout: 30_000 }).toBe(true);
}

/** One API channel called over HTTP with the page's token; its answer. */
export async function callApi<T>(served: Served, channel: string, req: unknown): Promise<T> {
  const res = await fetch(`${served.origin}/api/${channel}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${new URL(served.url).searchParams.get('token')}`, 'X-DGS-Request': '1' },
    body: toWire(req),
  });
  return (fromWire(await res.text()) as { value: T }).value;
}
