/**
 * The built renderer `dgs serve` serves: out/renderer at the package root, built with Vite (the same
 * config the desktop app uses) when it is missing or older than the renderer's sources.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RENDERER_DIR = path.join(root, 'out', 'renderer');

function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

export function rendererIsStale(): boolean {
  const index = path.join(RENDERER_DIR, 'index.html');
  if (!fs.existsSync(index)) return true;
  const sources = [path.join(root, 'src', 'renderer'), path.join(root, 'src', 'shared')].filter((d) =>
    fs.existsSync(d),
  );
  if (sources.length === 0) return false; // an installed copy ships the built renderer only
  return Math.max(...sources.map(newest)) > fs.statSync(index).mtimeMs;
}

export async function ensureRendererBuilt(log: (line: string) => void): Promise<string> {
  if (!rendererIsStale()) return RENDERER_DIR;
  log("Building the studio's UI (once, or after its sources changed)…");
  // Vite loads its own config file (TypeScript included), so the compiled CLI needs neither tsx nor the config's plugins bundled.
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.renderer.config.ts'), logLevel: 'warn' });
  return RENDERER_DIR;
}
