/**
 * The simulator as a load-test target, measured in one run: status calls per second through the
 * SDK against the simulator and against a plain `node:http` stub answering the same body (both in
 * this process, as a test harness runs them), and `listJobs()` of a 10,000-job simulator.
 *
 *   npx tsx bench/simulator-speed.ts [--rounds 7] [--jobs 10000]
 *
 * Targets (issue 15): at least 10,000 status calls/s; a 10,000-job overview in at most 15 ms.
 * Rounds alternate the simulator and the stub; medians and min–max are printed. The overview is
 * timed two ways: the simulator's answer alone (an undici `Pool` reading the body's bytes, against
 * a plain stub sending the same 4 MiB as the floor) and `listJobs()` (adds the SDK's parse and
 * validation, about 15 ms by itself: see overview-parse.ts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { ClusterClient } from '../src/index.js';
import { createFlinkSimulator } from '../src/testing/index.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('rounds', 7);
const JOBS = arg('jobs', 10_000);
const IN_FLIGHT = 1_000;

const sim = await createFlinkSimulator();
const job = sim.jobs.submit({ name: 'bench', durationMs: 'unbounded' });
const stubBody = JSON.stringify({ status: 'RUNNING' });
const stub = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(stubBody) });
  res.end(stubBody);
});
await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
const simClient = new ClusterClient({ url: sim.url });
const stubClient = new ClusterClient({ url: `http://127.0.0.1:${(stub.address() as AddressInfo).port}` });
const simJob = simClient.job(job.id);
const stubJob = stubClient.job(job.id);
// Wait until the simulated job runs, so every call answers the same status.
while ((await simJob.status()) !== 'RUNNING') await new Promise((r) => setTimeout(r, 20));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const spread = (xs: number[], digits = 0): string => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
async function rate(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, fn));
  return IN_FLIGHT / ((performance.now() - t) / 1000);
}
await rate(() => simJob.status());
await rate(() => stubJob.status());
const simRates: number[] = [];
const stubRates: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  simRates.push(await rate(() => simJob.status()));
  stubRates.push(await rate(() => stubJob.status()));
}
console.log(`Node ${process.version}; ${ROUNDS} rounds of ${IN_FLIGHT} status calls in flight`);
console.log(`status calls/s: simulator ${median(simRates).toFixed(0)} (${spread(simRates)}), plain stub ${median(stubRates).toFixed(0)} (${spread(stubRates)}); simulator ÷ stub ${(median(simRates) / median(stubRates)).toFixed(2)}× (target ≥ 10,000/s)`);

for (let i = 1; i < JOBS; i++) sim.jobs.submit({ name: `bench-${i}`, durationMs: 'unbounded' });
await simClient.listJobs();
// The floor for the overview: a stub sending the simulator's own body, pre-rendered.
const overviewBody = Buffer.from(await (await fetch(`${sim.url}/v1/jobs/overview`)).arrayBuffer());
const bigStub = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': overviewBody.length });
  res.end(overviewBody);
});
await new Promise<void>((r) => bigStub.listen(0, '127.0.0.1', r));
const simPool = new Pool(sim.url, { connections: 1 });
const stubPool = new Pool(`http://127.0.0.1:${(bigStub.address() as AddressInfo).port}`, { connections: 1 });
async function readOverview(pool: Pool): Promise<number> {
  const t = performance.now();
  const res = await pool.request({ method: 'GET', path: '/v1/jobs/overview' });
  const bytes = await res.body.arrayBuffer();
  if (bytes.byteLength < 1000) throw new Error('short overview');
  return performance.now() - t;
}
await readOverview(simPool);
await readOverview(stubPool);
const lists: number[] = [];
const simReads: number[] = [];
const stubReads: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  simReads.push(await readOverview(simPool));
  stubReads.push(await readOverview(stubPool));
  const t = performance.now();
  const jobs = await simClient.listJobs();
  lists.push(performance.now() - t);
  if (jobs.length !== JOBS) throw new Error(`listed ${jobs.length} jobs, expected ${JOBS}`);
}
console.log(`overview of ${JOBS} simulated jobs (${(overviewBody.length / 1048576).toFixed(2)} MiB), answer read as bytes: simulator ${median(simReads).toFixed(1)} ms (${spread(simReads, 1)}), stub with the same body ${median(stubReads).toFixed(1)} ms (${spread(stubReads, 1)}); simulator ÷ stub ${(median(simReads) / median(stubReads)).toFixed(2)}× (target ≤ 15 ms)`);
console.log(`listJobs() of ${JOBS} simulated jobs: ${median(lists).toFixed(1)} ms (${spread(lists, 1)})`);
await simPool.close();
await stubPool.close();
bigStub.close();

await simClient.close();
await stubClient.close();
await sim.close();
stub.close();
