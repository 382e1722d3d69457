/**
 * The simulator as a load-test target, measured in one run: status calls per second through the
 * SDK against the simulator and against a plain `node:http` stub answering the same body (both in
 * this process, as a test harness runs them), and the 10,000-job overview.
 *
 *   npx tsx bench/simulator-speed.ts [--rounds 7] [--jobs 10000] [--reads 3] [--before <git rev>]
 *
 * Targets (issue 15): at least 10,000 status calls/s; a 10,000-job overview in at most 15 ms.
 * Rounds alternate the contestants; medians and min–max are printed, and ratios per round against
 * the stub of the same round. The overview is timed two ways: the simulator's answer alone (an
 * undici `Pool` reading the body's bytes, against a plain stub sending the same bytes as the
 * floor), `--reads` times per round each, interleaved, and `listJobs()` once per round (adds the
 * SDK's parse and validation: see overview-parse.ts).
 * `--before <rev>` adds the simulator as of that commit (extracted under .tmp/), same client.
 * Last, the simulator's own capacity: the simulator, and the plain stub, each alone in a child
 * process (its own core), driven by an undici `Pool` (32 connections, 1,000 calls in flight) so
 * the client is not what limits it; calls/s and the child's CPU per call, whose inverse is the
 * calls/s one core of simulator serves.
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { ClusterClient } from '../src/index.js';
import { createFlinkSimulator, type FlinkSimulator } from '../src/testing/index.js';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const ROUNDS = arg('rounds', 7);
const JOBS = arg('jobs', 10_000);
/** Overview reads per contestant and round (one read per round was mostly noise on a shared machine). */
const READS = arg('reads', 3);
const IN_FLIGHT = 1_000;
const repo = fileURLToPath(new URL('..', import.meta.url));

interface Target {
  name: string;
  sim: FlinkSimulator;
  client: ClusterClient;
  jobId: string;
}

async function target(name: string, create: typeof createFlinkSimulator): Promise<Target> {
  const sim = await create();
  const job = sim.jobs.submit({ name: 'bench', durationMs: 'unbounded' });
  const client = new ClusterClient({ url: sim.url });
  // Wait until the simulated job runs, so every call answers the same status.
  while ((await client.job(job.id).status()) !== 'RUNNING') await new Promise((r) => setTimeout(r, 20));
  return { name, sim, client, jobId: job.id };
}

const targets: Target[] = [await target('simulator', createFlinkSimulator)];
if (argv.includes('--before')) {
  const rev = argv[argv.indexOf('--before') + 1] as string;
  const dir = `${repo}.tmp/bench-before-sim`;
  execFileSync('rm', ['-rf', dir]);
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${rev} src | tar -x -C ${dir}`], { cwd: repo });
  const before = (await import(`${dir}/src/testing/index.ts`)) as { createFlinkSimulator: typeof createFlinkSimulator };
  targets.push(await target(`simulator@${rev.slice(0, 7)}`, before.createFlinkSimulator));
}
const stubBody = JSON.stringify({ status: 'RUNNING' });
const stub = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(stubBody) });
  res.end(stubBody);
});
await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
const stubClient = new ClusterClient({ url: `http://127.0.0.1:${(stub.address() as AddressInfo).port}` });
const stubId = targets[0]?.jobId as string;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const spread = (xs: number[], digits = 0): string => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
const ratio = (xs: number[], base: number[]): string => {
  const r = xs.map((x, i) => x / (base[i] as number));
  return `${median(r).toFixed(2)}× (${spread(r, 2)})`;
};
async function rate(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, fn));
  return IN_FLIGHT / ((performance.now() - t) / 1000);
}

const stubCall = (): Promise<unknown> => stubClient.job(stubId).status();
for (const t of targets) await rate(() => t.client.job(t.jobId).status());
await rate(stubCall);
const rates = new Map<string, number[]>(targets.map((t) => [t.name, []]));
const stubRates: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  // Rotate the order each round, so drift on a shared machine hits everyone alike.
  const order = [...targets.map((t) => t.name), 'stub'];
  for (let k = 0; k < r % order.length; k++) order.push(order.shift() as string);
  for (const name of order) {
    if (name === 'stub') stubRates.push(await rate(stubCall));
    else {
      const t = targets.find((x) => x.name === name) as Target;
      rates.get(name)?.push(await rate(() => t.client.job(t.jobId).status()));
    }
  }
}
console.log(`Node ${process.version}; ${ROUNDS} rounds of ${IN_FLIGHT} status calls in flight through the SDK; load average ${execFileSync('cat', ['/proc/loadavg']).toString().split(' ').slice(0, 3).join(' ')}`);
console.log(`status calls/s: plain stub ${median(stubRates).toFixed(0)} (${spread(stubRates)})`);
for (const t of targets) {
  const xs = rates.get(t.name) as number[];
  console.log(`status calls/s: ${t.name} ${median(xs).toFixed(0)} (${spread(xs)}); ÷ stub ${ratio(xs, stubRates)} (target ≥ 10,000/s)`);
}

