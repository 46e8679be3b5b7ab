/**
 * Number fields as a person types into them (Chromium against `dgs serve`): the Gallery's samples to
 * add, the Train screen's models in the ensemble and the Generate screen's samples to keep each state
 * their range, refuse a bad value where it is typed (red, with a sentence saying what to enter) and
 * disable their button until it is fixed; nothing is added or started meanwhile. The API itself answers
 * a bad number with a sentence naming the field, never "please report this".
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromWire, toWire } from '../src/shared/wire';
import { hasChromium, shot } from './helpers/browser';
import { openStudio, type StudioSession } from './helpers/studio-session';

interface Case {
  tab: string;
  field: string;
  button: string;
  range: string;
  bad: [string, string][];
  good: string;
}

const CASES: Case[] = [
  {
    tab: 'Gallery',
    field: 'How many samples to add',
    button: 'Sample',
    range: 'A whole number from 1 to 10,000.',
    bad: [
      ['0', '0 is out of range; enter a whole number from 1 to 10,000.'],
      ['-5', '-5 is out of range; enter a whole number from 1 to 10,000.'],
      ['2.5', '2.5 is not a whole number; enter a whole number from 1 to 10,000.'],
      ['100000', '100,000 is out of range; enter a whole number from 1 to 10,000.'],
      ['abc', '“abc” is not a number; enter a whole number from 1 to 10,000.'],
      ['', 'Enter a whole number from 1 to 10,000.'],
    ],
    good: '2',
  },
  {
    tab: 'Train',
    field: 'Models in the ensemble',
    button: 'Train',
    range: 'A whole number from 1 to 64.',
    bad: [
      ['0', '0 is out of range; enter a whole number from 1 to 64.'],
      ['100000', '100,000 is out of range; enter a whole number from 1 to 64.'],
      ['abc', '“abc” is not a number; enter a whole number from 1 to 64.'],
    ],
    good: '4',
  },
  {
    tab: 'Generate',
    field: 'Samples to keep',
    button: 'Generate',
    range: 'A whole number from 1 to 100,000,000.',
    bad: [
      ['0', '0 is out of range; enter a whole number from 1 to 100,000,000.'],
      ['-3', '-3 is out of range; enter a whole number from 1 to 100,000,000.'],
      ['1e9', '1,000,000,000 is out of range; enter a whole number from 1 to 100,000,000.'],
      ['abc', '“abc” is not a number; enter a whole number from 1 to 100,000,000.'],
    ],
    good: '20',
  },
];

describe.skipIf(!hasChromium)('number fields', () => {
  let studio: StudioSession;
  let page: Page;
  const jobStarts: string[] = [];

  beforeAll(async () => {
    studio = await openStudio('dgs-e2e-numbers-', { samples: 3, labeled: 2, train: true });
    page = studio.page;
    page.on('request', (r) => {
      const channel = new URL(r.url()).pathname.replace('/api/', '');
      if (['samples:add', 'train:start', 'generate:start'].includes(channel)) jobStarts.push(channel);
    });
    await page.getByRole('tab', { name: 'Annotate' }).waitFor();
  });
  afterAll(() => studio?.dispose());

  for (const c of CASES)
    it(`${c.tab}: ${c.field} refuses bad values where they are typed`, async () => {
      await page.getByRole('tab', { name: c.tab }).click();
      if (c.tab === 'Generate') await page.getByLabel('Output folder').fill(studio.ws.path('dataset'));
      const input = page.getByLabel(c.field, { exact: true });
      const help = page.locator(`#${await input.getAttribute('id')}-help`);
      const button = page.getByRole('button', { name: c.button, exact: true });
      await input.fill(c.good);
      expect(await help.textContent()).toBe(c.range);
      expect(await button.isEnabled()).toBe(true);
      for (const [text, sentence] of c.bad) {
        await input.fill(text);
        await expect.poll(() => help.textContent()).toBe(sentence);
        expect(await input.getAttribute('aria-invalid'), text).toBe('true');
        expect(await button.isEnabled(), `${c.button} with ${JSON.stringify(text)}`).toBe(false);
        // Leaving the field keeps what was typed (no silent 1 in its place) and keeps the button off.
        await input.press('Tab');
        expect(await input.inputValue()).toBe(text);
        expect(await button.isEnabled()).toBe(false);
      }
      await input.fill(c.bad[0][0]);
      await shot(page, `numbers-${c.tab.toLowerCase()}`);
      await input.fill(c.good);
      await expect.poll(() => help.textContent()).toBe(c.range);
      expect(await input.getAttribute('aria-invalid')).toBe('false');
      expect(await button.isEnabled()).toBe(true);
    });

  it('started nothing while a value was bad, and adds what a good one says', async () => {
    expect(jobStarts).toEqual([]);
    await page.getByRole('tab', { name: 'Gallery' }).click();
    await page.getByLabel('How many samples to add').fill('2');
    await page.getByRole('button', { name: 'Sample', exact: true }).click();
    await expect
      .poll(() => page.getByRole('button', { name: /^Sample seed \d+,/ }).count(), { timeout: 120_000 })
      .toBe(5);
  });

  it('answers a bad number sent to the API with a sentence naming the field', async () => {
    const token = new URL(studio.served.url).searchParams.get('token');
    const api = async (channel: string, body: unknown) => {
      const res = await fetch(`${studio.served.origin}/api/${channel}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'X-DGS-Request': '1' },
        body: toWire(body),
      });
      return fromWire(await res.text()) as { ok: boolean; message?: string };
    };
    const generate = { outDir: studio.ws.path('api'), filter: 0.1, formats: [], resume: false };
    for (const [channel, body, sentence] of [
      ['samples:add', { count: 0 }, 'Samples to add must be a whole number from 1 to 10,000, not 0.'],
      ['samples:add', { count: 2.5 }, 'Samples to add must be a whole number from 1 to 10,000, not 2.5.'],
      ['train:start', { members: 100000 }, 'Models in the ensemble must be a whole number from 1 to 64, not 100000.'],
      [
        'generate:start',
        { ...generate, count: 1e9 },
        'Samples to keep must be a whole number from 1 to 100,000,000, not 1000000000.',
      ],
    ] as const)
      expect(await api(channel, body)).toEqual({ ok: false, message: sentence });
  });

  it('reported no errors', () => {
    expect(studio.problems).toEqual([]);
  });
});
