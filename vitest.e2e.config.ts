import { defineConfig } from 'vitest/config';

// End-to-end tests: a real browser (Debian's Chromium through playwright-core) against `dgs serve`.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
