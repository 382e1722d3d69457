/**
 * The simulator (or a plain `node:http` stub with the same status body) alone in a child process,
 * for measuring its capacity as a load-test target without the client on its core: sends
 * `{ url, jobId }` once its job runs, answers `cpu` with its `process.cpuUsage()`, exits when the
 * parent disconnects.
 *
 *   argument: `simulator` (default) or `stub`
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFlinkSimulator } from '../../src/testing/index.js';

const kind = process.argv[2] ?? 'simulator';
const send = process.send?.bind(process) as (m: unknown) => void;
let close: () => Promise<void>;
if (kind === 'stub') {
  const body = JSON.stringify({ status: 'RUNNING' });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  close = async () => {
    server.closeAllConnections();
    server.close();
  };
  send({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, jobId: '0'.repeat(32) });
} else {
  const sim = await createFlinkSimulator();
  const job = sim.jobs.submit({ name: 'bench', durationMs: 'unbounded' });
  // Answer the same status to every call: wait until the job runs.
  while (job.status !== 'RUNNING') await new Promise((r) => setTimeout(r, 20));
  close = () => sim.close();
  send({ url: sim.url, jobId: job.id });
}
process.on('message', (m) => {
  if (m === 'cpu') send({ cpu: process.cpuUsage() });
});
process.on('disconnect', () => void close());
