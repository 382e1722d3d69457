/**
 * Parsing a 10,000-job `/jobs/overview` body: lenient validation against plain `JSON.parse`,
 * measured in one run.
 *
 *   npx tsx bench/overview-parse.ts [--jobs 10000] [--rounds 15]
 *
 * 1. In process: `JSON.parse` + `JobsOverviewSchema.validate('lenient', body)` (the compiled
 *    in-place check the pipeline runs) vs `JSON.parse` alone (target: at most 3×). For context,
 *    also strict validation and zod's own `safeParse` (what validation cost before the fast check).
 * 2. Through the real pipeline: `cluster.listJobs()` (HTTP, body read, parse, lenient validation)
 *    vs raw `undici.request` + `JSON.parse` of the same body from the same loopback stub.
 * Rounds alternate the variants and the median is reported.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { ClusterClient } from '../src/index.js';
import { JobsOverviewSchema } from '../src/schemas/jobs.js';
import { benchJobs } from './support/jobs.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const JOBS = arg('jobs', 10_000);
const ROUNDS = arg('rounds', 15);

const text = JSON.stringify({ jobs: benchJobs(JOBS) });
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function time(fn: () => unknown, reps: number): number {
  const t = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t) / reps;
}

console.log(`Node ${process.version}; ${JOBS} jobs; body ${(text.length / 1024 / 1024).toFixed(2)} MiB; ${ROUNDS} rounds, median`);

// Sanity: every variant accepts the body.
for (const mode of ['lenient', 'strict'] as const) {
  if (!JobsOverviewSchema.validate(mode, JSON.parse(text)).success) throw new Error(`${mode} validation rejected the body`);
}

const variants: Record<string, () => unknown> = {
  'JSON.parse': () => JSON.parse(text),
  'JSON.parse + lenient validate()': () => JobsOverviewSchema.validate('lenient', JSON.parse(text)),
  'JSON.parse + strict validate()': () => JobsOverviewSchema.validate('strict', JSON.parse(text)),
  'JSON.parse + zod safeParse (lenient)': () => JobsOverviewSchema.for('lenient').safeParse(JSON.parse(text)),
};
const results: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (const fn of Object.values(variants)) time(fn, 3);
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn] of Object.entries(variants)) (results[name] as number[]).push(time(fn, 3));
}
const parse = median(results['JSON.parse'] as number[]);
for (const [name, xs] of Object.entries(results)) {
  const m = median(xs);
  const target = name === 'JSON.parse + lenient validate()' ? ' (target ≤ 3×)' : '';
  console.log(`${name.padEnd(40)} ${m.toFixed(2).padStart(7)} ms   ${(m / parse).toFixed(2)}× JSON.parse${target}`);
}

// Through the real pipeline, over loopback.
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const cluster = new ClusterClient({ url: origin });
const agent = new Agent({ connections: 32, keepAliveTimeout: 10_000 });
const raw = async (): Promise<unknown> => JSON.parse(await (await request(`${origin}/v1/jobs/overview`, { dispatcher: agent })).body.text());
const sdk = (): Promise<unknown> => cluster.listJobs();
async function timeAsync(fn: () => Promise<unknown>, reps: number): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < reps; i++) await fn();
  return (performance.now() - t) / reps;
}
await timeAsync(sdk, 3);
await timeAsync(raw, 3);
const s: number[] = [];
const r: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  s.push(await timeAsync(sdk, 2));
  r.push(await timeAsync(raw, 2));
}
console.log(
  `${'cluster.listJobs() vs undici + JSON.parse'.padEnd(40)} ${median(s).toFixed(2).padStart(7)} ms vs ${median(r).toFixed(2)} ms   ${(median(s) / median(r)).toFixed(2)}× (HTTP, body read, parse, lenient validation)`,
);
await cluster.close();
await agent.close();
server.close();
