/**
 * Platform scale: one Node process watching `--clusters` clusters × `--jobs` jobs each, with one
 * ClusterClient per cluster (each with its own connection, `connections: 1`) and one
 * `cluster.watch({ jobs: 'all' })` on each, against loopback JobManagers in a child process (so
 * the CPU figures are the client's alone).
 *
 *   npx tsx bench/fleet-scale.ts [--clusters 1000] [--jobs 20] [--interval 3000] [--cycles 5] [--changes 20] [--floor-rounds 2]
 *
 * Prints CPU as % of one core (target ≤ 5 %), heap after a full GC (target ≤ 64 MB), open
 * sockets and connections made (target 1 per cluster), overview requests per cluster per
 * interval (target 1), and the time from a server-side status change to the watcher's event.
 * Then the floor: the same clusters polled by the least a hand-written poller does (one undici
 * `Client` per cluster, a `setTimeout` loop, `body.text()` + `JSON.parse`, a state map per job),
 * CPU measured the same way, in phases alternating with the SDK's (floor, SDK, floor, SDK, floor
 * for `--floor-rounds 2`; the first floor phase also warms the process up) so drift of the machine
 * falls on both; printed per phase and as the SDK/floor ratio.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'undici';
import { ClusterClient } from '../src/index.js';
import type { FleetCommand, FleetReply } from './support/fleet-stub.js';
import { benchJobId } from './support/jobs.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const CLUSTERS = arg('clusters', 1_000);
const JOBS = arg('jobs', 20);
const INTERVAL = arg('interval', 3_000);
const CYCLES = arg('cycles', 5);
const CHANGES = arg('changes', 20);
const FLOOR_ROUNDS = arg('floor-rounds', 2);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = (): number => performance.timeOrigin + performance.now();

const stub = fork(fileURLToPath(new URL('./support/fleet-stub.ts', import.meta.url)), [String(CLUSTERS), String(JOBS)], { execArgv: ['--import', 'tsx'] });
const waiting = new Map<string, (m: FleetReply) => void>();
stub.on('message', (m: FleetReply) => {
  const key = m.type === 'applied' ? `applied:${m.tag}` : m.type;
  waiting.get(key)?.(m);
  waiting.delete(key);
});
const ask = <T extends FleetReply>(key: string, command?: FleetCommand): Promise<T> =>
  new Promise((resolve) => {
    waiting.set(key, resolve as (m: FleetReply) => void);
    if (command) stub.send(command);
  });
const { urls } = await ask<Extract<FleetReply, { type: 'ready' }>>('ready');
const counts = () => ask<Extract<FleetReply, { type: 'counts' }>>('counts', { type: 'counts' });

console.log(`Node ${process.version}; ${CLUSTERS} clusters × ${JOBS} jobs; interval ${INTERVAL} ms; ${CYCLES} measured intervals; ${CHANGES} timed changes`);
// The floor goes first: the process warms up (JIT, heap growth) in a phase of its own, and every
// SDK phase is then measured between two floor phases.
const floorPhases: number[] = [];
if (FLOOR_ROUNDS > 0) floorPhases.push(await floorPhase());
const heap0 = heapMb();
const cStart = await counts();
const clients = urls.map((url) => new ClusterClient({ url, connections: 1 }));
const pending = new Map<string, (at: number) => void>();
let initial = 0;
let errors = 0;
const watchers = clients.map((client) =>
  client
    .watch({ jobs: 'all', pollIntervalMs: INTERVAL })
    .on('added', () => initial++)
    .on('status', (change) => {
      if (change.resource === 'job') pending.get(`${change.jobId}:${change.status}`)?.(now());
    })
    .on('error', (e: { error: Error }) => {
      if (errors++ === 0) console.warn('first watch error:', e.error.message);
    })
    .start(),
);
// Let every watcher report its initial jobs and settle into its pace.
while (initial < CLUSTERS * JOBS) await sleep(50);
await sleep(INTERVAL * 2);

const c0 = await counts();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await sleep(INTERVAL * CYCLES);
const cpu = process.cpuUsage(cpu0);
const elapsed = performance.now() - t0;
const c1 = await counts();
const heap = heapMb();
const perCluster = c1.overview.map((n, i) => (n - (c0.overview[i] ?? 0)) / (elapsed / INTERVAL));
const sorted = [...perCluster].sort((a, b) => a - b);
const cpuPct = ((cpu.user + cpu.system) / 1000 / elapsed) * 100;
console.log(`watch errors: ${errors}`);
console.log(`CPU: ${cpuPct.toFixed(2)} % of one core over ${(elapsed / 1000).toFixed(1)} s, the first phase (target ≤ 5 %)`);
console.log(`heap after full GC: ${heap.toFixed(1)} MB with ${CLUSTERS} clients and watchers (${(heap - heap0).toFixed(1)} MB above the empty process; target ≤ 64 MB)`);
console.log(`sockets: ${c1.openSockets} open, ${c1.connections - cStart.connections} connections made by the SDK's clients, for ${CLUSTERS} clusters (target 1 per cluster); rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
console.log(
  `overview requests per cluster per interval: median ${(sorted[sorted.length >> 1] as number).toFixed(2)}, min ${(sorted[0] as number).toFixed(2)}, max ${(sorted[sorted.length - 1] as number).toFixed(2)} (target 1); other requests ${c1.other - c0.other}`,
);

const latencies: number[] = [];
for (let i = 0; i < CHANGES; i++) {
  const cluster = Math.floor(Math.random() * CLUSTERS);
  const job = Math.floor(Math.random() * JOBS);
  const state = i % 2 === 0 ? 'RESTARTING' : 'FAILING';
  const seen = new Promise<number>((resolve) => pending.set(`${benchJobId(cluster * JOBS + job)}:${state}`, resolve));
  const applied = await ask<Extract<FleetReply, { type: 'applied' }>>(`applied:${i}`, { type: 'set', cluster, job, state, tag: i });
  latencies.push((await seen) - applied.at);
  await sleep(Math.random() * INTERVAL * 0.5);
}
latencies.sort((a, b) => a - b);
const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
console.log(
  `server change → watcher event, ${CHANGES} changes: mean ${mean.toFixed(0)} ms, p50 ${(latencies[latencies.length >> 1] as number).toFixed(0)} ms, max ${(latencies[latencies.length - 1] as number).toFixed(0)} ms = ${((latencies[latencies.length - 1] as number) / INTERVAL).toFixed(2)} interval`,
);

for (const w of watchers) w.stop();
await Promise.all(clients.map((c) => c.close()));

/** CPU as % of one core over CYCLES intervals, after two intervals to settle. */
async function cpuOver(): Promise<number> {
  await sleep(INTERVAL * 2);
  const before = process.cpuUsage();
  const t = performance.now();
  await sleep(INTERVAL * CYCLES);
  const used = process.cpuUsage(before);
  return ((used.user + used.system) / 1000 / (performance.now() - t)) * 100;
}

