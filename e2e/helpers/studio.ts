/**
 * The studio as one labeler opens it in the e2e tests: `dgs serve` on a project, Chromium, and a page
 * with their name given, already at the printed URL; and its closing (the browser first, then the server).
 */
import type { Browser, Page } from 'playwright-core';
import { launch, studioPage } from './browser';
import { serve, type Served } from './serve';
import type { Workspace } from './workspace';

export interface OpenStudio {
  served: Served;
  browser: Browser;
  page: Page;
  problems: string[];
}

export async function openStudio(ws: Workspace, file: string, author: string): Promise<OpenStudio> {
  const served = await serve(file, [], ws.env());
  const browser = await launch();
  const { page, problems } = await studioPage(browser, author);
  await page.goto(served.url);
  return { served, browser, page, problems };
}

/** Close what a test opened (any part may be missing when its setup failed), and remove its workspace. */
export async function closeStudio(
  opened: { browser?: Browser | null; served?: Served | null },
  ws?: Workspace,
): Promise<void> {
  await opened.browser?.close();
  await opened.served?.stop();
  ws?.remove();
}
