import { defineConfig } from 'vitest/config';

// Tests of the built package (dist/): run after `tsup`, with no alias, so `flink-client`
// resolves through package.json's exports map exactly as it does for users.
export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
  },
});
