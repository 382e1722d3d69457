/**
 * A loopback stand-in for a JobManager serving `/v1/config` and `/v1/jobs/overview` for many jobs,
 * run as a child process of a benchmark (so the benchmark's CPU figures are the client's alone).
 * The parent changes job states and reads request counts over IPC. The body is serialised once
 * per state change, as Flink's own handler caches its answers.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { benchJobs } from './jobs.js';

/** Messages the parent sends. */
export type StubCommand = { type: 'set'; index: number; state: string; tag: number } | { type: 'counts' } | { type: 'stop' };
/** Messages the stub sends back. */
export type StubReply =
  | { type: 'ready'; url: string; bodyBytes: number }
  | { type: 'applied'; tag: number; at: number }
  | { type: 'counts'; counts: Record<string, number> };

const jobs = benchJobs(Number(process.argv[2] ?? 10_000));
const refreshMs = Number(process.argv[3] ?? 3_000);
let body = JSON.stringify({ jobs });
const counts: Record<string, number> = {};
const config = JSON.stringify({
  'refresh-interval': refreshMs,
  'timezone-name': 'UTC',
  'timezone-offset': 0,
  'flink-version': '2.3.0',
  'flink-revision': 'bench',
  features: { 'web-submit': true, 'web-cancel': true, 'web-rescale': false, 'web-history': false },
});

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0] as string;
  counts[path] = (counts[path] ?? 0) + 1;
  const answer = path === '/v1/config' ? config : path === '/v1/jobs/overview' ? body : undefined;
  if (answer === undefined) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"errors":["Not found"]}');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(answer) });
  res.end(answer);
});
server.listen(0, '127.0.0.1', () => {
  const send = process.send?.bind(process) as (m: StubReply) => void;
  send({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodyBytes: Buffer.byteLength(body) });
  process.on('message', (m: StubCommand) => {
    if (m.type === 'set') {
      const job = jobs[m.index];
      if (job) {
        job.state = m.state;
        job['last-modification'] = Date.now();
        body = JSON.stringify({ jobs });
      }
      // The moment the new state is what the next request gets (shared clock: timeOrigin + now).
      send({ type: 'applied', tag: m.tag, at: performance.timeOrigin + performance.now() });
    } else if (m.type === 'counts') send({ type: 'counts', counts: { ...counts } });
    else {
      server.close();
      server.closeAllConnections();
      process.disconnect?.();
    }
  });
});
