// Flat ESLint config: typescript-eslint strict rules plus the layering rules from DESIGN.md
// (renderer -> shared, preload -> shared, electron/headless -> service -> core -> shared; never upward).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const layer = (files, patterns, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
  },
});

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
  layer(
    ['src/shared/**'],
    ['**/main/**', '**/renderer/**', '**/preload/**', 'electron', 'node:*'],
    'src/shared is pure TS imported by every process',
  ),
  layer(
    ['src/main/core/**'],
    ['**/service/**', '**/electron/**', '**/headless/**', '**/renderer/**', 'electron'],
    'core is plain Node and never imports upward or electron',
  ),
  layer(
    ['src/main/service/**'],
    ['**/electron/**', '**/headless/**', '**/renderer/**', 'electron'],
    'service sits below the transports',
  ),
  layer(
    ['src/main/headless/**'],
    ['**/electron/**', '**/renderer/**', 'electron'],
    'headless runs without Electron',
  ),
  layer(
    ['src/renderer/**'],
    ['**/main/**', '**/preload/**', 'electron', 'node:*'],
    'the renderer talks only to the typed client',
  ),
  layer(['src/preload/**'], ['**/main/**', '**/renderer/**'], 'preload exposes the typed client only'),
  // Raw IPC only inside the typed wrappers (GitHub Desktop's rule).
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/main/electron/ipc/**', 'src/preload/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='ipcMain']",
          message: 'Use the typed IPC wrappers in src/main/electron/ipc.',
        },
        { selector: "MemberExpression[object.name='ipcRenderer']", message: 'Use the preload client.' },
        {
          selector: "MemberExpression[property.name='send'][object.property.name='webContents']",
          message: 'Use the typed event sender.',
        },
      ],
    },
  },
);
