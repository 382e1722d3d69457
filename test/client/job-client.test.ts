import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AsyncOperation,
  ClusterClient,
  FlinkArgumentError,
  FlinkBadRequestError,
  FlinkConflictError,
  FlinkServerError,
  FlinkTimeoutError,
  JarNotFoundError,
  JobFailedError,
  JobNotFoundError,
  OperationFailedError,
  OperationNotFoundError,
  UnreachableStateError,
} from 'flink-client';
import { hexId } from '../support/ids.js';
import { type MswServer, startMswServer } from '../support/msw-server.js';
import { idFromPath, recorded, type RecordedExchange } from '../support/recorded.js';

const V = '2.3.0';
const replay = (ex: RecordedExchange) => HttpResponse.json(ex.body as Record<string, unknown>, { status: ex.status });

let server: MswServer;
let cluster: ClusterClient;

beforeAll(async () => {
  server = await startMswServer([]);
  cluster = new ClusterClient({ url: server.url, retry: { initialDelayMs: 5, maxDelayMs: 20 } });
});
afterEach(() => server.reset());
afterAll(async () => {
  await cluster.close();
  await server.close();
});

describe('JobClient reads', () => {
  it('is a cheap handle: creating one sends nothing', () => {
    const job = cluster.job(hexId());
    expect(job.jobId).toMatch(/^[0-9a-f]{32}$/);
    expect(server.requests).toHaveLength(0);
  });

  it('status() and describe() return what Flink reports', async () => {
    const details = recorded(V, 'job-running');
    const id = idFromPath(details);
    server.use(
      http.get(`*/v1/jobs/${id}/status`, () => replay(recorded(V, 'job-status-running'))),
      http.get(`*/v1/jobs/${id}`, () => replay(details)),
    );
    const job = cluster.job(id);
    expect(await job.status()).toBe('RUNNING');
    const d = await job.describe();
    expect(d.jid).toBe(id);
    expect(d.state).toBe('RUNNING');
    expect(d.vertices.length).toBeGreaterThan(0);
  });

  it('maps 404 on a job to JobNotFoundError carrying the id', async () => {
    const ex = recorded(V, 'job-unknown');
    const id = idFromPath(ex);
    server.use(http.get(`*/v1/jobs/${id}`, () => replay(ex)));
    const err = await cluster.job(id).describe().catch((e) => e);
    expect(err).toBeInstanceOf(JobNotFoundError);
    expect(err.jobId).toBe(id);
    expect(err.status).toBe(404);
    expect(server.requests).toHaveLength(1);
  });

  it('accumulators(), exceptions(), checkpoints(), config(), plan() validate real bodies', async () => {
    const acc = recorded(V, 'job-accumulators');
    const id = idFromPath(acc);
    server.use(
      http.get(`*/v1/jobs/${id}/accumulators`, () => replay(acc)),
      http.get(`*/v1/jobs/${id}/exceptions`, () => replay(recorded(V, 'job-exceptions'))),
      http.get(`*/v1/jobs/${id}/checkpoints`, () => replay(recorded(V, 'job-checkpoints'))),
      http.get(`*/v1/jobs/${id}/checkpoints/config`, () => replay(recorded(V, 'job-checkpoints-config'))),
      http.get(`*/v1/jobs/${id}/config`, () => replay(recorded(V, 'job-config'))),
      http.get(`*/v1/jobs/${id}/plan`, () => replay(recorded(V, 'job-plan'))),
    );
    const strict = new ClusterClient({ url: server.url, validation: 'strict' });
    try {
      const job = strict.job(id);
      const a = await job.accumulators();
      expect(a['user-task-accumulators'].map((u) => [u.name, u.value])).toEqual([
        ['records', '1000'],
        ['sum', '500500'],
      ]);
      const ex = await job.exceptions({ maxExceptions: 5 });
      expect(ex.exceptionHistory.entries.length).toBeGreaterThan(0);
      expect(server.requests.find((r) => r.url.includes('/exceptions'))?.url).toContain('maxExceptions=5');
      await job.checkpoints();
      await job.checkpointConfig();
      await job.config();
      expect((await job.plan()).plan.nodes.length).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });
});

describe('JobClient.result()', () => {
  it('resolves a FINISHED job with net runtime and readable accumulators', async () => {
    const done = recorded(V, 'job-execution-result-finished');
    const id = idFromPath(done);
    let polls = 0;
    server.use(
      http.get(`*/v1/jobs/${id}/execution-result`, () => (++polls < 3 ? HttpResponse.json({ status: { id: 'IN_PROGRESS' } }) : replay(done))),
      http.get(`*/v1/jobs/${id}/accumulators`, () => replay(recorded(V, 'job-accumulators'))),
    );
    const result = await cluster.job(id).result({ pollIntervalMs: 10 });
    expect(polls).toBe(3);
    const wire = (done.body as { 'job-execution-result': { 'net-runtime': number } })['job-execution-result'];
    expect(result).toMatchObject({ jobId: id, status: 'FINISHED', netRuntimeMs: wire['net-runtime'], applicationId: id });
    expect(result.accumulators.records).toEqual({ type: 'IntCounter', value: '1000' });
    expect(result.accumulatorNames.sort()).toEqual(['records', 'sum']);
  });

  it('rejects a FAILED job with JobFailedError naming the root cause', async () => {
    const failed = recorded(V, 'job-execution-result-failed');
    const id = idFromPath(failed);
    server.use(http.get(`*/v1/jobs/${id}/execution-result`, () => replay(failed)));
    const err = await cluster.job(id).result().catch((e) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect(err.status).toBe('FAILED');
    expect(err.rootCause).toContain('flink-client fixture failure');
    expect(err.exceptionClass).toBe('org.apache.flink.runtime.JobException');
    expect(err.message).toContain('flink-client fixture failure');
  });

  it('rejects a CANCELED job with JobFailedError', async () => {
    const canceled = recorded(V, 'job-execution-result-canceled');
    const id = idFromPath(canceled);
    server.use(http.get(`*/v1/jobs/${id}/execution-result`, () => replay(canceled)));
    const err = await cluster.job(id).result().catch((e) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect(err.status).toBe('CANCELED');
  });

  it('times out with the last state seen', async () => {
    const id = hexId();
    server.use(http.get(`*/v1/jobs/${id}/execution-result`, () => HttpResponse.json({ status: { id: 'IN_PROGRESS' } })));
    const err = await cluster.job(id).result({ timeoutMs: 150, pollIntervalMs: 20 }).catch((e) => e);
    expect(err).toBeInstanceOf(FlinkTimeoutError);
    expect(err.phase).toBe('wait');
    expect(err.lastValue).toEqual({ status: { id: 'IN_PROGRESS' } });
  });

  it('rides out a 503 during the wait', async () => {
    const done = recorded(V, 'job-execution-result-canceled');
    const id = idFromPath(done);
    let n = 0;
    server.use(http.get(`*/v1/jobs/${id}/execution-result`, () => (++n <= 2 ? new HttpResponse(null, { status: 503 }) : replay(done))));
    const quick = new ClusterClient({ url: server.url, maxRetries: 0 });
    try {
      await expect(quick.job(id).result({ pollIntervalMs: 10 })).rejects.toBeInstanceOf(JobFailedError);
    } finally {
      await quick.close();
    }
  });
});

describe('JobClient.waitFor()', () => {
  it('returns when the status matches', async () => {
    const id = hexId();
    const seq = ['CREATED', 'INITIALIZING', 'RUNNING'];
    server.use(http.get(`*/v1/jobs/${id}/status`, () => HttpResponse.json({ status: seq.shift() ?? 'RUNNING' })));
    expect(await cluster.job(id).waitFor('RUNNING', { pollIntervalMs: 10 })).toBe('RUNNING');
  });

  it('fails fast when a terminal status makes the target unreachable', async () => {
    const id = hexId();
    server.use(http.get(`*/v1/jobs/${id}/status`, () => HttpResponse.json({ status: 'FAILED' })));
    const err = await cluster.job(id).waitFor(['RUNNING', 'FINISHED'], { pollIntervalMs: 10 }).catch((e) => e);
    expect(err).toBeInstanceOf(UnreachableStateError);
    expect(err.state).toBe('FAILED');
  });

  it('accepts a predicate', async () => {
    const id = hexId();
    server.use(http.get(`*/v1/jobs/${id}/status`, () => HttpResponse.json({ status: 'CANCELED' })));
    expect(await cluster.job(id).waitFor((s) => s === 'CANCELED')).toBe('CANCELED');
  });
});

describe('JobClient.cancel()', () => {
  it('sends PATCH ?mode=cancel and resolves on 202', async () => {
    const ex = recorded(V, 'job-cancel');
    const id = idFromPath(ex);
    server.use(http.patch(`*/v1/jobs/${id}`, ({ request }) => (new URL(request.url).searchParams.get('mode') === 'cancel' ? replay(ex) : new HttpResponse(null, { status: 400 }))));
    await cluster.job(id).cancel();
    expect(server.requests[0]?.method).toBe('PATCH');
  });

  it('maps 409 (already FAILED) to FlinkConflictError and 404 to JobNotFoundError', async () => {
    const conflict = recorded(V, 'job-cancel-failed');
    const unknown = recorded(V, 'job-unknown-cancel');
    server.use(
      http.patch(`*/v1/jobs/${idFromPath(conflict)}`, () => replay(conflict)),
      http.patch(`*/v1/jobs/${idFromPath(unknown)}`, () => replay(unknown)),
    );
    const c = await cluster.job(idFromPath(conflict)).cancel().catch((e) => e);
    expect(c).toBeInstanceOf(FlinkConflictError);
    expect(c.message).toContain('already reached another terminal state (FAILED)');
    await expect(cluster.job(idFromPath(unknown)).cancel()).rejects.toBeInstanceOf(JobNotFoundError);
  });
});

describe('savepoints, stop and checkpoints', () => {
  it('triggerSavepoint sends kebab-case fields and a client trigger id, and result() gives the location', async () => {
    const id = hexId();
    let trigger: Record<string, unknown> = {};
    let polls = 0;
    server.use(
      http.post(`*/v1/jobs/${id}/savepoints`, async ({ request }) => {
        trigger = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json({ 'request-id': trigger.triggerId }, { status: 202 });
      }),
      http.get(`*/v1/jobs/${id}/savepoints/:trigger`, ({ params }) =>
        ++polls < 2 ? HttpResponse.json({ status: { id: 'IN_PROGRESS' } }) : params.trigger === trigger.triggerId ? HttpResponse.json({ status: { id: 'COMPLETED' }, operation: { location: 'file:/tmp/sp/savepoint-1' } }) : new HttpResponse(null, { status: 404 }),
      ),
    );
    const op = await cluster.job(id).triggerSavepoint({ targetDirectory: 'file:///tmp/sp', formatType: 'NATIVE' });
    expect(op).toBeInstanceOf(AsyncOperation);
    expect(trigger).toEqual({ 'target-directory': 'file:///tmp/sp', 'cancel-job': false, formatType: 'NATIVE', triggerId: op.triggerId });
    expect(op.kind).toBe('savepoint');
    expect(await op.status()).toEqual({ state: 'IN_PROGRESS' });
    expect(await op.result({ pollIntervalMs: 10 })).toBe('file:/tmp/sp/savepoint-1');
  });

  it('stopWithSavepoint sends camelCase fields and is polled on the savepoint route', async () => {
    const id = hexId();
    let body: Record<string, unknown> = {};
    server.use(
      http.post(`*/v1/jobs/${id}/stop`, async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json({ 'request-id': body.triggerId }, { status: 202 });
      }),
      http.get(`*/v1/jobs/${id}/savepoints/:trigger`, () => HttpResponse.json({ status: { id: 'COMPLETED' }, operation: { location: 'file:/sp/stop-1' } })),
    );
    const op = await cluster.job(id).stopWithSavepoint({ targetDirectory: 'file:///sp', drain: true });
    expect(body).toMatchObject({ targetDirectory: 'file:///sp', drain: true, triggerId: op.triggerId });
    expect(await op.result()).toBe('file:/sp/stop-1');
  });

  it('a failed savepoint rejects with OperationFailedError carrying the cause', async () => {
    const failed = recorded(V, 'savepoint-status-failed');
    const id = idFromPath(failed);
    const trigger = idFromPath(failed, 5);
    server.use(http.get(`*/v1/jobs/${id}/savepoints/${trigger}`, () => replay(failed)));
    const err = await cluster.job(id).savepointOperation(trigger).result().catch((e) => e);
    expect(err).toBeInstanceOf(OperationFailedError);
    expect(err.triggerId).toBe(trigger);
    const cause = (failed.body as { operation: { 'failure-cause': { 'stack-trace': string; class: string } } }).operation['failure-cause'];
    expect(err.stackTrace).toBe(cause['stack-trace']);
    expect(err.exceptionClass).toBe(cause.class);
    // The innermost cause names what went wrong; it is on the message too.
    expect(cause['stack-trace']).toContain(`Caused by: ${err.rootCause}`);
    expect(err.message).toContain(err.rootCause);
  });

  it('an unknown or expired trigger gives OperationNotFoundError', async () => {
    const unknown = recorded(V, 'savepoint-status-unknown-trigger');
    const id = idFromPath(unknown);
    const trigger = idFromPath(unknown, 5);
    server.use(http.get(`*/v1/jobs/${id}/savepoints/${trigger}`, () => replay(unknown)));
    const err = await cluster.job(id).savepointOperation(trigger).status().catch((e) => e);
    expect(err).toBeInstanceOf(OperationNotFoundError);
    expect(err.message).toContain('rest.async.store-duration');
  });

  it('triggerCheckpoint sends the type and resolves to the checkpoint id', async () => {
    const id = hexId();
    let body: Record<string, unknown> = {};
    server.use(
      http.post(`*/v1/jobs/${id}/checkpoints`, async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json({ 'request-id': body.triggerId }, { status: 202 });
      }),
      http.get(`*/v1/jobs/${id}/checkpoints/:trigger`, () => HttpResponse.json({ status: { id: 'COMPLETED' }, operation: { checkpointId: 42 } })),
    );
    const op = await cluster.job(id).triggerCheckpoint({ type: 'FULL' });
    expect(body).toEqual({ checkpointType: 'FULL', triggerId: op.triggerId });
    expect(await op.result()).toBe(42);
  });

  it('rejects bad trigger ids and option values before sending', async () => {
    const job = cluster.job(hexId());
    await expect(job.triggerSavepoint({ triggerId: 'nope' })).rejects.toBeInstanceOf(FlinkArgumentError);
    await expect(job.triggerSavepoint({ formatType: 'ZIP' as never })).rejects.toBeInstanceOf(FlinkArgumentError);
    await expect(job.triggerCheckpoint({ type: 'HALF' as never })).rejects.toBeInstanceOf(FlinkArgumentError);
    expect(() => job.savepointOperation('x')).toThrow(FlinkArgumentError);
    expect(server.requests).toHaveLength(0);
  });

  it('disposeSavepoint sends the path and polls the disposal', async () => {
    let body: Record<string, unknown> = {};
    server.use(
      http.post('*/v1/savepoint-disposal', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json({ 'request-id': body.triggerId });
      }),
      http.get('*/v1/savepoint-disposal/:trigger', () => HttpResponse.json({ status: { id: 'COMPLETED' }, operation: {} })),
    );
    const op = await cluster.disposeSavepoint('file:/sp/savepoint-1');
    expect(body).toEqual({ 'savepoint-path': 'file:/sp/savepoint-1', triggerId: op.triggerId });
    await expect(op.result()).resolves.toBeUndefined();
  });

  it('a failed disposal rejects with OperationFailedError', async () => {
    const failed = recorded(V, 'savepoint-disposal-status-failed');
    const trigger = idFromPath(failed, 3);
    server.use(http.get(`*/v1/savepoint-disposal/${trigger}`, () => replay(failed)));
    const err = await cluster.savepointDisposalOperation(trigger).result().catch((e) => e);
    expect(err).toBeInstanceOf(OperationFailedError);
    expect(err.rootCause).toContain('no-such-savepoint');
  });
});

