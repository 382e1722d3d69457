import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string): string => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

// The real-Flink suites: integration tests and the contract suite (real cluster vs simulator).
// The global setup provisions Flink, builds the fixture jobs and starts one cluster per version.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^flink-client\/testing$/, replacement: src('testing/index.ts') },
      { find: /^flink-client$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/integration/**/*.test.ts', 'test/contract/**/*.test.ts'],
    globalSetup: ['test/integration/global-setup.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Two cores run two JVMs per cluster already: keep test files from piling on.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
