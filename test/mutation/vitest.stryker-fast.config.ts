// Stage 1 of a two-stage mutation run (see test/mutation/README.md): the in-process tests only. They kill
// most mutants in seconds; what survives them is rerun against the full set (vitest.stryker.config.ts), so a
// mutant only the slow process-level tests can kill is still counted killed, and the result is the same.
// Why: under the full set every mutant in the manager runs the multi-second integration and interleaving
// tests that cover it, which measured about one mutant a minute per worker on this 2-core machine.
import { defineConfig } from 'vitest/config';
import full from './vitest.stryker.config';

export default defineConfig({
  ...full,
  test: {
    ...full.test,
    include: [
      'src/main/**/*.test.ts',
      'src/shared/**/*.test.ts',
      'test/core/**/*.test.ts',
      'test/install/**/*.test.ts',
    ],
    // The interleaving properties run thousands of schedules per test (seconds each): stage 2 runs them,
    // or stage 1 with MUTATE_WITH_RACE=1 (in-process too; for the manager, whose guarantees they test).
    exclude: process.env.MUTATE_WITH_RACE === '1' ? [] : ['test/core/manager.race.test.ts'],
  },
});
