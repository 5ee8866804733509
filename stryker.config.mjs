// Mutation testing (npm run mutate, not part of npm test): StrykerJS with its Vitest runner over the
// guarantees that matter most: the engine, the headless auth, the shared schemas and the IPC sender checks.
// @ts-check
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'test/mutation/vitest.stryker.config.ts' },
  mutate: [
    'src/main/core/**/*.ts',
    '!src/main/core/**/*.test.ts',
    'src/main/headless/auth.ts',
    'src/shared/schemas.ts',
    'src/main/electron/ipc/**/*.ts',
    '!src/main/electron/ipc/**/*.test.ts',
  ],
  // Each mutant runs only the tests that executed its code in the dry run.
  coverageAnalysis: 'perTest',
  // A rerun reuses every result whose code and covering tests did not change (see test/mutation/README.md).
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  // Two shared cores: one or two sandboxes at a time; scripts/mutate.mjs also runs us under `nice`.
  concurrency: 2,
  // Slow integration tests on a loaded machine: be generous before calling a mutant a timeout.
  timeoutMS: 15_000,
  timeoutFactor: 2,
  plugins: ['@stryker-mutator/*', './test/mutation/progress-reporter.mjs'],
  // progress-jsonl: every result as it comes (a run stopped early keeps what it measured).
  reporters: ['clear-text', 'progress', 'json', 'html', 'progress-jsonl'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  // Nothing of these is needed to run the selected tests; copying them into every sandbox costs time.
  ignorePatterns: [
    'out',
    'dist',
    'reports',
    'test-results',
    'playwright-report',
    'bench/results',
    'e2e',
    'src/renderer',
  ],
  thresholds: { high: 90, low: 85, break: null },
};
