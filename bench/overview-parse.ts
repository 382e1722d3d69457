/**
 * Parsing a 10,000-job `/jobs/overview` body: lenient validation against plain `JSON.parse`,
 * measured in one run.
 *
 *   npx tsx bench/overview-parse.ts [--jobs 10000] [--rounds 15]
 *
 * 1. In process: `JSON.parse` + `JobsOverviewSchema.validate('lenient', body)` (the compiled
 *    in-place check the pipeline runs) vs `JSON.parse` alone (target: at most 3×). For context,
 *    also strict validation and zod's own `safeParse` (what validation cost before the fast check).
 *    And from bytes, as the socket delivers them (64 KiB chunks): concatenated then parsed (what
 *    undici's `body.text()` does), copied into one reused buffer then parsed, and a streaming
 *    parse that cuts entries out of the chunks and parses them one by one.
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

// The body as the socket delivers it: 64 KiB chunks of UTF-8.
const bytes = Buffer.from(text);
const chunks: Buffer[] = [];
for (let at = 0; at < bytes.length; at += 65_536) chunks.push(bytes.subarray(at, Math.min(at + 65_536, bytes.length)));
const reused = Buffer.allocUnsafe(bytes.length);

/**
 * A streaming parse of `{"jobs":[{...},{...}]}`: scans each chunk as it arrives for the end of
 * every top-level entry (tracking strings and nesting) and `JSON.parse`s entry by entry, so no
 * whole-body string is ever made. Enough for this benchmark's shape, not a general parser.
 */
function streamingEntries(parts: readonly Buffer[]): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let carry: Buffer[] = [];
  let start = -1;
  for (const part of parts) {
    let from = start >= 0 ? 0 : -1;
    for (let i = 0; i < part.length; i++) {
      const c = part[i] as number;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        continue;
      }
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) {
        depth++;
        if (depth === 3 && c === 0x7b) {
          start = i;
          from = i;
        }
      } else if (c === 0x7d || c === 0x5d) {
        if (depth === 3 && c === 0x7d && from >= 0) {
          const piece = part.subarray(from, i + 1);
          const whole = carry.length > 0 ? Buffer.concat([...carry, piece]) : piece;
          out.push(JSON.parse(whole.toString('utf8')));
          carry = [];
          start = -1;
          from = -1;
        }
        depth--;
      }
    }
    if (start >= 0) carry.push(part.subarray(from < 0 ? 0 : from));
  }
  return out;
}
if (streamingEntries(chunks).length !== JOBS) throw new Error('streaming parse lost entries');

const variants: Record<string, () => unknown> = {
  'JSON.parse': () => JSON.parse(text),
  'chunks → concat → utf8 → JSON.parse': () => JSON.parse(Buffer.concat(chunks, bytes.length).toString('utf8')),
  'chunks → reused buffer → JSON.parse': () => {
    let at = 0;
    for (const c of chunks) {
      reused.set(c, at);
      at += c.length;
    }
    return JSON.parse(reused.toString('utf8', 0, at));
  },
  'streaming, JSON.parse per entry': () => streamingEntries(chunks),
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
