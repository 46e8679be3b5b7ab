/**
 * Which interpreter labels is the user's choice (Chromium against `dgs serve`, and the CLI): a project
 * with two interpreters trained one after the other; the Train screen lists both with their mIoU,
 * members and date and marks the newer in use; picking the older makes pre-label (label:predict) use
 * it; `dgs info` marks it, `dgs suggest` ranks with it, and `--interpreter ID` picks another for one
 * command. Without a pick, a newer interpreter whose cross-validated mIoU is lower than the one in use
 * does not take over, and its row says why.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../src/engine/project';
import { chooseInterpreter } from '../src/engine/project/interpreter-choice';
import { readInterpreterRecord } from '../src/engine/project/interpreters';
import { fromWire, toWire } from '../src/shared/wire';
import { hasChromium, shot } from './helpers/browser';
import { closeStudio, openStudio } from './helpers/studio';
import type { Served } from './helpers/serve';
import { Workspace } from './helpers/workspace';

interface Standing {
  id: string;
  members: number;
  miou: number | null;
  inUse: boolean;
}

describe.skipIf(!hasChromium)('choosing the interpreter in use', () => {
  let ws: Workspace;
  let file: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let older: string;
  let newer: string;
  /** `dgs info` before the studio opened the project (a project open for editing is the studio's alone). */
  let info: string;

  const standings = () => (JSON.parse(ws.dgs('info', file, '--json')) as { interpreters: Standing[] }).interpreters;

  /** The interpreter the studio's pre-label uses for the first sample, asked as the page asks. */
  async function predictedBy(): Promise<string> {
    const token = new URL(served.url).searchParams.get('token');
    const api = async (channel: string, body: unknown) => {
      const res = await fetch(`${served.origin}/api/${channel}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'X-DGS-Request': '1' },
        body: toWire(body),
      });
      return (fromWire(await res.text()) as { value: unknown }).value;
    };
    const [first] = (await api('samples:list', {})) as { id: string }[];
    return ((await api('label:predict', { sampleId: first.id })) as { interpreterId: string }).interpreterId;
  }

  beforeAll(async () => {
    ws = new Workspace('dgs-e2e-interpreter-');
    file = ws.project('faces.dgs', { samples: 3, labeled: 2, trainings: [2, 3] });
    [newer, older] = standings().map((s) => s.id);
    info = ws.dgs('info', file);
    ({ served, browser, page, problems } = await openStudio(ws, file, 'Ada'));
  }, 600_000);
  afterAll(() => closeStudio({ browser, served }, ws));

  it('lists the interpreters with mIoU, members and date, the newer in use, and dgs info marks it', async () => {
    expect(info).toMatch(new RegExp(`Interpreters \\* ${newer.slice(0, 8)} .* 3 models, CV mIoU n/a {2}\\(in use\\)`));
    await page.getByRole('tab', { name: 'Train' }).click();
    const table = page.getByRole('table', { name: 'Interpreters' });
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(2);
    const rows = await table.locator('tbody tr').allTextContents();
    expect(rows[0]).toMatch(/in use.*3.*n\/a/);
    expect(rows[1]).toMatch(/^\d.*2.*n\/a/);
    expect(await predictedBy()).toBe(newer);
    await shot(page, 'interpreters-1-list');
  });

  it('uses the one the user picks for pre-label', async () => {
    const radios = page.getByRole('table', { name: 'Interpreters' }).getByRole('radio');
    await radios.nth(1).locator('..').click(); // the radio's label, where a person clicks
    await expect.poll(() => radios.nth(1).isChecked(), { timeout: 10_000 }).toBe(true);
    expect(await radios.nth(0).isChecked()).toBe(false);
    await expect
      .poll(() => page.getByRole('table', { name: 'Interpreters' }).locator('tbody tr').nth(1).textContent())
      .toMatch(/in use.*In use: you picked it\./);
    expect(await predictedBy()).toBe(older);
    await shot(page, 'interpreters-2-picked');
  });

  it('goes back to the rule when asked, and to the one picked when picked again', async () => {
    await page.getByRole('button', { name: /^Let the newest take over again/ }).click();
    await expect.poll(() => predictedBy(), { timeout: 10_000 }).toBe(newer);
    await page.getByRole('table', { name: 'Interpreters' }).getByRole('radio').nth(1).locator('..').click();
    await expect.poll(() => predictedBy(), { timeout: 10_000 }).toBe(older);
    expect(problems).toEqual([]);
  });

  it('is the one `dgs info` marks and `dgs suggest` ranks with; --interpreter ID picks another for one command', async () => {
    await browser.close();
    expect(await served.stop()).toBe(0);
    expect(standings().map((s) => [s.id, s.members, s.inUse])).toEqual([
      [newer, 3, false],
      [older, 2, true],
    ]);
    expect(ws.dgs('info', file)).toMatch(
      new RegExp(`\\* ${older.slice(0, 8)} .* 2 models, CV mIoU n/a {2}\\(in use\\)`),
    );
    const suggested = JSON.parse(ws.dgs('suggest', file, '--count', '1', '--pool', '2', '--json')) as {
      interpreter: string;
    };
    expect(suggested.interpreter).toBe(older);
    const once = JSON.parse(
      ws.dgs('suggest', file, '--count', '1', '--pool', '2', '--json', '--interpreter', newer.slice(0, 8)),
    ) as { interpreter: string };
    expect(once.interpreter, '--interpreter ID picks another for one command').toBe(newer);
    expect(standings().find((s) => s.inUse)!.id, 'and leaves the choice as it was').toBe(older);
  });

  it('without a pick, keeps the one in use when a newer one has a lower cross-validated mIoU, and says why', async () => {
    // Two more interpreters, as training with cross-validation would store them: the real weights of the
    // older one, with reports of 50 % and then 40 % mIoU (training to a chosen mIoU is not possible).
    const p = Project.open(file, { author: 'Ada' });
    let better: string;
    let worse: string;
    try {
      const sha = p.getModel()!.sha256;
      chooseInterpreter(p, sha, null);
      const source = p.listInterpreters().find((i) => i.id === older)!;
      const { config, metrics } = readInterpreterRecord(file, source);
      const weights = p.getInterpreter(older)!.weights;
      const store = (miou: number) =>
        p.saveInterpreter({
          config,
          weights,
          metrics: { ...metrics, miou, perClass: metrics.perClass.map(() => miou), folds: 2 },
        }).id;
      better = store(0.5);
      await new Promise((r) => setTimeout(r, 5)); // a later creation time
      worse = store(0.4);
    } finally {
      p.dispose();
    }
    expect(standings().map((s) => [s.id, s.inUse])).toEqual([
      [worse, false],
      [better, true],
      [newer, false],
      [older, false],
    ]);
    ({ served, browser, page, problems } = await openStudio(ws, file, 'Ada'));
    await page.getByRole('tab', { name: 'Train' }).click();
    const rows = page.getByRole('table', { name: 'Interpreters' }).locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(4);
    expect(await rows.nth(0).textContent()).toContain(
      'Not used: its cross-validated mIoU 40.0 % is lower than the 50.0 % of the one in use.',
    );
    expect(await rows.nth(1).textContent()).toMatch(
      /in use.*50\.0 %.*In use: newer than the one before, which had no cross-validated mIoU to compare with\./,
    );
    expect(await predictedBy()).toBe(better);
    expect(
      await page.getByText('the newest interpreter, not the one in use').isVisible(),
      'the IoU report says whose',
    ).toBe(true);
    await shot(page, 'interpreters-3-lower-miou');
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
    await shot(page, 'interpreters-3-lower-miou-dark');
    expect(problems).toEqual([]);
  });
});
