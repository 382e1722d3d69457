import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ClusterClient,
  FlinkArgumentError,
  FlinkBadRequestError,
  FlinkConflictError,
  FlinkServerError,
  JarNotFoundError,
  JobFailedError,
  JobNotFoundError,
  OperationFailedError,
  OperationNotFoundError,
} from 'flink-client';
import { hexId } from '../support/ids.js';
import { type MswServer, startMswServer } from '../support/msw-server.js';
import { idFromPath, recorded, type RecordedExchange } from '../support/recorded.js';

// The JobClient against recorded Flink answers: exact wire mappings (recorded bodies → typed
// results and errors, message formats) and checks made before sending. Flows that depend on
// cluster state (result polling, waitFor, savepoints, stop, checkpoints, disposal, rescaling, jar
// runs) run against the Flink simulator in job-simulator.test.ts.

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
  it('rejects a FAILED job with JobFailedError naming the root cause', async () => {
    const failed = recorded(V, 'job-execution-result-failed');
    const id = idFromPath(failed);
    server.use(http.get(`*/v1/jobs/${id}/execution-result`, () => replay(failed)));
    const err = await cluster.job(id).result().catch((e) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect(err.status).toBe('FAILED');
    expect(err.rootCause?.message).toContain('flink-client fixture failure');
    expect(err.exceptionClass).toBe(err.rootCause?.className);
    expect(err.exceptionClass).not.toBe('org.apache.flink.runtime.JobException');
    expect(err.message).toContain('flink-client fixture failure');
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
    // The innermost cause names what went wrong, not the CompletionException wrapping it; it is on the message too.
    expect(cause.class).toBe('java.util.concurrent.CompletionException');
    expect(err.exceptionClass).not.toBe(cause.class);
    expect(cause['stack-trace']).toContain(`Caused by: ${err.rootCause.className}: ${err.rootCause.message}`);
    expect(err.message).toContain(err.rootCause.message);
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

  it('rejects bad trigger ids and option values before sending', async () => {
    const job = cluster.job(hexId());
    await expect(job.triggerSavepoint({ triggerId: 'nope' })).rejects.toBeInstanceOf(FlinkArgumentError);
    await expect(job.triggerSavepoint({ formatType: 'ZIP' as never })).rejects.toBeInstanceOf(FlinkArgumentError);
    await expect(job.triggerCheckpoint({ type: 'HALF' as never })).rejects.toBeInstanceOf(FlinkArgumentError);
    expect(() => job.savepointOperation('x')).toThrow(FlinkArgumentError);
    expect(server.requests).toHaveLength(0);
  });

  it('a failed disposal rejects with OperationFailedError', async () => {
    const failed = recorded(V, 'savepoint-disposal-status-failed');
    const trigger = idFromPath(failed, 3);
    server.use(http.get(`*/v1/savepoint-disposal/${trigger}`, () => replay(failed)));
    const err = await cluster.savepointDisposalOperation(trigger).result().catch((e) => e);
    expect(err).toBeInstanceOf(OperationFailedError);
    expect(err.rootCause?.message).toContain('no-such-savepoint');
  });
});

describe('rescaling', () => {
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
      expect((await c.listTaskManagers()).length).toBeGreaterThan(0);
    } finally {
      await c.close();
    }
  });
});
