import { describe, expect } from 'vitest';
import { type ApplicationClient, ApplicationFailedError, ApplicationNotFoundError, FlinkConflictError } from 'flink-client';
import { hexId } from '../support/ids.js';
import { contractSuite, contractVersions, hasApplications } from './contract.js';
import type { ContractTarget } from './targets.js';
import { causedBy, errorSummary, eventually, FAST_POLL, followApplication, followJob, keyPaths, normalizeText, outcome, sequence } from './observe.js';

// FLIP-549 applications (Flink 2.3): run-application, application state sequences, exceptions,
// cancel, the terminate-on-job-failure flag and the not-found answers.

/** Application states a 20-50 ms poller may miss: CREATED lasts ~1 ms, FAILING ~10-30 ms. */
const MISSABLE_APPLICATION_STATES = ['CREATED', 'FAILING'];

/** The outcome of `result()`: the final status, whether it resolved or threw ApplicationFailedError. */
async function finalStatus(app: ApplicationClient): Promise<string> {
  return app.result(FAST_POLL).then(
    (d) => d.status,
    (e: unknown) => {
      if (e instanceof ApplicationFailedError) return e.status;
      throw e;
    },
  );
}

async function exceptionsOf(app: ApplicationClient) {
  const history = await app.exceptions();
  return {
    keys: keyPaths(history),
    entries: history.exceptionHistory.entries.map((e) => ({
      exceptionName: e.exceptionName,
      head: normalizeText(e.stacktrace.split('\n')[0] ?? ''),
      causes: causedBy(e.stacktrace),
      hasJobId: e.jobId !== undefined,
    })),
  };
}

async function cancelTerminal(t: ContractTarget, app: ApplicationClient) {
  return { raw: errorSummary(await t.raw('POST', `/v1/applications/${app.applicationId}/cancel`)), sdk: await outcome(app.cancel()) };
}

