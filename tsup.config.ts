import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // Keep the CLI's output, built by the config below at the same time.
    clean: ['!cli.js', '!cli.js.map'],
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
  },
  {
    // The `flink-client` bin. It imports the SDK by its package name, left external, so it runs on
    // the package's own public entry points (one copy of the SDK; msw loads only for `simulate`).
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    splitting: false,
    external: ['flink-client', 'flink-client/testing'],
  },
]);
