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
/** A layer folder, matched by any relative path that reaches it. */
const layer = (name) => [`**/${name}`, `**/${name}/**`];

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
          [
            ...layer('engine'),
            ...layer('compute'),
            ...layer('main'),
            ...layer('renderer'),
            ...layer('preload'),
            ...layer('cli'),
          ],
          'it must not depend on other layers.',
        ],
      ]),
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require'],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    // Engine tests run jobs on the real compute in-process, as the CLI does.
    ignores: ['src/engine/**/test/**'],
    rules: only('src/engine (Node only: project file, bundles, dataset writer, jobs)', [
      [electron, 'no electron: the engine runs in the CLI, `dgs serve` and Electron main alike.'],
      [
        ort,
        'no onnxruntime: only src/compute runs models; reach it through the Compute interface (src/shared/compute-api.ts).',
      ],
      [
        [...layer('compute'), ...layer('main'), ...layer('renderer'), ...layer('preload'), ...layer('cli')],
        'it imports only src/shared.',
      ],
      [ui, 'no UI libraries.'],
    ]),
  },
  {
    files: ['src/compute/**/*.ts'],
    rules: only('src/compute (the compute process)', [
      [
        electron,
        'no electron: compute runs in a utility process, a child process or the CLI, and speaks only its port.',
      ],
      [sqlite, 'no project file: main alone opens it and sends compute typed arrays.'],
      [
        [...layer('main'), ...layer('renderer'), ...layer('preload'), ...layer('cli')],
        'it imports only src/shared and src/engine.',
      ],
      [ui, 'no UI libraries.'],
    ]),
  },
  {
    files: ['src/main/**/*.ts'],
    rules: only('src/main (the Electron shell)', [
      [ort, 'no onnxruntime: session.run() would block the UI; jobs go to the compute process.'],
      [
        [...layer('compute')],
        'no compute code: start the compute process and talk to it through src/engine/compute-client.',
      ],
      [[...layer('renderer'), ...layer('cli')], 'it imports only src/shared, src/engine and electron.'],
      [ui, 'no UI libraries.'],
    ]),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: only('src/cli (the dgs command)', [
      [electron, 'no electron: dgs runs under plain Node.'],
      [
        [...layer('main'), ...layer('renderer'), ...layer('preload')],
        'it imports src/shared, src/engine and src/compute, never the Electron shell.',
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
      [
        [...layer('engine'), ...layer('compute'), ...layer('main'), ...layer('cli'), ...layer('preload')],
        'it imports only src/shared.',
      ],
    ]),
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: only('src/preload (the bridge)', [
      [
        [...layer('engine'), ...layer('compute'), ...layer('main'), ...layer('renderer'), ...layer('cli')],
        'it imports only electron and src/shared.',
      ],
      [[...ort, ...sqlite], 'no native modules.'],
    ]),
  },
);
