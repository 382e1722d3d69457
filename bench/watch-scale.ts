/**
 * Watching 10,000 jobs on one cluster, measured in one run against a loopback stub that plays a
 * JobManager (run as a child process, so the CPU figures are the client's alone).
 *
 *   npx tsx bench/watch-scale.ts [--jobs 10000] [--interval 1000] [--cycles 10] [--changes 20]
 *
 * Prints, for 10,000 `job.watch()` iterators (the platform pattern: one watcher per job) and for
 * one `cluster.watch({ jobs: 'all' })`:
 * - overview requests per poll interval (target 1) and per-job requests (target 0);
 * - CPU time per poll cycle in the client (HTTP read, JSON.parse, validation, diff, dispatch);
 * - heap per watched job after a full GC (target under 2 KB);
 * - time from a status change on the server to the iterator's change (target at most one interval);
 * and, in process, the cost of the diff alone for 10,000 unchanged jobs: time and bytes allocated
 * per cycle (target: nothing allocated per unchanged job).
 */
import { fork } from 'node:child_process';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ClusterClient, type JobChange, type JobOverview } from '../src/index.js';
import { SnapshotPoller } from '../src/watch/snapshot-poller.js';
import { benchJobId, benchJobs } from './support/jobs.js';
import type { StubCommand, StubReply } from './support/overview-stub.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const JOBS = arg('jobs', 10_000);
const INTERVAL = arg('interval', 1_000);
const CYCLES = arg('cycles', 10);
const CHANGES = arg('changes', 20);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;

