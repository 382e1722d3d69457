/**
 * Many loopback JobManagers in one child process, for a platform-scale benchmark: `clusters`
 * listening sockets, each serving `/v1/config` and its own `/v1/jobs/overview` of `jobs` RUNNING
 * jobs (real 2.3.0 entry shape). The parent changes job states and reads request and connection
 * counts over IPC. Each body is serialised once per change, as Flink's handler caches answers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { benchJobs } from './jobs.js';

/** Messages the parent sends. */
export type FleetCommand = { type: 'set'; cluster: number; job: number; state: string; tag: number } | { type: 'counts' };
/** Messages the stub sends back. */
export type FleetReply =
  | { type: 'ready'; urls: string[] }
  | { type: 'applied'; tag: number; at: number }
  | { type: 'counts'; overview: number[]; other: number; openSockets: number; connections: number };

const clusters = Number(process.argv[2] ?? 1_000);
const jobsPerCluster = Number(process.argv[3] ?? 20);
const config = JSON.stringify({ 'refresh-interval': 3000, 'timezone-name': 'UTC', 'timezone-offset': 0, 'flink-version': '2.3.0', 'flink-revision': 'bench', features: { 'web-submit': true, 'web-cancel': true, 'web-rescale': false, 'web-history': false } });
const overview = new Array<number>(clusters).fill(0);
let other = 0;
let openSockets = 0;
let connections = 0;
const fleet = Array.from({ length: clusters }, (_, c) => {
  // Distinct ids per cluster: cluster c's job j is c * jobsPerCluster + j.
  const jobs = benchJobs((c + 1) * jobsPerCluster).slice(c * jobsPerCluster);
  return { jobs, body: JSON.stringify({ jobs }) };
});
const servers: Server[] = fleet.map((cluster, c) => {
  const server = createServer((req, res) => {
    const answer = req.url === '/v1/jobs/overview' ? cluster.body : req.url === '/v1/config' ? config : undefined;
    if (req.url === '/v1/jobs/overview') overview[c] = (overview[c] ?? 0) + 1;
    else other++;
    res.writeHead(answer ? 200 : 404, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(answer ?? '{}') });
    res.end(answer ?? '{}');
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    openSockets++;
    connections++;
    socket.on('close', () => openSockets--);
  });
  return server;
});
await Promise.all(servers.map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
const send = process.send?.bind(process) as (m: FleetReply) => void;
send({ type: 'ready', urls: servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`) });
process.on('message', (m: FleetCommand) => {
  if (m.type === 'set') {
    const cluster = fleet[m.cluster];
    const job = cluster?.jobs[m.job];
    if (cluster && job) {
      job.state = m.state;
      job['last-modification'] = Date.now();
      cluster.body = JSON.stringify({ jobs: cluster.jobs });
    }
    send({ type: 'applied', tag: m.tag, at: performance.timeOrigin + performance.now() });
  } else send({ type: 'counts', overview: [...overview], other, openSockets, connections });
});
process.on('disconnect', () => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});
