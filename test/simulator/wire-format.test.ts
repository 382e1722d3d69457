import { afterEach, describe, expect, it } from 'vitest';
import { createFlinkSimulator, fixtureJar, fixturePrograms, type FlinkSimulator, type SimulatorFlinkVersion, uploadJarBytes } from 'flink-client/testing';
import { NOT_YET_SIMULATED } from '../support/schema-routes.js';
import { assertStrictBodies, keyPaths, recording, SCHEMA_BY_ROUTE } from './support/wire.js';

// Every JSON body the simulator produces passes the SDK's STRICT schemas, and has the same shape
// (the same set of field paths) as the body a real cluster of the same version sent in the same
// situation (test/fixtures/recorded/<version>/*.json).

let sims: FlinkSimulator[] = [];

afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function simulator(flinkVersion: SimulatorFlinkVersion, scheduler: 'default' | 'adaptive' = 'default'): Promise<FlinkSimulator> {
  const sim = await createFlinkSimulator({ flinkVersion, scheduler, clock: 'virtual', programs: fixturePrograms });
  sims.push(sim);
  return sim;
}

function client(sim: FlinkSimulator) {
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${sim.url}${path}`, body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return {
    get: async (path: string) => (await call('GET', path)).body,
    call,
    upload: async (key: Parameters<typeof fixtureJar>[0]) => {
      const jar = fixtureJar(key);
      return uploadJarBytes(sim.url, jar.filename, jar.bytes);
    },
  };
}

/**
 * Plays a scenario touching every route, and returns the bodies by the name of the recording of
 * the same situation on a real cluster.
 */
async function scenario(version: SimulatorFlinkVersion): Promise<{ sim: FlinkSimulator; bodies: Map<string, unknown> }> {
  const sim = await simulator(version);
  const c = client(sim);
  const bodies = new Map<string, unknown>();
  const keep = async (name: string, path: string): Promise<Record<string, unknown>> => {
    const body = await c.get(path);
    bodies.set(name, body);
    return body;
  };
  const keepCall = async (name: string, method: string, path: string, body?: unknown) => {
    const res = await c.call(method, path, body);
    bodies.set(name, res.body);
    return res.body;
  };

  await keep('config', '/v1/config');
  await keep('config-unversioned', '/config');
  await keep('overview', '/v1/overview');
  await keep('jobmanager-config', '/v1/jobmanager/config');
  await keep('taskmanagers', '/v1/taskmanagers');
  await keep('jars-empty', '/v1/jars');
  await keep('jobs-empty', '/v1/jobs');
  await keep('jobs-overview-empty', '/v1/jobs/overview');
  const jars = {
    streaming: await c.upload('streaming'),
    bounded: await c.upload('bounded'),
    failing: await c.upload('failing'),
    twoJobs: await c.upload('twoJobs'),
  };
  await keep('jars-list', '/v1/jars');
  await keep('jars-plan-get', `/v1/jars/${jars.bounded}/plan?parallelism=2`);
  await keepCall('jars-plan-post', 'POST', `/v1/jars/${jars.bounded}/plan`, { parallelism: 2 });

  const streaming = (await keepCall('jars-run-streaming', 'POST', `/v1/jars/${jars.streaming}/run`, { parallelism: 2, programArgsList: ['--rate', '20'] })).jobid as string;
  sim.clock.advance(1_000);
  await keep('jobs-running', '/v1/jobs');
  await keep('jobs-overview-running', '/v1/jobs/overview');
  await keep('overview-with-running-job', '/v1/overview');
  await keep('job-running', `/v1/jobs/${streaming}`);
  await keep('job-status-running', `/v1/jobs/${streaming}/status`);
  await keep('job-execution-result-in-progress', `/v1/jobs/${streaming}/execution-result`);
  await keep('job-accumulators-running', `/v1/jobs/${streaming}/accumulators`);
  await keep('job-exceptions-none', `/v1/jobs/${streaming}/exceptions`);
  await keep('job-config', `/v1/jobs/${streaming}/config`);
  await keep('job-plan', `/v1/jobs/${streaming}/plan`);
  await keep('job-checkpoints-config', `/v1/jobs/${streaming}/checkpoints/config`);
  await c.get(`/v1/jobs/${streaming}/jobmanager/config`);
  await c.get(`/v1/jobs/${streaming}/resource-requirements`);
  sim.clock.advance(3_000);
  await keep('job-checkpoints', `/v1/jobs/${streaming}/checkpoints`);
  const streamingVertices = ((await c.get(`/v1/jobs/${streaming}`)).vertices as Array<{ id: string }>).map((v) => v.id);
  for (const [name, vertex] of [['source', streamingVertices[0]], ['counter', streamingVertices[1]]] as const) {
    const base = `/v1/jobs/${streaming}/vertices/${vertex}`;
    await keep(`rest-vertex-${name}`, base);
    await keep(`rest-vertex-${name}-accumulators`, `${base}/accumulators`);
    await keep(`rest-vertex-${name}-subtasks-accumulators`, `${base}/subtasks/accumulators`);
    await keep(`rest-vertex-${name}-subtask-0`, `${base}/subtasks/0`);
    await keep(`rest-vertex-${name}-subtask-0-attempt-0`, `${base}/subtasks/0/attempts/0`);
    await keep(`rest-vertex-${name}-subtask-0-attempt-0-accumulators`, `${base}/subtasks/0/attempts/0/accumulators`);
    await keep(`rest-vertex-${name}-subtasktimes`, `${base}/subtasktimes`);
    await keep(`rest-vertex-${name}-taskmanagers`, `${base}/taskmanagers`);
    await keep(`rest-vertex-${name}-watermarks`, `${base}/watermarks`);
    // The vertex requests above started the metric fetch (as on the recorded cluster, seconds before).
    sim.clock.advance(1_000);
    await keep(`rest-vertex-${name}-backpressure-first`, `${base}/backpressure`);
    await keep(`rest-vertex-${name}-backpressure-ok`, `${base}/backpressure`);
    await c.get(`${base}/flamegraph?type=FULL`); // disabled by default: {"endTimestamp":-2}
    await keep(`rest-vertex-${name}-metrics-names`, `${base}/metrics`);
    await keep(`rest-vertex-${name}-metrics-values`, `${base}/metrics?get=0.numRecordsOut,0.backPressuredTimeMsPerSecond,0.busyTimeMsPerSecond,0.numRecordsIn`);
    await keep(`rest-vertex-${name}-subtasks-metrics-names`, `${base}/subtasks/metrics`);
    await keep(`rest-vertex-${name}-subtasks-metrics-agg`, `${base}/subtasks/metrics?get=numRecordsOut,numRecordsIn,busyTimeMsPerSecond,backPressuredTimeMsPerSecond,idleTimeMsPerSecond&agg=min,max,avg,sum,skew&subtasks=0,1`);
    await keep(`rest-vertex-${name}-subtask-0-metrics`, `${base}/subtasks/0/metrics?get=numRecordsOut,numRecordsIn,busyTimeMsPerSecond,backPressuredTimeMsPerSecond,idleTimeMsPerSecond`);
    await keep(`rest-vertex-${name}-jm-operator-metrics`, `${base}/jm-operator-metrics`);
  }
  const tmId = encodeURIComponent(((await c.get('/v1/taskmanagers')).taskmanagers as Array<{ id: string }>)[0]?.id ?? '');
  await keep('rest-taskmanager-details', `/v1/taskmanagers/${tmId}`);
  await keep('rest-taskmanager-logs', `/v1/taskmanagers/${tmId}/logs`);
  await keep('rest-taskmanager-metrics-names', `/v1/taskmanagers/${tmId}/metrics`);
  await keep('rest-taskmanager-metrics-values', `/v1/taskmanagers/${tmId}/metrics?get=Status.JVM.CPU.Time,Status.JVM.Threads.Count,Status.JVM.Memory.Heap.Committed`);
  await keep('rest-taskmanager-thread-dump', `/v1/taskmanagers/${tmId}/thread-dump`);
  await keep('rest-taskmanager-unknown', '/v1/taskmanagers/no-such-tm');
  await keep('rest-job-metrics-names', `/v1/jobs/${streaming}/metrics`);
  await keep('rest-job-metrics-values', `/v1/jobs/${streaming}/metrics?get=numberOfCompletedCheckpoints,numRestarts,lastCheckpointDuration`);
  await keep('rest-vertex-subtask-out-of-range', `/v1/jobs/${streaming}/vertices/${streamingVertices[0]}/subtasks/99`);
  await keep('rest-vertex-unknown', `/v1/jobs/${streaming}/vertices/5db9e063e859dfb97ed836854af3b0ec`);
  await keep('rest-jobmanager-environment', '/v1/jobmanager/environment');
  await keep('rest-jobmanager-logs', '/v1/jobmanager/logs');
  await keep('rest-jobmanager-metrics-names', '/v1/jobmanager/metrics');
  await keep('rest-jobmanager-thread-dump', '/v1/jobmanager/thread-dump');
  await keep('rest-taskmanagers-metrics-names', '/v1/taskmanagers/metrics');
  await keep('rest-jobs-metrics-names', '/v1/jobs/metrics');
  await keep('rest-job-jobmanager-environment', `/v1/jobs/${streaming}/jobmanager/environment`);
  await keep('rest-job-jobmanager-log-url', `/v1/jobs/${streaming}/jobmanager/log-url`);
  await keep('rest-job-taskmanager-log-url', `/v1/jobs/${streaming}/taskmanagers/${tmId}/log-url`);
  await keepCall('rest-job-client-heartbeat', 'PATCH', `/v1/jobs/${streaming}/clientHeartbeat`, { expiredTimestamp: sim.clock.now() + 60_000 });
  await keep('rest-datasets', '/v1/datasets');
  const deletion = (await keepCall('rest-datasets-delete', 'DELETE', '/v1/datasets/0123456789abcdef0123456789abcdef'))['request-id'] as string;
  await keep('rest-datasets-delete-status', `/v1/datasets/delete/${deletion}`);
  await keep('rest-datasets-delete-status-unknown', '/v1/datasets/delete/ab7602bd6df4cb32fea59724a346f57f');
  await keep('rest-rescaling-status-unknown', `/v1/jobs/${streaming}/rescaling/cba2d794886b1bbac8af2b97ec7db5b2`);

  const bounded = (await keepCall('jars-run-bounded', 'POST', `/v1/jars/${jars.bounded}/run`, { parallelism: 2 })).jobid as string;
  const failing = (await keepCall('jars-run-failing', 'POST', `/v1/jars/${jars.failing}/run`, {})).jobid as string;
  await keepCall('jars-run-two-jobs', 'POST', `/v1/jars/${jars.twoJobs}/run`, {});
  sim.clock.advance(1_000);
  await keep('jobs-overview-mixed', '/v1/jobs/overview');
  await keep('job-finished', `/v1/jobs/${bounded}`);
  await keep('job-status-finished', `/v1/jobs/${bounded}/status`);
  await keep('job-execution-result-finished', `/v1/jobs/${bounded}/execution-result`);
  await keep('job-accumulators', `/v1/jobs/${bounded}/accumulators`);
  await keep('job-accumulators-serialized', `/v1/jobs/${bounded}/accumulators?includeSerializedValue=true`);
  await keep('job-exceptions-finished', `/v1/jobs/${bounded}/exceptions`);
  await keep('job-checkpoints-finished-no-checkpointing', `/v1/jobs/${bounded}/checkpoints`);
  await keep('job-checkpoints-config-no-checkpointing', `/v1/jobs/${bounded}/checkpoints/config`);
  await keep('job-failed', `/v1/jobs/${failing}`);
  await keep('job-execution-result-failed', `/v1/jobs/${failing}/execution-result`);
  await keep('job-exceptions', `/v1/jobs/${failing}/exceptions`);
  await keep('job-exceptions-max-1', `/v1/jobs/${failing}/exceptions?maxExceptions=1`);

  // Savepoints, checkpoints, disposal.
  const sp = (await keepCall('savepoint-trigger-default-dir', 'POST', `/v1/jobs/${streaming}/savepoints`, {}))['request-id'] as string;
  await keep('savepoint-status-in-progress', `/v1/jobs/${streaming}/savepoints/${sp}`);
  const cp = (await keepCall('checkpoint-trigger', 'POST', `/v1/jobs/${streaming}/checkpoints`, {}))['request-id'] as string;
  await keep('checkpoint-status-in-progress', `/v1/jobs/${streaming}/checkpoints/${cp}`);
  sim.clock.advance(500);
  const location = ((await keep('savepoint-status-completed', `/v1/jobs/${streaming}/savepoints/${sp}`)).operation as { location: string }).location;
  await keep('checkpoint-status-completed', `/v1/jobs/${streaming}/checkpoints/${cp}`);
  const completedId = ((await c.get(`/v1/jobs/${streaming}/checkpoints`)).latest as { completed: { id: number } }).completed.id;
  await keep('rest-checkpoint-details', `/v1/jobs/${streaming}/checkpoints/details/${completedId}`);
  await keep('rest-checkpoint-subtasks', `/v1/jobs/${streaming}/checkpoints/details/${completedId}/subtasks/${streamingVertices[1]}`);
  await keep('rest-checkpoint-details-unknown', `/v1/jobs/${streaming}/checkpoints/details/999999`);
  const bad = (await c.call('POST', `/v1/jobs/${streaming}/savepoints`, { 'target-directory': 'file:///dev/null/flink-client-savepoints' })).body['request-id'] as string;
  sim.clock.advance(500);
  await keep('savepoint-status-failed', `/v1/jobs/${streaming}/savepoints/${bad}`);
  const stop = (await keepCall('job-stop-with-savepoint', 'POST', `/v1/jobs/${streaming}/stop`, { drain: false }))['request-id'] as string;
  sim.clock.advance(500);
  const stopLocation = ((await keep('job-stop-status-completed', `/v1/jobs/${streaming}/savepoints/${stop}`)).operation as { location: string }).location;
  await keep('job-finished-after-stop', `/v1/jobs/${streaming}`);
  await keep('job-execution-result-after-stop', `/v1/jobs/${streaming}/execution-result`);
  const disposal = (await keepCall('savepoint-disposal-trigger', 'POST', '/v1/savepoint-disposal', { 'savepoint-path': location }))['request-id'] as string;
  await keep('savepoint-disposal-status-first-poll', `/v1/savepoint-disposal/${disposal}`);
  sim.clock.advance(100);
  await keep('savepoint-disposal-status-completed', `/v1/savepoint-disposal/${disposal}`);
  const failedDisposal = (await c.call('POST', '/v1/savepoint-disposal', { 'savepoint-path': 'file:///no-such-savepoint' })).body['request-id'] as string;
  sim.clock.advance(100);
  await keep('savepoint-disposal-status-failed', `/v1/savepoint-disposal/${failedDisposal}`);

  // Restore, then cancel.
  const restored = (await keepCall('jars-run-restore-from-savepoint', 'POST', `/v1/jars/${jars.streaming}/run`, { parallelism: 2, savepointPath: stopLocation, claimMode: 'NO_CLAIM' })).jobid as string;
  sim.clock.advance(4_000);
  await keep('job-checkpoints-restored', `/v1/jobs/${restored}/checkpoints`);
  await keepCall('job-cancel', 'PATCH', `/v1/jobs/${restored}?mode=cancel`);
  sim.clock.advance(500);
  await keep('job-canceled', `/v1/jobs/${restored}`);
  await keep('job-execution-result-canceled', `/v1/jobs/${restored}/execution-result`);
  await keep('jobs-at-end', '/v1/jobs');
  await keep('overview-at-end', '/v1/overview');
  await c.call('DELETE', `/v1/jars/${jars.twoJobs}`);

  if (version === '2.3.0') {
    const running = (await c.call('POST', `/v1/jars/${jars.streaming}/run-application`, { parallelism: 1 })).body.applicationid as string;
    const two = (await c.call('POST', `/v1/jars/${await c.upload('twoJobs')}/run-application`, {})).body.applicationid as string;
    const throwing = (await c.call('POST', `/v1/jars/${await c.upload('throwing')}/run-application`, {})).body.applicationid as string;
    sim.clock.advance(300);
    await keep('application-running', `/v1/applications/${running}`);
    await keep('applications-overview-with-running', '/v1/applications/overview');
    await keep('application-of-jars-run-job', `/v1/applications/${bounded}`);
    await keep('application-failed-jars-run', `/v1/applications/${failing}`);
    await keep('application-exceptions-failed-job', `/v1/applications/${failing}/exceptions`);
    await keep('application-jobmanager-config', `/v1/applications/${two}/jobmanager/config`);
    await keepCall('application-cancel-running', 'POST', `/v1/applications/${running}/cancel`);
    sim.clock.advance(5_000);
    await keep('application-finished-two-jobs', `/v1/applications/${two}`);
    await keep('application-exceptions-finished', `/v1/applications/${two}/exceptions`);
    await keep('application-canceled', `/v1/applications/${running}`);
    await keep('application-exceptions-canceled', `/v1/applications/${running}/exceptions`);
    await keep('application-failed-throwing', `/v1/applications/${throwing}`);
    await keep('application-exceptions-throwing', `/v1/applications/${throwing}/exceptions`);
    await keep('job-of-application', `/v1/jobs/${((await c.get(`/v1/applications/${two}`)).jobs as Array<{ jid: string }>)[0]?.jid}`);
    await keep('applications-overview-at-end', '/v1/applications/overview');
  }

  // The adaptive scheduler's routes, on a second simulator.
  const adaptive = await simulator(version, 'adaptive');
  const a = client(adaptive);
  const adaptiveJob = (await a.call('POST', `/v1/jars/${await a.upload('streaming')}/run`, { parallelism: 2 })).body.jobid as string;
  adaptive.clock.advance(1_000);
  bodies.set('adaptive-job-running', await a.get(`/v1/jobs/${adaptiveJob}`));
  const requirements = await a.get(`/v1/jobs/${adaptiveJob}/resource-requirements`);
  bodies.set('adaptive-job-resource-requirements', requirements);
  if (version === '2.3.0') {
    // History size 0 (the default): every record route answers, with nothing recorded.
    for (const part of ['config', 'overview', 'history', 'summary']) bodies.set(`adaptive-job-rescales-${part}`, await a.get(`/v1/jobs/${adaptiveJob}/rescales/${part}`));
  }
  await a.call('PUT', `/v1/jobs/${adaptiveJob}/resource-requirements`, requirements);
  await a.call('DELETE', '/v1/cluster');
  if (version === '2.3.0') {
    // A history of 4 (as recorded): the initial schedule and one rescale.
    const kept = await createFlinkSimulator({ flinkVersion: version, scheduler: 'adaptive', clock: 'virtual', programs: fixturePrograms, configuration: { 'web.adaptive-scheduler.rescale-history.size': '4' } });
    sims.push(kept);
    const k = client(kept);
    const job = (await k.call('POST', `/v1/jars/${await k.upload('streaming')}/run`, { parallelism: 2 })).body.jobid as string;
    kept.clock.advance(1_000);
    const lowered = Object.fromEntries(Object.keys(await k.get(`/v1/jobs/${job}/resource-requirements`)).map((id) => [id, { parallelism: { lowerBound: 1, upperBound: 1 } }]));
    await k.call('PUT', `/v1/jobs/${job}/resource-requirements`, lowered);
    kept.clock.advance(60_000);
    for (const part of ['config', 'overview', 'history', 'summary']) bodies.set(`rest-rescales-${part}`, await k.get(`/v1/jobs/${job}/rescales/${part}`));
    const latest = ((await k.get(`/v1/jobs/${job}/rescales/history`)) as unknown as Array<{ rescaleUuid: string }>)[0]?.rescaleUuid;
    // (Keyed by vertex and slot sharing group ids, which differ from the recording's: strict schema only.)
    await k.get(`/v1/jobs/${job}/rescales/details/${latest}`);
    bodies.set('rest-rescales-details-unknown', await k.get(`/v1/jobs/${job}/rescales/details/1428ff8d749f6f79bcc4f35590c5a1e4`));
  }
  return { sim, bodies };
}

describe.each(['2.3.0', '1.20.5'] as const)('bodies of the %s profile', (version) => {
  it('pass the SDK\'s strict schemas on every route', async () => {
    const { sim } = await scenario(version);
    const counts = assertStrictBodies([...sims.flatMap((s) => s.requests)]);
    const okRoutes = new Set([...counts.keys()].filter((k) => /\s2\d\d$/.test(k)).map((k) => k.replace(/\s\d+$/, '')));
    const expected = Object.keys(SCHEMA_BY_ROUTE).filter((k) => !NOT_YET_SIMULATED.has(k) && (version === '2.3.0' || (!k.includes('/applications') && !k.includes('run-application') && !k.includes('/rescales/'))));
    expect([...expected].filter((k) => !okRoutes.has(k))).toEqual([]);
    expect(sim.requests.length).toBeGreaterThan(60);
  });

  it('have the same shape as the recorded bodies of a real cluster', async () => {
    const { bodies } = await scenario(version);
    const mismatches: string[] = [];
    let compared = 0;
    for (const [name, body] of bodies) {
      let rec;
      try {
        rec = recording(version, name);
      } catch {
        continue; // no recording of this situation for this version
      }
      compared++;
      const want = keyPaths(rec.body);
      const got = keyPaths(body);
      const missing = [...want].filter((k) => !got.has(k));
      const extra = [...got].filter((k) => !want.has(k));
      if (missing.length || extra.length) mismatches.push(`${name}: missing ${JSON.stringify(missing)} extra ${JSON.stringify(extra)}`);
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(version === '2.3.0' ? 60 : 45);
  });

  it('serialize accumulators to the same bytes as Flink (Java-serialized OptionalFailure)', async () => {
    const { bodies } = await scenario(version);
    const ours = bodies.get('job-execution-result-finished') as { 'job-execution-result': { 'accumulator-results': Record<string, string> } };
    const real = recording(version, 'job-execution-result-finished').body as typeof ours;
    expect(ours['job-execution-result']['accumulator-results']).toEqual(real['job-execution-result']['accumulator-results']);
    const serialized = bodies.get('job-accumulators-serialized') as Record<string, unknown>;
    expect(serialized['serialized-user-task-accumulators']).toEqual((recording(version, 'job-accumulators-serialized').body as Record<string, unknown>)['serialized-user-task-accumulators']);
    expect(serialized['user-task-accumulators']).toEqual((recording(version, 'job-accumulators').body as Record<string, unknown>)['user-task-accumulators']);
  });

  it('match the recorded values that do not depend on the run', async () => {
    const { bodies } = await scenario(version);
    const same = ['config', 'config-unversioned', 'jobs-empty', 'jobs-overview-empty', 'job-checkpoints-config', 'job-checkpoints-config-no-checkpointing', 'job-status-running', 'job-status-finished', 'job-execution-result-in-progress', 'job-accumulators-running', 'job-exceptions-none', 'job-exceptions-finished', 'savepoint-status-in-progress', 'checkpoint-status-in-progress', 'savepoint-disposal-status-first-poll', 'savepoint-disposal-status-completed'];
    for (const name of same) expect(bodies.get(name), name).toEqual(recording(version, name).body);
    expect(bodies.get('overview')).toEqual(recording(version, 'overview').body);
    const plan = bodies.get('job-plan') as { plan: { nodes: unknown[] } };
    expect(plan.plan.nodes).toEqual((recording(version, 'job-plan').body as typeof plan).plan.nodes);
  });
});
