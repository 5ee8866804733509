import { configDefaults, defineConfig } from 'vitest/config';

// Unit and integration tests. Integration tests spawn the fake miners as real child processes, so they
// run in forks (not threads) and get generous but bounded timeouts. The desktop smoke tests run the
// built main bundle, so they are their own project whose global setup builds it when out/ is stale
// (only when those tests are part of the run).
const SMOKE = 'test/electron-smoke/**/*.test.ts';

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    environment: 'node',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, SMOKE],
        },
      },
      {
        extends: true,
        test: {
          name: 'electron-smoke',
          include: [SMOKE],
          globalSetup: ['test/electron-smoke/global-setup.ts'],
        },
      },
    ],
  },
});