for (const t of targets) for (let i = 1; i < JOBS; i++) t.sim.jobs.submit({ name: `bench-${i}`, durationMs: 'unbounded' });
// Let every job deploy (realistic timing), so each overview answers the same steady state.
await new Promise((r) => setTimeout(r, 1_500));
// The floor for the overview: a stub sending the simulator's own body, pre-rendered.
const first = targets[0] as Target;
const overviewBody = Buffer.from(await (await fetch(`${first.sim.url}/v1/jobs/overview`)).arrayBuffer());
const bigStub = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': overviewBody.length });
  res.end(overviewBody);
});
await new Promise<void>((r) => bigStub.listen(0, '127.0.0.1', r));
const pools = new Map<string, Pool>(targets.map((t) => [t.name, new Pool(t.sim.url, { connections: 1 })]));
const stubPool = new Pool(`http://127.0.0.1:${(bigStub.address() as AddressInfo).port}`, { connections: 1 });
async function readOverview(pool: Pool): Promise<number> {
  const t = performance.now();
  const res = await pool.request({ method: 'GET', path: '/v1/jobs/overview' });
  const bytes = await res.body.arrayBuffer();
  if (bytes.byteLength < 1000) throw new Error('short overview');
  return performance.now() - t;
}
for (const pool of [...pools.values(), stubPool]) await readOverview(pool);
for (const t of targets) await t.client.listJobs();
const reads = new Map<string, number[]>(targets.map((t) => [t.name, []]));
const lists = new Map<string, number[]>(targets.map((t) => [t.name, []]));
const stubReads: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < READS; k++) {
    stubReads.push(await readOverview(stubPool));
    for (const t of targets) reads.get(t.name)?.push(await readOverview(pools.get(t.name) as Pool));
  }
  for (const t of targets) {
    const start = performance.now();
    const jobs = await t.client.listJobs();
    lists.get(t.name)?.push(performance.now() - start);
    if (jobs.length !== JOBS) throw new Error(`listed ${jobs.length} jobs, expected ${JOBS}`);
  }
}
console.log(`overview of ${JOBS} jobs (${(overviewBody.length / 1048576).toFixed(2)} MiB), ${READS} reads per round, read as bytes: stub with the same body ${median(stubReads).toFixed(1)} ms (${spread(stubReads, 1)})`);
for (const t of targets) {
  const xs = reads.get(t.name) as number[];
  const ls = lists.get(t.name) as number[];
  console.log(`overview read as bytes: ${t.name} ${median(xs).toFixed(1)} ms (${spread(xs, 1)}); ÷ stub ${ratio(xs, stubReads)} (target ≤ 15 ms); listJobs() ${median(ls).toFixed(1)} ms (${spread(ls, 1)})`);
}

// ---- capacity: the server alone on its core -----------------------------------------------
interface Served {
  name: string;
  child: ReturnType<typeof fork>;
  pool: Pool;
  path: string;
}
async function served(kind: 'simulator' | 'stub'): Promise<Served> {
  const child = fork(fileURLToPath(new URL('./support/sim-child.ts', import.meta.url)), [kind], { execArgv: ['--import', 'tsx'] });
  const { url, jobId } = await new Promise<{ url: string; jobId: string }>((r) => child.once('message', r as never));
  return { name: kind, child, pool: new Pool(url, { connections: 32 }), path: `/v1/jobs/${jobId}/status` };
}
const childCpu = (s: Served): Promise<number> =>
  new Promise((resolve) => {
    s.child.once('message', (m: { cpu: NodeJS.CpuUsage }) => resolve(m.cpu.user + m.cpu.system));
    s.child.send('cpu');
  });
const poolCall = (s: Served) => async (): Promise<unknown> => {
  const res = await s.pool.request({ method: 'GET', path: s.path, headers: { accept: 'application/json' } });
  return JSON.parse(await res.body.text());
};
const capacity = [await served('simulator'), await served('stub')];
for (const s of capacity) for (let i = 0; i < 3; i++) await rate(poolCall(s));
const capRates = new Map<string, number[]>(capacity.map((s) => [s.name, []]));
const capCpu = new Map<string, number[]>(capacity.map((s) => [s.name, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const s of r % 2 === 0 ? capacity : [...capacity].reverse()) {
    const before = await childCpu(s);
    capRates.get(s.name)?.push(await rate(poolCall(s)));
    capCpu.get(s.name)?.push((await childCpu(s)) - before);
  }
}
const simCap = capRates.get('simulator') as number[];
const stubCap = capRates.get('stub') as number[];
for (const s of capacity) {
  const xs = capRates.get(s.name) as number[];
  const perCall = (capCpu.get(s.name) as number[]).map((us) => us / IN_FLIGHT);
  console.log(
    `capacity, ${s.name} alone in a child process (undici Pool client): ${median(xs).toFixed(0)} calls/s (${spread(xs)}); its CPU ${median(perCall).toFixed(1)} µs per call (${spread(perCall, 1)}) = ${(1e6 / median(perCall)).toFixed(0)} calls/s per core${s.name === 'simulator' ? ` (target ≥ 10,000/s); ÷ stub ${ratio(simCap, stubCap)}` : ''}`,
  );
}
for (const s of capacity) {
  await s.pool.close();
  s.child.disconnect();
}

for (const pool of [...pools.values(), stubPool]) await pool.close();
bigStub.close();
for (const t of targets) {
  await t.client.close();
  await t.sim.close();
}
await stubClient.close();
stub.close();