describe.each(contractVersions().filter(hasApplications))('contract: applications on Flink %s', (version) => {
  const suite = contractSuite(version);

  suite.scenario('TwoJobsMain: RUNNING → FINISHED with two FINISHED jobs; cancel of a FINISHED application → 404', async (t) => {
    const c = t.client;
    const app = await c.runApplication(await t.jar('twoJobs'));
    const seen = await followApplication(app);
    const final = await app.result(FAST_POLL);
    const [details, overview, jobs] = await Promise.all([t.raw('GET', `/v1/applications/${app.applicationId}`), t.raw('GET', '/v1/applications/overview'), app.jobs()]);
    const entry = (overview.body as { applications: Array<{ id: string }> }).applications.find((a) => a.id === app.applicationId);
    const cancel = await cancelTerminal(t, app);
    expect(final.status).toBe('FINISHED');
    expect(final.jobs).toHaveLength(2);
    expect(cancel.raw.status).toBe(404);
    expect(cancel.sdk.error).toBe(FlinkConflictError.name);
    return {
      sequence: sequence(seen, MISSABLE_APPLICATION_STATES),
      final: { status: final.status, name: final.name, emulated: final.emulated, reached: Object.keys(final.timestamps).sort() },
      jobs: final.jobs.map((j) => ({ name: j.name, state: j.state })).sort((a, b) => a.name.localeCompare(b.name)),
      jobsBelongToIt: (await Promise.all(jobs.map((j) => j.applicationId()))).every((id) => id === app.applicationId),
      detailsKeys: keyPaths(details.body),
      overviewEntry: { keys: keyPaths(entry, { opaque: ['jobs'] }), jobs: (entry as { jobs?: unknown } | undefined)?.jobs },
      exceptions: await exceptionsOf(app),
      cancel,
    };
  });

  suite.scenario('ThrowingMain: → FAILED, the exception of main() in exceptions(); NoExecuteMain: → FINISHED without jobs', async (t) => {
    const c = t.client;
    const [throwingJar, noExecuteJar] = await Promise.all([t.jar('throwing'), t.jar('noExecute')]);
    const throwing = await c.runApplication(throwingJar);
    const noExecute = await c.runApplication(noExecuteJar);
    const [throwingSeen, noExecuteSeen] = await Promise.all([followApplication(throwing), followApplication(noExecute)]);
    const err = await throwing.result(FAST_POLL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailedError);
    expect((err as ApplicationFailedError).rootCause?.message).toContain('main() threw before submitting a job');
    const noExecuteFinal = await noExecute.result(FAST_POLL);
    expect(noExecuteFinal.jobs).toHaveLength(0);
    return {
      throwing: {
        sequence: sequence(throwingSeen, MISSABLE_APPLICATION_STATES),
        error: { status: (err as ApplicationFailedError).status, code: (err as ApplicationFailedError).code, rootCause: (err as ApplicationFailedError).rootCause },
        exceptions: await exceptionsOf(throwing),
        jobs: (await throwing.describe()).jobs.length,
        cancel: await cancelTerminal(t, throwing),
      },
      noExecute: {
        sequence: sequence(noExecuteSeen, MISSABLE_APPLICATION_STATES),
        status: noExecuteFinal.status,
        jobs: noExecuteFinal.jobs.length,
        exceptions: await exceptionsOf(noExecute),
      },
    };
  });

  suite.scenario('cancel a running application: (CANCELING →) CANCELED, its job CANCELED; cancel again (Flink: 404) is accepted', async (t) => {
    const c = t.client;
    const app = await c.runApplication(await t.jar('streaming'), { args: ['--rate', '20'] });
    const startSeen = await followApplication(app, (s) => s === 'RUNNING');
    const [job] = await eventually(() => app.jobs(), (jobs) => jobs.length > 0, 60_000, 'the application submitted its job');
    if (!job) throw new Error('no job');
    const jobSeen = await followJob(job, (s) => s === 'RUNNING');
    await app.cancel();
    const cancelSeen = await followApplication(app);
    // CANCELING lasts until the application's next poll of its job's status (client.retry-period,
    // 2 s): on a real cluster anywhere from a few ms to 2 s, so a poller may miss it.
    expect(cancelSeen.at(-1)).toBe('CANCELED');
    expect(cancelSeen.every((s) => s === 'CANCELING' || s === 'CANCELED')).toBe(true);
    const jobFinal = await job.status();
    const again = await t.raw('POST', `/v1/applications/${app.applicationId}/cancel`);
    const sdkAgain = await outcome(app.cancel());
    const result = await outcome(app.result(FAST_POLL), ['status', 'code']);
    return {
      start: sequence(startSeen, MISSABLE_APPLICATION_STATES),
      job: { start: sequence(jobSeen), final: jobFinal },
      cancel: sequence(cancelSeen, [...MISSABLE_APPLICATION_STATES, 'CANCELING']),
      again: errorSummary(again),
      sdkAgain,
      result,
      exceptions: await exceptionsOf(app),
    };
  });

  suite.scenario('FailingJob with terminate-on-any-job-failure true → FAILED, false → FINISHED (its job CANCELED)', async (t) => {
    const c = t.client;
    const jarId = await t.jar('failing');
    const run = async (flag: string) => {
      const app = await c.runApplication(jarId, { configuration: { 'execution.terminate-application-on-any-job-terminated-exceptionally': flag } });
      const seen = await followApplication(app);
      const status = await finalStatus(app);
      const d = await app.describe();
      return { sequence: sequence(seen, MISSABLE_APPLICATION_STATES), status, jobs: d.jobs.map((j) => j.state), exceptions: await exceptionsOf(app) };
    };
    const [onTrue, onFalse] = await Promise.all([run('true'), run('false')]);
    expect([onTrue.status, onFalse.status]).toEqual(['FAILED', 'FINISHED']);
    return { true: onTrue, false: onFalse };
  });

  suite.scenario('unknown application → 500 (ApplicationNotFoundError), cancel → 404; duplicate applicationId → 400', async (t) => {
    const c = t.client;
    const ghostId = hexId();
    const ghost = c.application(ghostId);
    const raw = await Promise.all([
      t.raw('GET', `/v1/applications/${ghostId}`),
      t.raw('GET', `/v1/applications/${ghostId}/exceptions`),
      t.raw('POST', `/v1/applications/${ghostId}/cancel`),
    ]);
    const config = await t.raw('GET', `/v1/applications/${ghostId}/jobmanager/config`);
    const sdk = {
      status: await outcome(ghost.status()),
      describe: await outcome(ghost.describe()),
      exceptions: await outcome(ghost.exceptions()),
      cancel: await outcome(ghost.cancel()),
      result: await outcome(ghost.result(FAST_POLL)),
    };
    expect(sdk.status.error).toBe(ApplicationNotFoundError.name);
    expect(raw.map((a) => a.status)).toEqual([500, 500, 404]);
    const jarId = await t.jar('noExecute');
    const applicationId = hexId();
    await c.runApplication(jarId, { applicationId });
    const duplicate = await t.raw('POST', `/v1/jars/${jarId}/run-application`, { applicationId });
    const unknownJar = await t.raw('POST', `/v1/jars/${hexId()}_nope.jar/run-application`, {});
    return {
      raw: raw.map(errorSummary),
      config: { status: config.status, hasRestPort: Array.isArray(config.body) && config.body.some((e: { key?: string }) => e.key === 'rest.port') },
      sdk,
      duplicate: errorSummary(duplicate),
      unknownJar: errorSummary(unknownJar),
    };
  });

  suite.scenario('a /jars/:id/run job is a single-job application with the job id', async (t) => {
    const c = t.client;
    const job = await c.runJar(await t.jar('bounded'));
    const app = c.application(job.jobId);
    const seen = await followApplication(app);
    const d = await app.describe();
    const details = await t.raw('GET', `/v1/jobs/${job.jobId}`);
    return {
      sequence: sequence(seen, MISSABLE_APPLICATION_STATES),
      name: normalizeText(d.name),
      jobs: d.jobs.map((j) => ({ sameId: j.jid === job.jobId, state: j.state })),
      applicationIdOfJob: (details.body as Record<string, unknown>)['application-id'] === job.jobId,
      cancelFinished: errorSummary(await t.raw('POST', `/v1/applications/${job.jobId}/cancel`)),
    };
  });
});