/** The SDK's watchers again, for a CPU phase only. */
async function sdkPhase(): Promise<number> {
  const cs = urls.map((url) => new ClusterClient({ url, connections: 1 }));
  let seen = 0;
  const ws = cs.map((c) => c.watch({ jobs: 'all', pollIntervalMs: INTERVAL }).on('added', () => seen++).start());
  while (seen < CLUSTERS * JOBS) await sleep(50);
  const pct = await cpuOver();
  for (const w of ws) w.stop();
  await Promise.all(cs.map((c) => c.close()));
  return pct;
}

/** The floor: what a hand-written poller does at the least, per cluster. */
async function floorPhase(): Promise<number> {
  let running = true;
  let seen = 0;
  const pollers = urls.map((url) => {
    const client = new Client(url, { pipelining: 1 });
    const states = new Map<string, string>();
    let timer: NodeJS.Timeout | undefined;
    const poll = async (): Promise<void> => {
      try {
        const res = await client.request({ method: 'GET', path: '/v1/jobs/overview', headers: { accept: 'application/json' } });
        const body = JSON.parse(await res.body.text()) as { jobs: { jid: string; state: string }[] };
        for (const job of body.jobs) {
          const before = states.get(job.jid);
          if (before !== job.state) {
            if (before === undefined) seen++;
            states.set(job.jid, job.state);
          }
        }
      } catch {
        // a floor has no error handling to speak of
      }
      if (running) timer = setTimeout(poll, INTERVAL);
    };
    void poll();
    return { client, stop: () => clearTimeout(timer) };
  });
  while (seen < CLUSTERS * JOBS) await sleep(50);
  const pct = await cpuOver();
  running = false;
  for (const p of pollers) p.stop();
  await Promise.all(pollers.map((p) => p.client.close()));
  return pct;
}

if (FLOOR_ROUNDS > 0) {
  // Phases alternate floor, SDK, floor, …, floor (the first two are above); each SDK phase is
  // compared with the mean of the floor phases on either side of it.
  const phases: { sdk: number[]; floor: number[] } = { sdk: [cpuPct], floor: floorPhases };
  phases.floor.push(await floorPhase());
  for (let r = 1; r < FLOOR_ROUNDS; r++) {
    phases.sdk.push(await sdkPhase());
    phases.floor.push(await floorPhase());
  }
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const ratios = phases.sdk.map((v, i) => v / (((phases.floor[i] as number) + (phases.floor[i + 1] as number)) / 2));
  console.log(`CPU by phase (% of one core, in order floor, sdk, floor, …): floor ${phases.floor.map((v) => v.toFixed(2)).join(', ')}; sdk ${phases.sdk.map((v) => v.toFixed(2)).join(', ')}`);
  console.log(`CPU, median of the phases: sdk ${med(phases.sdk).toFixed(2)} %, floor ${med(phases.floor).toFixed(2)} % of one core (target ≤ 5 %)`);
  console.log(`CPU sdk / floor, each SDK phase against the floor phases either side: median ${med(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`);
}
stub.disconnect();
