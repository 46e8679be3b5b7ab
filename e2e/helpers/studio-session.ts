/**
 * One studio for an e2e file: a project made with `dgs` in a scratch workspace, `dgs serve` on it, and
 * a Chromium page at 1280×800 opened on its URL with the author's name already given.
 */
import type { Browser, Page } from 'playwright-core';
import { launch, watchPage } from './browser';
import { serve, type Served } from './serve';
import { Workspace, type ProjectOptions } from './workspace';

export interface StudioSession {
  ws: Workspace;
  file: string;
  served: Served;
  browser: Browser;
  page: Page;
  /** Console errors and CSP violations the page reported (watchPage). */
  problems: string[];
  dispose(): Promise<void>;
}

export async function openStudio(
  prefix: string,
  project: ProjectOptions,
  opts: { author?: string; viewport?: { width: number; height: number } } = {},
): Promise<StudioSession> {
  const ws = new Workspace(prefix);
  const file = ws.project('faces.dgs', project);
  const served = await serve(file, [], ws.env());
  const browser = await launch();
  const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1280, height: 800 } });
  const problems = watchPage(page);
  await page.addInitScript((a) => localStorage.setItem('dgs.author', a), opts.author ?? 'Ada');
  await page.goto(served.url);
  return {
    ws,
    file,
    served,
    browser,
    page,
    problems,
    async dispose() {
      await browser.close();
      await served.stop();
      ws.remove();
    },
  };
}
