/**
 * The renderer's Vite config, shared by electron-vite (the desktop app) and `dgs serve` (which builds
 * the same renderer into out/renderer when it is missing or older than its sources).
 */
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import type { UserConfig } from 'vite';

const root = resolve(import.meta.dirname, 'src/renderer');

export const rendererConfig: UserConfig = {
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    rollupOptions: { input: resolve(root, 'index.html') },
    chunkSizeWarningLimit: 4096,
  },
};

export default rendererConfig;