// --- the stub JobManager ---------------------------------------------------------------------
const stub = fork(fileURLToPath(new URL('./support/overview-stub.ts', import.meta.url)), [String(JOBS), String(INTERVAL)], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const replies = new Map<string, (m: StubReply) => void>();
stub.on('message', (m: StubReply) => {
  const key = m.type === 'applied' ? `applied:${m.tag}` : m.type;
  replies.get(key)?.(m);
  replies.delete(key);
});
const ask = <T extends StubReply>(key: string, command?: StubCommand): Promise<T> =>
  new Promise((resolve) => {
    replies.set(key, resolve as (m: StubReply) => void);
    if (command) stub.send(command);
  });
const { url, bodyBytes } = await ask<Extract<StubReply, { type: 'ready' }>>('ready');
const counts = async () => (await ask<Extract<StubReply, { type: 'counts' }>>('counts', { type: 'counts' })).counts;

console.log(`Node ${process.version}; ${JOBS} jobs; /jobs/overview body ${(bodyBytes / 1024 / 1024).toFixed(2)} MiB; interval ${INTERVAL} ms; ${CYCLES} steady cycles; ${CHANGES} timed changes`);

const cluster = new ClusterClient({ url });
await cluster.config();
for (let i = 0; i < 3; i++) await cluster.listJobs(); // warm the parse and validation paths

const jobPolls = (): number | undefined => cluster.watchPollers().find((p) => p.resource === 'jobs')?.polls;

async function untilPolls(n: number): Promise<void> {
  const target = (jobPolls() ?? 0) + n;
  while ((jobPolls() ?? 0) < target) await sleep(5);
}

/** Requests per interval, CPU per cycle, over `CYCLES` polls where nothing changes. */
async function steadyState(label: string): Promise<void> {
  await untilPolls(1);
  const before = await counts();
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const polls0 = jobPolls() ?? 0;
  await untilPolls(CYCLES);
  const polls = (jobPolls() ?? 0) - polls0;
  const used = process.cpuUsage(cpu);
  const elapsed = performance.now() - wall;
  const after = await counts();
  const overview = (after['/v1/jobs/overview'] ?? 0) - (before['/v1/jobs/overview'] ?? 0);
  const perJob = Object.entries(after)
    .filter(([path]) => path !== '/v1/jobs/overview' && path !== '/v1/config')
    .reduce((n, [, c]) => n + c, 0);
  const cpuMs = (used.user + used.system) / 1000;
  console.log(
    `${label}: ${overview} overview requests in ${polls} poll cycles (${(elapsed / INTERVAL).toFixed(1)} intervals) → ${(overview / polls).toFixed(2)} request per interval (target 1); per-job requests: ${perJob} (target 0)`,
  );
  console.log(`${label}: CPU per poll cycle ${(cpuMs / polls).toFixed(1)} ms (user+system, whole client process, ${JOBS} jobs unchanged)`);
}

/** Heap after a full GC, taken just after a poll completed, so no overview body is in flight. */
async function quietHeap(): Promise<number> {
  if (jobPolls() !== undefined) await untilPolls(1);
  return heap();
}

// Each scenario is a function, so what it allocated is unreachable once it returns.

// --- A: one job.watch() iterator per job ---------------------------------------------------
async function scenarioA(): Promise<void> {
  const base = await quietHeap();
  let received = 0;
  const changed = new Map<number, number>();
  const iterators: AsyncIterableIterator<JobChange>[] = [];
  for (let i = 0; i < JOBS; i++) {
    const it = cluster.job(benchJobId(i)).watch({ pollIntervalMs: INTERVAL });
    iterators.push(it);
    // The least a consumer does: one pending next() per iterator.
    const pump = (): void => {
      void it.next().then((r) => {
        if (r.done) return;
        if (r.value.initial) received++;
        if (r.value.type === 'status') changed.set(parseInt(r.value.jobId, 16), now());
        pump();
      });
    };
    pump();
  }
  while (received < JOBS) await sleep(10);
  const heapA = (await quietHeap()) - base;
  console.log(`A. ${JOBS} job.watch() iterators: heap per watched job ${kb(heapA / JOBS)} (target < 2 KB; snapshot entry + id index + iterator + its pending next())`);
  await steadyState('A');

  // Latency: change a random job at a random moment; the time until its iterator yields.
  const latencies: number[] = [];
  const flipped = new Set<number>();
  for (let k = 0; k < CHANGES; k++) {
    await sleep(Math.random() * INTERVAL);
    const index = Math.floor(Math.random() * JOBS);
    changed.delete(index);
    // RUNNING ↔ RESTARTING: every timed change is a status change.
    const state = flipped.has(index) ? 'RUNNING' : 'RESTARTING';
    if (flipped.has(index)) flipped.delete(index);
    else flipped.add(index);
    const { at } = await ask<Extract<StubReply, { type: 'applied' }>>(`applied:${k}`, { type: 'set', index, state, tag: k });
    while (!changed.has(index)) await sleep(1);
    latencies.push((changed.get(index) as number) - at);
  }
  latencies.sort((a, b) => a - b);
  const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
  const max = latencies.at(-1) as number;
  console.log(
    `A. server change → iterator change over ${CHANGES} changes: mean ${mean.toFixed(0)} ms, p50 ${(latencies[Math.floor(latencies.length / 2)] as number).toFixed(0)} ms, max ${max.toFixed(0)} ms = ${(max / INTERVAL).toFixed(2)} interval (target ≤ 1)`,
  );
  for (const it of iterators) await it.return?.();
  console.log(`A. after the last iterator ended: pollers running ${cluster.watchPollers().length}`);
}

// --- B: one cluster watcher over every job --------------------------------------------------
async function scenarioB(): Promise<void> {
  const base = await quietHeap();
  let added = 0;
  const watcher = cluster.watch({ jobs: 'all', pollIntervalMs: INTERVAL });
  watcher.on('added', () => added++).start();
  while (added < JOBS) await sleep(10);
  const heapB = (await quietHeap()) - base;
  console.log(`B. one cluster.watch({ jobs: 'all' }): heap per watched job ${kb(heapB / JOBS)} (target < 2 KB; the snapshot entry)`);
  await steadyState('B');
  watcher.stop();
}

// --- C: the diff alone, in process ----------------------------------------------------------
async function scenarioC(): Promise<void> {
  const entries = benchJobs(JOBS);
  let gcs = 0;
  const observer = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  const poller = new SnapshotPoller<JobOverview>(
    {
      name: 'jobs',
      fetch: () => Promise.resolve(entries),
      id: (j) => j.jid,
      status: (j) => j.state,
      sameDetails: (a, b) => a['last-modification'] === b['last-modification'],
    },
    // A real macrotask between cycles, as a timer would give (a resolved promise would starve them).
    { defaultIntervalMs: 10, onStop: () => {}, sleep: () => new Promise((r) => setImmediate(r)) },
  );
  let events = 0;
  const subscriber = { ids: undefined, intervalMs: undefined, modifications: false, entry: () => events++, error: () => {}, end: () => {} };
  poller.subscribe(subscriber);
  while (poller.polls < 50) await sleep(1); // warm up
  const warm = poller.polls;
  heap();
  observer.observe({ entryTypes: ['gc'] });
  const used0 = process.memoryUsage().heapUsed;
  const cpu = process.cpuUsage();
  while (poller.polls < warm + 200) await new Promise((r) => setImmediate(r));
  const used = process.cpuUsage(cpu);
  const diffCycles = poller.polls - warm;
  const allocated = process.memoryUsage().heapUsed - used0;
  observer.disconnect();
  poller.unsubscribe(subscriber);
  console.log(
    `C. diff of ${JOBS} unchanged jobs: ${((used.user + used.system) / 1000 / diffCycles).toFixed(2)} ms CPU per cycle over ${diffCycles} cycles; ` +
      `${gcs === 0 ? `${(allocated / diffCycles).toFixed(0)} bytes allocated per cycle (${(allocated / diffCycles / JOBS).toFixed(3)} per job; no GC ran)` : `${gcs} GCs ran (allocation not measurable this way)`}; events ${events - JOBS} (target 0)`,
  );
}

await scenarioA();
await scenarioB();
await scenarioC();
await cluster.close();
stub.send({ type: 'stop' } satisfies StubCommand);
