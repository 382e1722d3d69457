// Run as a separate process by clock-and-lifecycle.test.ts: it must end on its own once the
// simulator is closed, with work still in flight (no leaked server, socket or timer).
import { ClusterClient } from '../../../src/index.js';
import { createFlinkSimulator, fixtureJar, fixturePrograms, uploadJarBytes } from '../../../src/testing/index.js';

const sim = await createFlinkSimulator({ programs: fixturePrograms, timing: { savepointMs: 60_000 } });
const jar = fixtureJar('streaming');
const cluster = new ClusterClient({ url: sim.url });
const job = await cluster.runJar(await uploadJarBytes(sim.url, jar.filename, jar.bytes));
await job.triggerSavepoint();
sim.faults.latency(60_000, { path: '/overview' });
const hanging = fetch(`${sim.url}/v1/overview`).catch(() => 'reset');
// Close only once the request is being handled (the parent's kill timeout guards this loop).
while (sim.requestsInFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
await cluster.close();
await sim.close();
console.log(`closed ${await hanging}`);
