import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterClient, FlinkArgumentError, type JobClient, type WaitProgress } from 'flink-client';
import { createFlinkSimulator, fixtureJar, fixturePrograms, type FlinkSimulator, REALISTIC_TIMING, type SimulatorRequest } from 'flink-client/testing';

// onProgress of waits: every poll is reported with its state, the elapsed time and, for
// operations, the trigger id polled (which a retrigger changes). Driven on a virtual clock: the
// callback itself moves the clock, so nothing waits on time.

let sim: FlinkSimulator;
let cluster: ClusterClient;

afterEach(async () => {
  await cluster?.close();
  await sim?.close();
});

async function start(): Promise<void> {
  sim = await createFlinkSimulator({ clock: 'virtual', programs: fixturePrograms });
  cluster = new ClusterClient({ url: sim.url, retry: { initialDelayMs: 5, maxDelayMs: 20 } });
}

async function runJob(parallelism = 1): Promise<JobClient> {
  const { filename, bytes } = fixtureJar('streaming');
  const { jarId } = await cluster.uploadJar(Readable.from([Buffer.from(bytes)]), { filename });
  return cluster.runJar(jarId, { parallelism });
}

function nextRequest(match: (r: SimulatorRequest) => boolean): Promise<SimulatorRequest> {
  return new Promise((resolve) => {
    const listener = (r: SimulatorRequest): void => {
      if (!match(r)) return;
      sim.off('request', listener);
      resolve(r);
    };
    sim.on('request', listener);
  });
}

describe('onProgress of waits', () => {
  it("reports each poll of a savepoint: IN_PROGRESS, then SUCCEEDED, with the trigger id, the poll count and a growing elapsed time", async () => {
    await start();
    const job = await runJob();
    sim.clock.advance(10_000);
    const op = await job.triggerSavepoint({ targetDirectory: 'file:///tmp/sp' });
    const seen: WaitProgress[] = [];
    const location = await op.result({
      onProgress: (p) => {
        seen.push(p);
        // The third poll lets the savepoint complete: the next one reads SUCCEEDED.
        if (seen.length === 3) sim.clock.advance(REALISTIC_TIMING.savepointMs);
      },
    });
    expect(location).toMatch(/savepoint-/);
    expect(seen.map((p) => p.state)).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'SUCCEEDED']);
    expect(seen.map((p) => p.polls)).toEqual([1, 2, 3, 4]);
    for (const p of seen) {
      expect(p.triggerId).toBe(op.triggerId);
      expect(p.retriggers).toBe(0);
      expect(p.target).toBe(`savepoint of job ${job.jobId}`);
    }
    expect(seen.at(-1)?.value).toEqual({ state: 'SUCCEEDED', result: location });
    const elapsed = seen.map((p) => p.elapsedMs);
    expect([...elapsed].sort((a, b) => a - b)).toEqual(elapsed);
  });

  it('names the new trigger id after the SDK triggered again because the tasks were not all running', async () => {
    await start();
    const job = await runJob(2);
    const t = REALISTIC_TIMING;
    sim.clock.advance(t.initializingMs + t.createdMs + 1);
    const op = await job.stopWithSavepoint({ targetDirectory: 'file:///tmp/sp' });
    const first = op.triggerId;
    const seen: WaitProgress[] = [];
    const awaitingTasks = nextRequest((r) => r.method === 'GET' && r.route === '/jobs/:jobid');
    sim.clock.advance(5);
    const result = op.result({ timeoutMs: 60_000, onProgress: (p) => seen.push(p) });
    await awaitingTasks;
    const retriggered = nextRequest((r) => r.method === 'POST' && r.route === '/jobs/:jobid/stop');
    sim.clock.advance(t.deployMs + 3_000);
    await retriggered;
    sim.clock.advance(t.savepointMs);
    await result;
    expect(seen[0]).toMatchObject({ state: 'FAILED', triggerId: first, retriggers: 0 });
    expect(seen.at(-1)).toMatchObject({ state: 'SUCCEEDED', triggerId: op.triggerId, retriggers: 1 });
    expect(op.triggerId).not.toBe(first);
  });

  it('reports a poll failure the wait rides out (503) with its error and no state', async () => {
    await start();
    const job = await runJob();
    sim.clock.advance(10_000);
    const op = await job.triggerSavepoint({ targetDirectory: 'file:///tmp/sp' });
    sim.faults.error(503, { path: `/jobs/${job.jobId}/savepoints/${op.triggerId}`, times: 8 });
    const seen: WaitProgress[] = [];
    await op.result({
      onProgress: (p) => {
        seen.push(p);
        if (p.state === 'IN_PROGRESS') sim.clock.advance(REALISTIC_TIMING.savepointMs);
      },
    });
    const failed = seen.find((p) => p.error !== undefined);
    expect(failed).toBeDefined();
    expect(failed?.state).toBeUndefined();
    expect((failed?.error as { status?: number }).status).toBe(503);
    expect(seen.at(-1)?.state).toBe('SUCCEEDED');
  });

  it("reports the job's status in job waits (waitFor, result)", async () => {
    await start();
    const job = await runJob();
    const states: Array<string | undefined> = [];
    await job.waitFor('RUNNING', {
      onProgress: (p) => {
        states.push(p.state);
        sim.clock.advance(1_000);
      },
    });
    expect(states.at(-1)).toBe('RUNNING');
    expect(states.length).toBeGreaterThan(1);
  });

  it('rejects an onProgress that is not a function, and a wait whose callback throws rejects with that error', async () => {
    await start();
    const job = await runJob();
    sim.clock.advance(10_000);
    const op = await job.triggerSavepoint({ targetDirectory: 'file:///tmp/sp' });
    await expect(op.result({ onProgress: 'yes' as unknown as () => void })).rejects.toBeInstanceOf(FlinkArgumentError);
    const boom = new Error('callback failed');
    await expect(
      op.result({
        onProgress: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
  });
});
