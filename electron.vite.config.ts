import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { rendererConfig } from './vite.renderer.config';

// Native and ONNX packages stay external (they load .node files); the sandboxed preload is one CJS file.
// Main builds five entries: the Electron shell, the compute process it starts as a utility process,
// and the training, labeling and sample-writer workers compute starts (electron-vite cannot bundle a worker nested inside a
// ?modulePath entry, so each is its own top-level entry: research/studio-stack.md §0).
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          compute: resolve(__dirname, 'src/compute/compute-process.ts'),
          'train-worker': resolve(__dirname, 'src/compute/interpreter/train/worker.ts'),
          'write-worker': resolve(__dirname, 'src/node/dataset-writer/write-worker.ts'),
          'label-worker': resolve(__dirname, 'src/compute/interpreter/label/worker.ts'),
        },
        external: ['better-sqlite3', 'onnxruntime-node', 'onnxruntime-common'],
        output: { entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
