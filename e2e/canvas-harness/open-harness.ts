/**
 * Build the canvas harness with Vite, serve it from a tiny static server (with a strict CSP), and open
 * it in Debian's Chromium (e2e/helpers/browser.ts). Shared by the e2e test and bench/canvas.ts.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { launch, watchPage } from '../helpers/browser';

const ROOT = path.dirname(new URL(import.meta.url).pathname);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};
// No 'unsafe-inline' anywhere: the canvas must not inject <style> elements or style attributes.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; object-src 'none'; base-uri 'none'";

export async function buildHarness(): Promise<string> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-canvas-harness-'));
  await build({
    root: ROOT,
    base: './',
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: true,
      chunkSizeWarningLimit: 4096,
      // zod's sources carry comments Rollup cannot place; the warning is about comments, not code.
      rollupOptions: { onwarn: (w, warn) => w.code !== 'INVALID_ANNOTATION' && warn(w) },
    },
  });
  return outDir;
}

export interface Served extends AsyncDisposable {
  url: string;
}

export async function serveDir(dir: string): Promise<Served> {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(dir, rel);
    if (!file.startsWith(path.resolve(dir)) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    [Symbol.asyncDispose]: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface OpenHarness extends AsyncDisposable {
  browser: Browser;
  page: Page;
  /** Console errors, page errors and CSP reports seen so far. */
  errors: string[];
}

/** Chromium on the harness page with a `size`² sample (its image given as a URL or a canvas), ready to draw. */
export async function openHarness(
  url: string,
  size: number,
  viewport = { width: 1400, height: 1120 },
  image: 'url' | 'canvas' = 'url',
): Promise<OpenHarness> {
  const browser = await launch();
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const errors = watchPage(page);
  await page.goto(`${url}index.html?size=${size}&image=${image}`);
  await page.waitForFunction(() => window.__harness?.handle?.editor.session != null);
  return { browser, page, errors, [Symbol.asyncDispose]: () => browser.close() };
}

/** The page's label map as bytes. */
export async function readLabelMap(page: Page): Promise<Uint8Array> {
  return new Uint8Array(Buffer.from(await page.evaluate(() => window.__harness.labelMap()), 'base64'));
}

/** Where image pixel (0, 0)'s top-left corner is on the page, for viewport [z, 0, 0, z, tx, ty]. */
export async function canvasOrigin(page: Page): Promise<{ left: number; top: number }> {
  return page.evaluate(() => {
    const r = window.__harness.handle!.stage.element.getBoundingClientRect();
    return { left: r.left, top: r.top };
  });
}
