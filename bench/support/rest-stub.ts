/**
 * A loopback stand-in for a JobManager answering from memory, run as a child process of a
 * benchmark so that every client measured (the SDK, undici, the Java and Python clients) talks to
 * the same server and the parent's `process.cpuUsage()` is the client's alone.
 *
 *   GET /v1/jobs/:id/status → {"status":"RUNNING"}
 *   GET /v1/jobs/overview   → `jobs` RUNNING jobs shaped like real 2.3.0 entries
 *   GET /v1/jobs/:id        → a real 2.3.0 job-details body
 *
 * Argument: the number of jobs in the overview (default 10,000). Sends `{ url }` over IPC once
 * listening; exits when the parent disconnects.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { benchJobs } from './jobs.js';

const jobs = Number(process.argv[2] ?? 10_000);
const statusBody = Buffer.from(JSON.stringify({ status: 'RUNNING' }));
const overviewBody = Buffer.from(JSON.stringify({ jobs: benchJobs(jobs) }));
const recorded = JSON.parse(readFileSync(new URL('../../test/fixtures/recorded/2.3.0/job-running.json', import.meta.url), 'utf8')) as { body: unknown };
const detailsBody = Buffer.from(JSON.stringify(recorded.body));
const notFound = Buffer.from('{"errors":["Not found: /"]}');

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  const body = url.endsWith('/status') ? statusBody : url === '/v1/jobs/overview' ? overviewBody : url.startsWith('/v1/jobs/') ? detailsBody : undefined;
  res.writeHead(body ? 200 : 404, { 'content-type': 'application/json; charset=UTF-8', 'content-length': (body ?? notFound).length });
  res.end(body ?? notFound);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, overviewBytes: overviewBody.length, detailsBytes: detailsBody.length });
});
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close();
});
