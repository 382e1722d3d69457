// Run as a separate process by watch-exit.test.ts: it watches, stops watching, and must then
// exit on its own, with the JobManager (the parent's simulator) still up and its keep-alive
// connections open. `close` mode closes the client while watchers still run instead.
import { ClusterClient } from '../../src/index.js';

const [url, mode, jobId] = process.argv.slice(2) as [string, 'stop' | 'close', string];
const cluster = new ClusterClient({ url });
const watcher = cluster.watch({ jobs: 'all', applications: 'all', pollIntervalMs: 20 });
let added = 0;
watcher.on('added', () => added++).start();
const controller = new AbortController();
const aborted = (async () => {
  for await (const _ of cluster.job(jobId).watch({ pollIntervalMs: 10, signal: controller.signal }));
})();
const broken = (async () => {
  for await (const _ of cluster.watch({ jobs: [jobId] })) break;
})();
const waiting = cluster.job('f'.repeat(32)).watch({ pollIntervalMs: 15 });
const pending = waiting.next();
await broken;
while (added < 2) await new Promise((r) => setTimeout(r, 10));
if (mode === 'close') {
  await cluster.close();
} else {
  controller.abort();
  watcher.stop();
  await waiting.return?.();
}
await aborted;
await pending;
const timers = process.getActiveResourcesInfo().filter((r) => r === 'Timeout');
console.log(`stopped added=${added} pollers=${cluster.watchPollers().length} timers=${timers.length} at=${Date.now()}`);
