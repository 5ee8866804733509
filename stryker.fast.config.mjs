// Stage 1 of a two-stage mutation run: the same scope with only the in-process tests, and its own
// incremental cache (its "survived" must never be reused by a run with the full test set).
// `npm run mutate -- stryker.fast.config.mjs --mutate '<files>'`, then `npm run mutate:rerun` (README).
// @ts-check
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'test/mutation/vitest.stryker-fast.config.ts' },
  incrementalFile: 'reports/mutation/stryker-incremental-fast.json',
};
