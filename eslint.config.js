// Layering is enforced here (DESIGN §3, docs/architecture.md): each folder under src is a layer, and each
// layer lists what it may import. A wrong import fails `npm run lint` (tools/tests/lint-layers.test.ts
// shows it on real files).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'crypto',
  'url',
  'util',
  'stream',
  'zlib',
  'events',
  'buffer',
  'http',
  'https',
  'net',
];
const electron = ['electron', 'electron/*'];
const ort = ['onnxruntime-node', 'onnxruntime-common'];
const sqlite = ['better-sqlite3'];
const ui = ['react', 'react-dom', 'react-dom/*', 'fabric', '@blueprintjs/*', 'uplot', 'uplot-react', '@tanstack/*'];
const react = ['react', 'react/*', 'react-dom', 'react-dom/*', '@blueprintjs/*', 'uplot', 'uplot-react', '@tanstack/*'];
const domGlobals = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'requestAnimationFrame',
  'HTMLElement',
  'HTMLCanvasElement',
];
/** A layer folder, matched by any relative path that reaches it. */
const layer = (name) => [`**/${name}`, `**/${name}/**`];
const layers = (...names) => names.flatMap(layer);

/** The no-restricted-imports rule for one layer: each entry is [patterns, why]. */
function only(layerName, banned) {
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: banned.map(([group, why]) => ({ group, message: `${layerName}: ${why}` })),
      },
    ],
  };
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'release/**',
      'node_modules/**',
      'assets/**',
      'e2e/fixtures/**',
      'tmp/**',
      'dgs-demo/**',
      'e2e/artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    ignores: ['src/shared/**/*.test.ts', 'src/shared/test/**'],
    rules: {
      ...only('src/shared is pure TypeScript', [
        [electron, 'no electron imports.'],
        [nodeBuiltins, 'no Node built-ins.'],
        [[...ort, ...sqlite], 'no native modules.'],
        [ui, 'no DOM or UI libraries.'],
        [
          layers('engine', 'node', 'compute', 'main', 'renderer', 'preload', 'cli'),
          'it must not depend on other layers.',
        ],
      ]),
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require'],
    },
  },
  {
    files: ['src/node/**/*.ts'],
    ignores: ['src/node/**/test/**'],
    rules: only('src/node (Node helpers of compute and the host: bundles, dataset writer, io, RPC endpoints)', [
      [electron, 'no electron: these helpers run in every process.'],
      [[...ort, ...sqlite], 'no native modules: onnxruntime belongs to src/compute, the project file to src/engine.'],
      [
        layers('engine', 'compute', 'main', 'renderer', 'preload', 'cli'),
        'it imports only src/shared; the host side (src/engine) and compute build on it, not the other way round.',
      ],
      [ui, 'no UI libraries.'],
    ]),
  },
  {
    files: ['src/engine/**/*.ts'],
    // Engine tests run jobs on the real compute in-process, as the CLI does.
    ignores: ['src/engine/**/test/**'],
    rules: only('src/engine (the host side: project file, API, jobs, compute client)', [
      [electron, 'no electron: the engine runs in the CLI, `dgs serve` and Electron main alike.'],
      [
        ort,
        'no onnxruntime: only src/compute runs models; reach it through the Compute interface (src/shared/compute-api.ts).',
      ],
      [layers('compute', 'main', 'renderer', 'preload', 'cli'), 'it imports only src/shared and src/node.'],
      [ui, 'no UI libraries.'],
    ]),
  },
  {
    files: ['src/compute/**/*.ts'],
    // Compute tests drive the host's jobs on the real compute, as the CLI does.
    ignores: ['src/compute/**/test/**'],
    rules: only('src/compute (the compute process)', [
      [
        electron,
        'no electron: compute runs in a utility process, a child process or the CLI, and speaks only its port.',
      ],
      [sqlite, 'no project file: main alone opens it and sends compute typed arrays.'],
      [
        layers('engine', 'main', 'renderer', 'preload', 'cli'),
        'it imports only src/shared and src/node, never the host side (src/engine).',
      ],
      [ui, 'no UI libraries.'],
    ]),
  },
  {
    files: ['src/main/**/*.ts'],
    rules: only('src/main (the Electron shell)', [
      [ort, 'no onnxruntime: session.run() would block the UI; jobs go to the compute process.'],
      [
        layers('compute'),
        'no compute code: start the compute process and talk to it through src/engine/compute-client.',
      ],
      [layers('renderer', 'cli'), 'it imports only src/shared, src/node, src/engine and electron.'],
      [ui, 'no UI libraries.'],
    ]),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: only('src/cli (the dgs command)', [
      [electron, 'no electron: dgs runs under plain Node.'],
      [
        layers('main', 'renderer', 'preload'),
        'it imports src/shared, src/node, src/engine and src/compute, never the Electron shell.',
      ],
      [ui, 'no UI libraries.'],
    ]),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: only('src/renderer (the UI)', [
      [electron, 'it speaks only the typed API, never electron.'],
      [nodeBuiltins, 'it has no Node: use the typed API.'],
      [[...ort, ...sqlite], 'no native modules: use the typed API.'],
      [layers('engine', 'node', 'compute', 'main', 'cli', 'preload'), 'it imports only src/shared.'],
    ]),
  },
  {
    // The canvas's document model and tools are plain TypeScript, tested without a browser (like
    // tldraw's editor); the view (canvas/view) alone draws them with React, Fabric and the DOM.
    files: ['src/renderer/src/canvas/model/**/*.ts', 'src/renderer/src/canvas/tools/**/*.ts'],
    ignores: ['src/renderer/src/canvas/**/test/**'],
    rules: {
      ...only('canvas model and tools (no UI)', [
        [[...react, 'fabric'], 'no React, Fabric or other UI library: the view draws the model.'],
        [layers('view', 'screens', 'components'), 'the view builds on the model, not the other way round.'],
        [layers('engine', 'node', 'compute', 'main', 'cli', 'preload'), 'it imports only src/shared.'],
        [nodeBuiltins, 'it has no Node.'],
        [[...electron, ...ort, ...sqlite], 'no electron or native modules.'],
      ]),
      'no-restricted-globals': [
        'error',
        ...domGlobals.map((name) => ({
          name,
          message: `canvas model and tools: no DOM (${name}); the view passes in what they need.`,
        })),
      ],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: only('src/preload (the bridge)', [
      [layers('engine', 'node', 'compute', 'main', 'renderer', 'cli'), 'it imports only electron and src/shared.'],
      [[...ort, ...sqlite], 'no native modules.'],
    ]),
  },
);
