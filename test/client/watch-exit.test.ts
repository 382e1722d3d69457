import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlinkSimulator, type FlinkSimulator } from 'flink-client/testing';

// No timer, socket or listener of a watcher survives its last stop() or the client's close():
// a process that only watched exits by itself. The JobManager lives in this (the parent) process
// and stays up, so the child's keep-alive connections stay open until it exits.

let sim: FlinkSimulator;
let jobId: string;

beforeAll(async () => {
  sim = await createFlinkSimulator({ timing: 'fast' });
  jobId = sim.jobs.submit({ name: 'watched' }).id;
  sim.jobs.submit({ name: 'other' });
});
afterAll(async () => {
  await sim.close();
});

const script = fileURLToPath(new URL('./watch-exit-child.ts', import.meta.url));

describe('a process that only watched', () => {
  for (const mode of ['stop', 'close'] as const) {
    it(`exits on its own after the last ${mode === 'stop' ? 'stop()' : 'close()'}`, async () => {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, sim.url, mode, jobId], { timeout: 30_000 });
      const exitedAt = Date.now();
      const match = /^stopped added=(\d+) pollers=(\d+) timers=(\d+) at=(\d+)$/.exec(stdout.trim());
      expect(match, stdout).not.toBeNull();
      const [, added, pollers, timers, stoppedAt] = (match as RegExpExecArray).map(Number);
      expect(added).toBeGreaterThanOrEqual(2);
      expect(pollers).toBe(0);
      expect(timers).toBe(0);
      // Well under undici's 10 s keep-alive: idle sockets do not hold the process.
      expect(exitedAt - (stoppedAt as number)).toBeLessThan(5_000);
    });
  }
});
