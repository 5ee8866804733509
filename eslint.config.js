// Flat ESLint config: typescript-eslint strict rules plus the boundaries from DESIGN.md: the import layers
// (renderer -> shared, preload -> shared, electron/headless -> service -> core -> shared; never upward) and
// raw IPC only inside the typed wrappers. test/lint/boundary.test.ts proves each evasion is reported.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import hashdeck from './eslint-rules/index.js';

// Where each layer may import from. An allow-list resolved against the importing file, so a new path
// into a forbidden folder (`../core`, an index import, `import()`) is caught without listing it.
const LAYERS = [
  {
    name: 'src/shared',
    dir: 'src/shared',
    allow: ['src/shared'],
    electron: false,
    nodeBuiltins: false,
    why: 'shared is pure TS imported by every process.',
  },
  {
    name: 'src/main/core',
    dir: 'src/main/core',
    allow: ['src/main/core', 'src/shared'],
    electron: false,
    why: 'core is plain Node and never imports upward or electron.',
  },
  {
    name: 'src/main/service',
    dir: 'src/main/service',
    allow: ['src/main/service', 'src/main/core', 'src/shared'],
    electron: false,
    why: 'service sits below the transports.',
  },
  {
    name: 'src/main/headless',
    dir: 'src/main/headless',
    allow: ['src/main/headless', 'src/main/service', 'src/main/core', 'src/shared'],
    electron: false,
    why: 'headless runs without Electron.',
  },
  {
    name: 'src/main/electron',
    dir: 'src/main/electron',
    allow: ['src/main/electron', 'src/main/service', 'src/shared'],
    // The channel-name test pins main's copy of the names to the preload's.
    testAllow: ['src/preload/channels'],
    why: 'The desktop shell reaches the engine only through the service (no core internals, no headless server).',
  },
  {
    name: 'src/preload',
    dir: 'src/preload',
    allow: ['src/preload', 'src/shared'],
    nodeBuiltins: false,
    // A sandboxed preload can require electron and nothing else at run time.
    packages: [],
    why: 'The preload exposes the typed client only.',
  },
  {
    name: 'src/renderer',
    dir: 'src/renderer',
    allow: ['src/renderer', 'src/shared'],
    electron: false,
    nodeBuiltins: false,
    why: 'The renderer talks only to the typed client.',
  },
];

const RAW_IPC = 'Raw IPC lives in src/main/electron/ipc (typed wrappers) and src/preload only.';
// As members and destructured names; `webContents` is also every window's property, so its raw use is
// left to the import ban and hashdeck/no-raw-webcontents-send.
const RAW_IPC_MODULES = '/^(ipcMain|ipcRenderer)$/';

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'bench/results/**',
      'reports/**',
      '.stryker-tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { hashdeck },
    rules: { 'hashdeck/layers': ['error', { layers: LAYERS }] },
  },
  // Raw IPC only inside the typed wrappers (GitHub Desktop's rule), whatever the spelling: the names are
  // banned at import (so `import { ipcMain as bus }` is caught where it happens), on any object
  // (`electron.ipcMain`), in destructuring, through require() and import(); pushing to a webContents or
  // frame is banned however the object was reached (hashdeck/no-raw-webcontents-send).
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/main/electron/ipc/**', 'src/preload/**'],
    plugins: { hashdeck },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer', 'webContents', 'webFrameMain'],
              message: RAW_IPC,
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: `MemberExpression[property.name=${RAW_IPC_MODULES}]`, message: RAW_IPC },
        { selector: `MemberExpression[object.name=${RAW_IPC_MODULES}]`, message: RAW_IPC },
        { selector: `ObjectPattern > Property[key.name=${RAW_IPC_MODULES}]`, message: RAW_IPC },
        {
          selector: "CallExpression[callee.name='require'][arguments.0.value='electron']",
          message: `Import electron with a static import. ${RAW_IPC}`,
        },
        {
          selector: "ImportExpression[source.value='electron']",
          message: `Import electron with a static import. ${RAW_IPC}`,
        },
      ],
      'hashdeck/no-raw-webcontents-send': 'error',
    },
  },
);
