// Vitest config for mutation testing (npm run mutate): only the tests that can kill mutants of the mutated
// files (main, shared, core, install, security and integration tests with real fake miners); no renderer,
// fake-self, desktop-smoke (they need a build) or script tests.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: [
      'src/main/**/*.test.ts',
      'src/shared/**/*.test.ts',
      'test/core/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/service/**/*.test.ts',
      'test/headless/**/*.test.ts',
      'test/security/**/*.test.ts',
      'test/install/**/*.test.ts',
    ],
    // Runs a script as user "nobody" from the project folder; Stryker's sandboxes are private (0700), so
    // there it cannot even read the script. It pins file-store behaviour, not the mutated access checks.
    exclude: ['test/security/headless-files.test.ts'],
    // Stryker replaces the pool with one worker thread; these bounds are the ones of the normal suite.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    environment: 'node',
  },
});
