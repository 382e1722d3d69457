import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string): string => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests import the package by name, as users do.
    alias: [
      { find: /^flink-client\/testing$/, replacement: src('testing/index.ts') },
      { find: /^flink-client$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/client/**/*.test.ts', 'test/types/**/*.test.ts', 'test/simulator/**/*.test.ts', 'test/cli/**/*.test.ts', 'examples/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
