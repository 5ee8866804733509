// `npm run mutate -- test/mutation/stryker.install-units.config.mjs --mutate 'src/main/core/install/...'`:
// the installer's files against its in-process unit tests only (a lower bound of stage 1, see the vitest
// config), with its own incremental cache so neither stage reuses its "survived".
// @ts-check
import base from '../../stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'test/mutation/vitest.stryker-install-units.config.ts' },
  incrementalFile: 'reports/mutation/stryker-incremental-install-units.json',
};
