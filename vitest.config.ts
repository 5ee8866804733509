import { defineConfig } from 'vitest/config';

// Unit and integration tests. Integration tests spawn the fake miners as real child processes, so they
// run in forks (not threads) and get generous but bounded timeouts.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    environment: 'node',
  },
});
