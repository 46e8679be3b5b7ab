import { defineConfig } from 'vitest/config';

// End-to-end tests (e2e/*.e2e.ts): real Chromium through playwright-core; one file at a time.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