describe('rescaling', () => {
  it('rescale({ parallelism }) reads the requirements and puts new bounds for every vertex', async () => {
    const id = hexId();
    const v1 = hexId();
    const v2 = hexId();
    let put: unknown;
    server.use(
      http.get(`*/v1/jobs/${id}/resource-requirements`, () => HttpResponse.json({ [v1]: { parallelism: { lowerBound: 1, upperBound: 2 } }, [v2]: { parallelism: { lowerBound: 1, upperBound: 2 } } })),
      http.put(`*/v1/jobs/${id}/resource-requirements`, async ({ request }) => {
        put = await request.json();
        return HttpResponse.json({});
      }),
    );
    await cluster.job(id).rescale({ parallelism: 4 });
    expect(put).toEqual({ [v1]: { parallelism: { lowerBound: 1, upperBound: 4 } }, [v2]: { parallelism: { lowerBound: 1, upperBound: 4 } } });
  });

  it('surfaces the default scheduler refusing to rescale as a FlinkServerError', async () => {
    const ex = recorded(V, 'job-resource-requirements');
    const id = idFromPath(ex);
    server.use(http.get(`*/v1/jobs/${id}/resource-requirements`, () => replay(ex)));
    const err = await cluster.job(id).rescale({ parallelism: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(FlinkServerError);
    expect(err.message).toContain('AdaptiveScheduler');
  });

  it('rejects invalid parallelism before sending', async () => {
    await expect(cluster.job(hexId()).rescale({ parallelism: 0 })).rejects.toBeInstanceOf(FlinkArgumentError);
    await expect(cluster.job(hexId()).rescale({ [hexId()]: { parallelism: { lowerBound: 3, upperBound: 2 } } })).rejects.toBeInstanceOf(FlinkArgumentError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('jars', () => {
  it('runJar sends a client-chosen job id and returns a handle on that job', async () => {
    const ex = recorded(V, 'jars-run-bounded');
    const jarId = ex.request.path.split('/')[3] as string;
    let body: Record<string, unknown> = {};
    server.use(
      http.post('*/v1/jars/:jar/run', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json({ jobid: body.jobId, applicationId: body.jobId });
      }),
    );
    const job = await cluster.runJar(jarId, { args: ['--n', '1000'], parallelism: 2, configuration: { 'pipeline.name': 'x' } });
    expect(body).toMatchObject({ programArgsList: ['--n', '1000'], parallelism: 2, flinkConfiguration: { 'pipeline.name': 'x' } });
    expect(body.jobId).toMatch(/^[0-9a-f]{32}$/);
    expect(job.jobId).toBe(body.jobId);
  });

  it('a retried run that finds its own job already submitted resolves with that job', async () => {
    const duplicate = recorded(V, 'jars-run-duplicate-job-id');
    let calls = 0;
    server.use(http.post('*/v1/jars/:jar/run', () => (++calls === 1 ? new HttpResponse(null, { status: 503 }) : replay(duplicate))));
    const jobId = hexId();
    const job = await cluster.runJar('abc_job.jar', { jobId });
    expect(job.jobId).toBe(jobId);
    expect(calls).toBe(2);
  });

  it('a first attempt that collides with an existing job is an error', async () => {
    const duplicate = recorded(V, 'jars-run-duplicate-job-id');
    server.use(http.post('*/v1/jars/:jar/run', () => replay(duplicate)));
    const err = await cluster.runJar('abc_job.jar', { jobId: hexId() }).catch((e) => e);
    expect(err).toBeInstanceOf(FlinkBadRequestError);
    expect(err.errors[0]).toMatch(/Duplicate(Job|Application)SubmissionException/);
  });

  it('an unknown jar is JarNotFoundError even though Flink answers 500', async () => {
    const ex = recorded(V, 'jars-run-unknown-jar');
    server.use(http.post('*/v1/jars/:jar/run', () => replay(ex)));
    const err = await cluster.runJar('fd87273a8c3c6e5101d5643707a302a1_nope.jar').catch((e) => e);
    expect(err).toBeInstanceOf(JarNotFoundError);
    expect(err.jarId).toBe('fd87273a8c3c6e5101d5643707a302a1_nope.jar');
  });

  it('listJars, planJar and deleteJar', async () => {
    const list = recorded(V, 'jars-list');
    const plan = recorded(V, 'jars-plan-post');
    server.use(
      http.get('*/v1/jars', () => replay(list)),
      http.post('*/v1/jars/:jar/plan', () => replay(plan)),
      http.delete('*/v1/jars/:jar', () => HttpResponse.json({})),
    );
    const jars = await cluster.listJars();
    expect(jars.files.length).toBeGreaterThan(0);
    const first = jars.files[0]?.id as string;
    expect((await cluster.planJar(first, { parallelism: 1 })).plan.nodes.length).toBeGreaterThan(0);
    await cluster.deleteJar(first);
    expect(server.requests.at(-1)?.method).toBe('DELETE');
    expect(() => cluster.deleteJar('../../etc')).rejects.toBeInstanceOf(FlinkArgumentError);
  });
});

describe('cluster-level reads', () => {
  it('overview, config, version (cached), listJobs, jobManagerConfig, taskManagers', async () => {
    server.use(
      http.get('*/v1/overview', () => replay(recorded(V, 'overview'))),
      http.get('*/v1/config', () => replay(recorded(V, 'config'))),
      http.get('*/v1/jobs/overview', () => replay(recorded(V, 'jobs-overview-mixed'))),
      http.get('*/v1/jobmanager/config', () => replay(recorded(V, 'jobmanager-config'))),
      http.get('*/v1/taskmanagers', () => replay(recorded(V, 'taskmanagers'))),
    );
    const c = new ClusterClient({ url: server.url, validation: 'strict' });
    try {
      expect((await c.overview())['flink-version']).toBe('2.3.0');
      expect(await c.flinkVersion()).toBe('2.3.0');
      expect(await c.flinkVersion()).toBe('2.3.0');
      expect(server.requests.filter((r) => r.url.endsWith('/config'))).toHaveLength(1);
      const jobs = await c.listJobs();
      expect(jobs.length).toBeGreaterThan(0);
      expect(jobs[0]?.jid).toMatch(/^[0-9a-f]{32}$/);
      expect((await c.jobManagerConfig()).some((e) => e.key === 'rest.port' || e.key.startsWith('jobmanager.'))).toBe(true);
      expect((await c.taskManagers()).taskmanagers.length).toBeGreaterThan(0);
    } finally {
      await c.close();
    }
  });
});
