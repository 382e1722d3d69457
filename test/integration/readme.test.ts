import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeBlocks, runBlock, runsOn } from '../support/readme.js';
import { realClusters } from './support.js';

// Every README block marked `readme-test: run` against real Flink, as written: only the reader's
// cluster URL, jar and savepoint directory are replaced (test/support/readme.ts).

const blocks = readmeBlocks().filter((b) => b.mode === 'run');

describe.each(realClusters())('README code blocks on real Flink $version', (cluster) => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'flink-client-readme-'));
  });

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  for (const block of blocks) {
    if (!runsOn(block, cluster.version)) continue;
    it(`${block.heading} (README.md:${block.line})`, async () => {
      const savepoints = pathToFileURL(await mkdtemp(join(scratch, 'savepoints-'))).href;
      const printed = await runBlock(block, { url: cluster.url, jar: cluster.jars.streaming, savepoints });
      if (block.prints) expect(printed).toMatch(block.prints);
    }, 240_000);
  }
});
