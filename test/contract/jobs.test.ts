import { describe, expect } from 'vitest';
import { FlinkBadRequestError, FlinkConflictError, JobFailedError } from 'flink-client';
import { hexId } from '../support/ids.js';
import { contractSuite, contractVersions } from './contract.js';
import type { RawAnswer } from './targets.js';
import { causedBy, errorSummary, FAST_POLL, followJob, keyPaths, MISSABLE_JOB_STATES, normalizeText, outcome, sequence } from './observe.js';

// Bounded and failing jobs, duplicate submissions and main() failures on /jars/:id/run: real
// Flink and the simulator compared on state sequences, results, error bodies and body shapes.

describe.each(contractVersions())('contract: jobs on Flink %s', (version) => {
  const suite = contractSuite(version);

  suite.scenario('bounded job: RUNNING → FINISHED, result() with accumulators records=1000, sum=500500', async (t) => {
    const c = t.client;
    const job = await c.runJar(await t.jar('bounded'), { parallelism: 2, configuration: { 'flink-client.contract.marker': 'bounded' } });
    const seen = await followJob(job);
    const result = await job.result(FAST_POLL);
    expect(result.status).toBe('FINISHED');
    expect(result.accumulators).toEqual({ records: { type: 'IntCounter', value: '1000' }, sum: { type: 'LongCounter', value: '500500' } });
    expect(result.netRuntimeMs).toBeGreaterThan(0);
    const details = await job.describe();
    const [executionResult, rawDetails, accumulators, exceptions, config, plan, checkpoints] = await Promise.all([
      t.raw('GET', `/v1/jobs/${job.jobId}/execution-result`),
      t.raw('GET', `/v1/jobs/${job.jobId}`),
      job.accumulators(),
      t.raw('GET', `/v1/jobs/${job.jobId}/exceptions`),
      t.raw('GET', `/v1/jobs/${job.jobId}/config`),
      job.plan(),
      job.checkpoints(),
    ]);
    const jobManagerConfig = await t.raw('GET', `/v1/jobs/${job.jobId}/jobmanager/config`);
    const cancelFinished = await t.raw('PATCH', `/v1/jobs/${job.jobId}?mode=cancel`);
    const sdkCancel = await job.cancel().catch((e: unknown) => e);
    expect(sdkCancel).toBeInstanceOf(FlinkConflictError);
    const wire = (executionResult.body as { 'job-execution-result': Record<string, unknown> })['job-execution-result'];
    return {
      sequence: sequence(seen),
      result: {
        status: result.status,
        accumulators: result.accumulators,
        accumulatorNames: [...result.accumulatorNames].sort(),
        applicationId: result.applicationId === undefined ? 'absent' : result.applicationId === job.jobId ? 'the job id' : 'another id',
      },
      executionResult: {
        keys: keyPaths(executionResult.body, { opaque: ['job-execution-result.accumulator-results'] }),
        applicationStatus: wire['application-status'],
        name: wire.name,
      },
      details: {
        name: details.name,
        state: details.state,
        jobType: details['job-type'],
        vertices: details.vertices.map((v) => ({ id: v.id, name: v.name, parallelism: v.parallelism, status: v.status })),
        keys: keyPaths(rawDetails.body),
      },
      accumulators: { user: accumulators['user-task-accumulators'], job: accumulators['job-accumulators'], keys: keyPaths(accumulators) },
      exceptions: { keys: keyPaths(exceptions.body), body: exceptions.body },
      configKeys: keyPaths(config.body),
      jobManagerConfig: {
        status: jobManagerConfig.status,
        // Does the run's flinkConfiguration show up in the job's JobManager configuration?
        marker: (jobManagerConfig.body as Array<{ key: string; value: string }>).find((e) => e.key === 'flink-client.contract.marker')?.value ?? 'absent',
      },
      plan: plan.plan.nodes.map((n) => ({ id: n.id, parallelism: n.parallelism })),
      checkpointCounts: checkpoints.counts,
      cancelFinished: errorSummary(cancelFinished),
      sdkCancel: (sdkCancel as FlinkConflictError).status,
    };
  });

  suite.scenario('failing job: → FAILED, JobFailedError naming `flink-client fixture failure`, exceptions() with the cause', async (t) => {
    const c = t.client;
    const job = await c.runJar(await t.jar('failing'));
    const seen = await followJob(job);
    const err = await job.result(FAST_POLL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    const failed = err as JobFailedError;
    expect(failed.rootCause).toEqual({ className: 'java.lang.IllegalStateException', message: 'flink-client fixture failure' });
    expect(failed.message).toContain('flink-client fixture failure');
    const [executionResult, exceptions, accumulators] = await Promise.all([t.raw('GET', `/v1/jobs/${job.jobId}/execution-result`), job.exceptions(), job.accumulators()]);
    const cancelFailed = await t.raw('PATCH', `/v1/jobs/${job.jobId}?mode=cancel`);
    const wire = (executionResult.body as { 'job-execution-result': { 'failure-cause': { class: string; 'stack-trace': string }; 'application-status': string } })['job-execution-result'];
    return {
      sequence: sequence(seen),
      error: { name: failed.constructor.name, code: failed.code, status: failed.status, exceptionClass: failed.exceptionClass, rootCause: failed.rootCause },
      executionResult: {
        keys: keyPaths(executionResult.body, { opaque: ['job-execution-result.accumulator-results'] }),
        applicationStatus: wire['application-status'],
        failureClass: wire['failure-cause'].class,
        failureCauses: causedBy(wire['failure-cause']['stack-trace']),
      },
      exceptions: {
        keys: keyPaths(exceptions),
        truncated: exceptions.exceptionHistory.truncated,
        entries: exceptions.exceptionHistory.entries.map((e) => ({
          exceptionName: e.exceptionName,
          head: normalizeText(e.stacktrace.split('\n')[0] ?? ''),
          causes: causedBy(e.stacktrace),
          concurrent: (e.concurrentExceptions ?? []).map((x) => ({ exceptionName: x.exceptionName, causes: causedBy(x.stacktrace) })),
        })),
      },
      accumulators: accumulators['user-task-accumulators'],
      cancelFailed: errorSummary(cancelFailed),
    };
  });

  suite.scenario('duplicate jobId on /jars/:id/run → 400 Duplicate…SubmissionException, one job', async (t) => {
    const c = t.client;
    const jarId = await t.jar('bounded');
    const jobId = hexId();
    const job = await c.runJar(jarId, { jobId });
    const again = await t.raw('POST', `/v1/jars/${jarId}/run`, { jobId });
    const sdkAgain = await c.runJar(jarId, { jobId }).catch((e: unknown) => e);
    expect(sdkAgain).toBeInstanceOf(FlinkBadRequestError);
    expect((sdkAgain as FlinkBadRequestError).errors.join('\n')).toMatch(/Duplicate(Job|Application)SubmissionException/);
    expect(again.status).toBe(400);
    expect(errorSummary(again).errors[0]?.causes.some((c) => /Duplicate(Job|Application)SubmissionException$/.test(c))).toBe(true);
    await job.waitFor('FINISHED', FAST_POLL);
    const afterFinish = await t.raw('POST', `/v1/jars/${jarId}/run`, { jobId });
    // A main() with two execute() calls under one fixed job id: the second collides with the first.
    const twoJobsId = hexId();
    const submittedAt = Date.now();
    const twoJobs = await t.raw('POST', `/v1/jars/${await t.jar('twoJobs')}/run`, { jobId: twoJobsId });
    // Whatever the answer, the first job runs; once it is over, a second job would have started.
    // The first job is short: whether a poll catches it RUNNING (or only FINISHED) depends on
    // timing on the real cluster too (seen both ways on 1.20.5 under load), so RUNNING is missable here.
    const firstOfTwo = sequence(await followJob(c.job(twoJobsId)), [...MISSABLE_JOB_STATES, 'RUNNING']);
    const listed = await c.listJobs();
    const jobs = listed.filter((j) => j.jid === jobId);
    const twoJobsJobs = listed.filter((j) => j.jid === twoJobsId || (j.name === 'flink-client-fixture-two-jobs-2' && j['start-time'] >= submittedAt)).map((j) => j.name);
    return {
      again: errorSummary(again),
      sdkAgain: (sdkAgain as FlinkBadRequestError).status,
      afterFinish: errorSummary(afterFinish),
      twoJobsFixedId: {
        answer: twoJobs.status === 200 ? { status: 200, keys: keyPaths(twoJobs.body) } : errorSummary(twoJobs),
        firstJob: firstOfTwo,
        jobs: twoJobsJobs,
      },
      jobsWithTheId: jobs.map((j) => j.state),
    };
  });

  suite.scenario('web.refresh-interval: a job read while RUNNING is served from the 3 s cache after it ended; /status, /execution-result and /jobs/overview are fresh', async (t) => {
    const c = t.client;
    const job = await c.runJar(await t.jar('bounded'));
    const firstRead = Date.now();
    const [before, accumulatorsBefore] = await Promise.all([t.raw('GET', `/v1/jobs/${job.jobId}`), t.raw('GET', `/v1/jobs/${job.jobId}/accumulators`)]);
    await followJob(job);
    // Right after the end, well within the 3 s refresh interval of the first read.
    const [details, accumulators, exceptions, plan, executionResult, overview] = await Promise.all([
      t.raw('GET', `/v1/jobs/${job.jobId}`),
      t.raw('GET', `/v1/jobs/${job.jobId}/accumulators`),
      t.raw('GET', `/v1/jobs/${job.jobId}/exceptions`),
      t.raw('GET', `/v1/jobs/${job.jobId}/plan`),
      t.raw('GET', `/v1/jobs/${job.jobId}/execution-result`),
      c.listJobs(),
    ]);
    const userOf = (a: RawAnswer) => (a.body as { 'user-task-accumulators': Array<{ name: string; value: string }> })['user-task-accumulators'];
    // Once the cached graph expired (3 s after the first read), the final values are there.
    await new Promise((r) => setTimeout(r, Math.max(0, firstRead + 3_300 - Date.now())));
    const expired = await Promise.all([t.raw('GET', `/v1/jobs/${job.jobId}`), t.raw('GET', `/v1/jobs/${job.jobId}/accumulators`)]);
    return {
      readWhileRunning: (before.body as { state: string }).state,
      accumulatorsWhileRunning: userOf(accumulatorsBefore),
      detailsAfterEnd: (details.body as { state: string }).state,
      accumulatorsAfterEnd: userOf(accumulators),
      afterExpiry: { details: (expired[0].body as { state: string }).state, accumulators: userOf(expired[1]) },
      exceptionsStatus: exceptions.status,
      planStatus: plan.status,
      executionResult: (executionResult.body as { status: { id: string } }).status.id,
      overview: overview.find((j) => j.jid === job.jobId)?.state,
    };
  });

  suite.scenario('main() failures on /jars/:id/run: ThrowingMain, NoExecuteMain, a missing savepoint → 400', async (t) => {
    const [throwing, noExecute, streaming] = await Promise.all([t.jar('throwing'), t.jar('noExecute'), t.jar('bounded')]);
    const missing = `${t.scratchDir('missing')}/savepoint-000000-000000000000`;
    const answers = await Promise.all([
      t.raw('POST', `/v1/jars/${throwing}/run`, {}),
      t.raw('POST', `/v1/jars/${noExecute}/run`, {}),
      t.raw('POST', `/v1/jars/${streaming}/run`, { savepointPath: missing }),
      t.raw('POST', `/v1/jars/${streaming}/run`, { entryClass: 'flinkclient.fixtures.NoSuchClass' }),
      t.raw('POST', `/v1/jars/${streaming}/run`, { jobId: 'xyz' }),
    ]);
    const sdk = await outcome(t.client.runJar(throwing), ['status']);
    return { answers: answers.map(errorSummary), sdk };
  });
});
