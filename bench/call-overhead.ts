/**
 * Per-call cost of the SDK against raw undici, measured in one run on one loopback stub.
 *
 *   npx tsx bench/call-overhead.ts [--calls 20000] [--rounds 5]
 *
 * 1. `job.status()` vs `undici.request` + `JSON.parse` (target: ratio at most 1.10, validation on).
 * 2. `job.describe()` (a real 2.3.0 job-details body) vs the same raw request (same target).
 * 3. 1,000 concurrent `status()` calls vs 1,000 concurrent raw requests with the same connection
 *    limit (target: throughput ratio at least 0.9).
 * Rounds alternate SDK and raw and the median is reported, so drift on a shared machine hits
 * both sides alike. The stub answers from memory: the numbers are the client's own cost.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { ClusterClient } from '../src/index.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const CALLS = arg('calls', 20_000);
const ROUNDS = arg('rounds', 5);
const CONNECTIONS = 32;

const JOB = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';
const details = readFileSync(new URL('../test/fixtures/recorded/2.3.0/job-running.json', import.meta.url), 'utf8');
const detailsBody = JSON.stringify(JSON.parse(details).body);
const statusBody = JSON.stringify({ status: 'RUNNING' });

const server = createServer((req, res) => {
  const body = req.url?.endsWith('/status') ? statusBody : detailsBody;
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const client = new ClusterClient({ url: origin, connections: CONNECTIONS });
const job = client.job(JOB);
const agent = new Agent({ connections: CONNECTIONS, keepAliveTimeout: 10_000 });

async function raw(path: string): Promise<unknown> {
  const res = await request(`${origin}/v1${path}`, { dispatcher: agent, headers: { accept: 'application/json' } });
  return JSON.parse(await res.body.text());
}

async function sequential(fn: () => Promise<unknown>, n: number): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - t) / n;
}

async function concurrent(fn: () => Promise<unknown>, n: number): Promise<number> {
  const t = performance.now();
  await Promise.all(Array.from({ length: n }, fn));
  return n / ((performance.now() - t) / 1000);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function compare(label: string, sdk: () => Promise<unknown>, base: () => Promise<unknown>, n: number): Promise<number> {
  await sequential(sdk, 2_000);
  await sequential(base, 2_000);
  const s: number[] = [];
  const r: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    s.push(await sequential(sdk, n));
    r.push(await sequential(base, n));
  }
  const ratio = median(s) / median(r);
  console.log(`${label.padEnd(34)} sdk ${(median(s) * 1000).toFixed(1)} µs/call, raw ${(median(r) * 1000).toFixed(1)} µs/call, ratio ${ratio.toFixed(3)} (target ≤ 1.10)`);
  return ratio;
}

console.log(`Node ${process.version}, ${CALLS} sequential calls x ${ROUNDS} rounds, keep-alive, ${CONNECTIONS} connections`);
await compare('job.status()', () => job.status(), () => raw(`/jobs/${JOB}/status`), CALLS);
await compare(`job.describe() (${detailsBody.length} B body)`, () => job.describe(), () => raw(`/jobs/${JOB}`), Math.max(1_000, CALLS / 4));

const sdkRates: number[] = [];
const rawRates: number[] = [];
await concurrent(() => job.status(), 1_000);
await concurrent(() => raw(`/jobs/${JOB}/status`), 1_000);
for (let round = 0; round < ROUNDS * 2; round++) {
  sdkRates.push(await concurrent(() => job.status(), 1_000));
  rawRates.push(await concurrent(() => raw(`/jobs/${JOB}/status`), 1_000));
}
const throughput = median(sdkRates) / median(rawRates);
console.log(
  `${'1,000 concurrent status()'.padEnd(34)} sdk ${median(sdkRates).toFixed(0)} calls/s, raw ${median(rawRates).toFixed(0)} calls/s, ratio ${throughput.toFixed(3)} (target ≥ 0.9)`,
);

await client.close();
await agent.close();
server.close();
