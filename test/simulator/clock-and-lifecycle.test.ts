import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClusterClient } from 'flink-client';
import { createFlinkSimulator, FAST_TIMING, fixtureJar, fixturePrograms, type FlinkSimulator, REALISTIC_TIMING, uploadJarBytes } from 'flink-client/testing';

// The virtual clock, deterministic ids, and clean shutdown (no leaked sockets or timers).

const open: FlinkSimulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function sim(options: Parameters<typeof createFlinkSimulator>[0] = {}): Promise<FlinkSimulator> {
  const s = await createFlinkSimulator({ programs: fixturePrograms, ...options });
  open.push(s);
  return s;
}

async function runFixture(s: FlinkSimulator, key: Parameters<typeof fixtureJar>[0], body: unknown = {}): Promise<string> {
  const jar = fixtureJar(key);
  const jarId = await uploadJarBytes(s.url, jar.filename, jar.bytes);
  const res = await fetch(`${s.url}/v1/jars/${jarId}/run`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return ((await res.json()) as { jobid: string }).jobid;
}

describe('virtual clock', () => {
  it('moves only when told, firing each transition at its own simulated time', async () => {
    const start = 1_800_000_000_000;
    const s = await sim({ clock: 'virtual', startTime: start });
    expect(s.clock.kind).toBe('virtual');
    const jobId = await runFixture(s, 'bounded');
    const seen: Array<[string, number]> = [];
    s.on('jobStatus', (e) => seen.push([e.status, e.at - start]));
    expect(s.clock.now()).toBe(start);
    s.clock.advance(10_000);
    const t = REALISTIC_TIMING;
    expect(seen).toEqual([
      ['CREATED', t.initializingMs],
      ['RUNNING', t.initializingMs + t.createdMs],
      ['FINISHED', t.initializingMs + t.createdMs + 170],
    ]);
    const job = s.jobs.get(jobId);
    expect(job.timestamps.INITIALIZING).toBe(start);
    expect(job.timestamps.FINISHED).toBe(start + t.initializingMs + t.createdMs + 170);
    expect(s.clock.now()).toBe(start + 10_000);
    expect(s.clock.pendingTimers).toBe(0);
  });

  it('runFor lets requests in flight be answered at their simulated moment', async () => {
    const s = await sim({ clock: 'virtual' });
    s.programs.register('com.example.Slow', { sleepMs: 5_000, jobs: [{ name: 'late' }] });
    const jar = s.jars.add({ name: 'slow.jar', mainClass: 'com.example.Slow' });
    // /jars/run answers once main() submitted its job: 5 simulated seconds from now.
    let answered = false;
    const run = fetch(`${s.url}/v1/jars/${jar.id}/run`, { method: 'POST' }).then(async (r) => {
      answered = true;
      return (await r.json()) as { jobid: string };
    });
    // The request must have reached the simulator before simulated time moves on.
    await vi.waitFor(() => expect(s.requestsInFlight).toBe(1));
    await s.clock.runFor(4_000);
    expect(answered).toBe(false);
    await s.clock.runFor(1_000);
    const { jobid } = await run;
    expect(s.jobs.get(jobid).name).toBe('late');
  });

  it('waits on simulated time with clock.sleep and handle.waitForStatus', async () => {
    const s = await sim({ clock: 'virtual' });
    const job = s.jobs.submit({ name: 'x', durationMs: 1_000 });
    const finished = job.waitForStatus('FINISHED');
    const slept = s.clock.sleep(2_000);
    s.clock.advance(2_000);
    await expect(finished).resolves.toBe('FINISHED');
    await expect(slept).resolves.toBeUndefined();
  });

  it('cannot be advanced when it is the real clock', async () => {
    const s = await sim();
    expect(s.clock.kind).toBe('real');
    expect(() => s.clock.advance(1)).toThrow(/virtual/);
    expect(() => s.clock.advance(-1)).toThrow();
  });
});

describe('deterministic ids', () => {
  it('gives the same ids and bodies for the same seed and start time', async () => {
    const bodiesOf = async (): Promise<string[]> => {
      const s = await sim({ clock: 'virtual', seed: 42, startTime: 1_800_000_000_000 });
      const jobId = await runFixture(s, 'streaming', { parallelism: 2 });
      s.clock.advance(3_000);
      const out = [jobId];
      for (const path of ['/v1/jars', `/v1/jobs/${jobId}`, '/v1/jobs/overview', `/v1/jobs/${jobId}/checkpoints`, '/v1/taskmanagers', '/v1/applications/overview']) {
        out.push(JSON.stringify(await (await fetch(`${s.url}${path}`)).json()).replaceAll(s.url, '<url>').replace(/"rest\.port","value":"\d+"/, ''));
      }
      await s.close();
      return out;
    };
    const a = await bodiesOf();
    const b = await bodiesOf();
    expect(a).toEqual(b);
    const c = await sim({ clock: 'virtual', seed: 43, startTime: 1_800_000_000_000 });
    expect(await runFixture(c, 'streaming')).not.toBe(a[0]);
  });
});

describe('close()', () => {
  function activeHandles(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
    return counts;
  }

  it('leaves no server, socket or timer behind (real clock, with work in flight)', async () => {
    const before = activeHandles();
    const s = await createFlinkSimulator({ programs: fixturePrograms, timing: { ...FAST_TIMING, savepointMs: 5_000 } });
    const cluster = new ClusterClient({ url: s.url });
    const jar = fixtureJar('streaming');
    const job = await cluster.runJar(await uploadJarBytes(s.url, jar.filename, jar.bytes));
    // A savepoint in progress (it needs every task running first).
    await vi.waitFor(async () => {
      const d = await job.describe();
      expect(d['status-counts']?.RUNNING).toBe(d.vertices.length);
    });
    await job.triggerSavepoint();
    s.faults.latency(10_000, { path: '/overview' });
    const hanging = fetch(`${s.url}/v1/overview`).catch((e: unknown) => e);
    await vi.waitFor(() => expect(s.requestsInFlight).toBeGreaterThan(0));
    expect(s.clock.pendingTimers).toBeGreaterThan(0);
    expect(s.openConnections).toBeGreaterThan(0);
    await cluster.close();
    await s.close();
    expect(await hanging).toBeInstanceOf(TypeError);
    expect(s.closed).toBe(true);
    expect(s.clock.pendingTimers).toBe(0);
    expect(s.openConnections).toBe(0);
    await new Promise((r) => setImmediate(r));
    const after = activeHandles();
    for (const kind of ['TCPServerWrap', 'TCPSocketWrap', 'Timeout']) expect(after[kind] ?? 0, kind).toBeLessThanOrEqual(before[kind] ?? 0);
    // close() is idempotent, and a closed simulator refuses connections.
    await s.close();
    await expect(fetch(`${s.url}/v1/config`)).rejects.toThrow(TypeError);
  });

  it('lets the process exit on its own after close()', async () => {
    const script = fileURLToPath(new URL('./support/exit-check.ts', import.meta.url));
    // The kill timeout is below the 60 s savepoint and latency still pending when it closed: a
    // process kept alive by them is killed and the call rejects.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 45_000 });
    expect(stdout.trim()).toBe('closed reset');
  });

  it('supports await using', async () => {
    let url = '';
    {
      await using s = await createFlinkSimulator();
      url = s.url;
      expect((await fetch(`${url}/v1/config`)).status).toBe(200);
    }
    await expect(fetch(`${url}/v1/config`)).rejects.toThrow(TypeError);
  });

  it('logs requests and emits events', async () => {
    const s = await sim({ clock: 'virtual', requestLogSize: 3 });
    const seen: string[] = [];
    s.on('request', (r) => seen.push(`${r.method} ${r.path} ${r.status}`));
    for (let i = 0; i < 5; i++) await fetch(`${s.url}/v1/overview?i=${i}`);
    expect(seen).toHaveLength(5);
    expect(s.requests.map((r) => r.query.i)).toEqual(['2', '3', '4']);
    expect(s.requests[0]).toMatchObject({ method: 'GET', path: '/v1/overview', route: '/overview', status: 200 });
    s.clearRequests();
    expect(s.requests).toEqual([]);
  });

  it('rejects invalid options', async () => {
    await expect(createFlinkSimulator({ flinkVersion: '9.9.9' as never })).rejects.toThrow(RangeError);
    await expect(createFlinkSimulator({ timing: { nope: 1 } as never })).rejects.toThrow(RangeError);
    await expect(createFlinkSimulator({ clock: 'sundial' as never })).rejects.toThrow(RangeError);
    await expect(createFlinkSimulator({ taskManagers: 0 })).rejects.toThrow(RangeError);
  });
});
