import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlinkSimulator, fixtureJar, fixturePrograms, type FlinkSimulator } from 'flink-client/testing';
import { PLACEHOLDERS, type ReadmeTarget, readmeBlocks, runBlock, runsOn } from '../support/readme.js';

// The README's code blocks against the simulator, on the real clock with realistic timing: jobs
// take their time to start and their tasks to deploy, as on real Flink (the same blocks run
// against real Flink in test/integration/readme.test.ts).

const blocks = readmeBlocks();

describe('README code blocks', () => {
  it('every TypeScript block says how it is tested, and a block not run says why', () => {
    expect(blocks.length).toBeGreaterThan(5);
    expect(blocks.filter((b) => b.mode === 'unmarked').map((b) => `README.md:${b.line}`)).toEqual([]);
    for (const b of blocks.filter((x) => x.mode === 'not-run')) expect(b.reason?.length ?? 0).toBeGreaterThan(20);
    // A block that uses the reader's cluster runs against one.
    for (const b of blocks.filter((x) => x.code.includes(PLACEHOLDERS.url))) expect(b.mode, `README.md:${b.line}`).toBe('run');
  });

  for (const block of blocks.filter((b) => b.mode === 'simulator')) {
    it(`${block.heading} (README.md:${block.line}) runs as written`, async () => {
      const printed = await runBlock(block);
      if (block.prints) expect(printed).toMatch(block.prints);
    }, 60_000);
  }
});

describe.each(['2.3.0', '1.20.5'] as const)('README code blocks on the simulator (Flink %s, realistic timing)', (flinkVersion) => {
  let sim: FlinkSimulator;
  let dir: string;
  let target: ReadmeTarget;

  beforeAll(async () => {
    sim = await createFlinkSimulator({ flinkVersion, programs: fixturePrograms, timing: 'realistic', clock: 'real' });
    dir = await mkdtemp(join(tmpdir(), 'flink-client-readme-sim-'));
    const jar = join(dir, fixtureJar('streaming').filename);
    await writeFile(jar, fixtureJar('streaming').bytes);
    target = { url: sim.url, jar, savepoints: 'file:///tmp/flink-simulator/readme' };
  });

  afterAll(async () => {
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const block of blocks.filter((b) => b.mode === 'run' && runsOn(b, flinkVersion))) {
    it(`${block.heading} (README.md:${block.line})`, async () => {
      const printed = await runBlock(block, target);
      if (block.prints) expect(printed).toMatch(block.prints);
    }, 120_000);
  }
});
