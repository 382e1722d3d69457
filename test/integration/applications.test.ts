import { describe, expect, it } from 'vitest';
import {
  type ApplicationStatus,
  ApplicationFailedError,
  ApplicationNotFoundError,
  ApplicationStuckError,
  FlinkConflictError,
  UnsupportedFeatureError,
} from 'flink-client';
import { hexId } from '../support/ids.js';
import { atLeast, eventually, realClusters, sharedCluster } from './support.js';

const clusters = realClusters();
const native = clusters.filter((c) => atLeast(c.version, '2.3.0'));
const older = clusters.filter((c) => !atLeast(c.version, '2.3.0'));

describe.each(native)('applications (FLIP-549) against real Flink $version', (flink) => {
  const { cluster, jarIds: jar } = sharedCluster(flink, ['twoJobs', 'throwing', 'noExecute', 'streaming', 'failing']);

  it('a main() running two jobs ends FINISHED with both jobs', async () => {
    const app = await cluster.runApplication(jar.twoJobs as string);
    const final = await app.result({ timeoutMs: 120_000 });
    expect(final.status).toBe('FINISHED');
    expect(final.emulated).toBe(false);
    expect(final.jobs.map((j) => j.name).sort()).toEqual(['flink-client-fixture-two-jobs-1', 'flink-client-fixture-two-jobs-2']);
    expect(final.jobs.every((j) => j.state === 'FINISHED')).toBe(true);
    expect(final.timestamps.RUNNING).toBeLessThanOrEqual(final.timestamps.FINISHED as number);
    const jobs = await app.jobs();
    expect(await jobs[0]?.applicationId()).toBe(app.applicationId);
    expect((await cluster.listApplications()).find((a) => a.applicationId === app.applicationId)?.status).toBe('FINISHED');
    // Flink answers 404 for cancelling a finished application; the SDK reports the conflict.
    await expect(app.cancel()).rejects.toBeInstanceOf(FlinkConflictError);
  });

  it('a main() that throws ends FAILED and its exception is in exceptions()', async () => {
    const app = await cluster.runApplication(jar.throwing as string);
    const err = await app.result({ timeoutMs: 60_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(ApplicationFailedError);
    expect(err.status).toBe('FAILED');
    expect(err.rootCause?.message).toContain('main() threw before submitting a job');
    const history = await app.exceptions();
    expect(history.exceptionHistory.entries[0]?.stacktrace).toContain('java.lang.IllegalArgumentException');
    expect(history.exceptionHistory.entries[0]?.jobId).toBeUndefined();
  });

  it('a main() with no execute() ends without jobs (FINISHED on Flink 2.3.0, not FAILED as its code suggests)', async () => {
    const app = await cluster.runApplication(jar.noExecute as string);
    const state = await app.waitFor((s) => s === 'FINISHED' || s === 'FAILED', { timeoutMs: 60_000 });
    expect(state).toBe('FINISHED');
    expect((await app.describe()).jobs).toHaveLength(0);
  });

  it('cancelling a running application moves it through CANCELING to CANCELED and cancels its job', async () => {
    const app = await cluster.runApplication(jar.streaming as string, { args: ['--rate', '20'] });
    await app.waitFor('RUNNING', { timeoutMs: 60_000 });
    const [job] = await waitForJobs(app, 1);
    await job?.waitFor('RUNNING', { timeoutMs: 60_000 });
    const seen: ApplicationStatus[] = [];
    await app.cancel();
    await app.waitFor(
      (s) => {
        if (seen.at(-1) !== s) seen.push(s);
        return s === 'CANCELED';
      },
      { timeoutMs: 60_000, pollIntervalMs: 20, maxPollIntervalMs: 50 },
    );
    // CANCELING can last from a few ms to ~2 s on a real cluster, so a poller may miss it; the
    // application's own timestamps show it passed through.
    expect(seen.every((s) => s === 'CANCELING' || s === 'CANCELED' || s === 'RUNNING')).toBe(true);
    expect(seen.at(-1)).toBe('CANCELED');
    const { timestamps } = await app.describe();
    expect(timestamps.CANCELING).toBeGreaterThan(0);
    expect(timestamps.CANCELING).toBeLessThanOrEqual(timestamps.CANCELED as number);
    expect(await job?.status()).toBe('CANCELED');
    // A second cancel of a CANCELED application is accepted (Flink itself answers 404).
    await app.cancel();
    await expect(app.result()).rejects.toMatchObject({ code: 'FLINK_APPLICATION_FAILED', status: 'CANCELED' });
  });

  it('a cancel handled before Flink\'s own end of the application leaves it CANCELING for good: the wait says so (Flink 2.3.0)', async () => {
    // Decoupled from its job, main() returns 1.5 s after execute(); Flink then cancels the job,
    // which takes 2 s to stop, and only ends the application (FINISHED) after that. A cancel in
    // that window moves it to CANCELING first, and Flink's FINISHED is then refused: the same
    // refused transition as when a cancel races main()'s InterruptedException (FINDINGS.md).
    const app = await cluster.runApplication(jar.streaming as string, {
      args: ['--rate', '20', '--linger-ms', '1500', '--close-delay-ms', '2000'],
      configuration: { 'execution.terminate-application-on-any-job-terminated-exceptionally': 'false' },
    });
    const window = await eventually(() => app.describe(), (d) => d.status !== 'RUNNING' || d.jobs.some((j) => j.state === 'CANCELLING'), 60_000, 'Flink cancelling the job');
    expect(window.status).toBe('RUNNING');
    await app.cancel();
    const err = await app.waitFor('CANCELED', { timeoutMs: 60_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(ApplicationStuckError);
    expect(err).toMatchObject({ state: 'CANCELING', canceledJobs: [], jobs: [{ state: 'CANCELED' }] });
    expect(await app.status()).toBe('CANCELING');
  });

  it.each([
    ['true', 'FAILED'],
    ['false', 'FINISHED'],
  ])('a failing job with terminate-on-any-job-failure=%s ends the application %s', async (flag, expected) => {
    const app = await cluster.runApplication(jar.failing as string, {
      configuration: { 'execution.terminate-application-on-any-job-terminated-exceptionally': flag },
    });
    const final = await app.result({ timeoutMs: 120_000 }).then(
      (d) => d.status,
      (e: unknown) => (e instanceof ApplicationFailedError ? e.status : Promise.reject(e)),
    );
    expect(final).toBe(expected);
  });

  it('two runApplication() calls with the same application id start one application', async () => {
    const applicationId = hexId();
    const first = await cluster.runApplication(jar.twoJobs as string, { applicationId });
    const second = await cluster.runApplication(jar.twoJobs as string, { applicationId }).catch((e) => e);
    expect(first.applicationId).toBe(applicationId);
    // The repeat is refused as a duplicate (only a retry of the same call is turned into success).
    expect(second).toMatchObject({ status: 400 });
    await first.result({ timeoutMs: 120_000 });
    expect((await cluster.listApplications()).filter((a) => a.applicationId === applicationId)).toHaveLength(1);
  });

  it('a jar run is a single-job application whose id is the job id', async () => {
    const job = await cluster.runJar(jar.streaming as string, { args: ['--rate', '20'] });
    expect(await job.applicationId()).toBe(job.jobId);
    const app = await job.application();
    expect((await app.describe()).jobs.map((j) => j.jid)).toEqual([job.jobId]);
    await app.cancel();
    await expect(app.result({ timeoutMs: 60_000 })).rejects.toMatchObject({ status: 'CANCELED' });
  });

  it('a main() with two jobs under runJar: a fixed job id breaks the second job, jobId: null runs both', async () => {
    const fixed = await cluster.runJar(jar.twoJobs as string).catch((e) => e);
    expect(fixed).toMatchObject({ status: 400 });
    expect(fixed.errors.join('\n')).toContain('DuplicateApplicationSubmissionException');
    const job = await cluster.runJar(jar.twoJobs as string, { jobId: null });
    const app = await job.application();
    expect(app.applicationId).toBe(job.jobId);
    await job.result({ timeoutMs: 120_000 });
  });

  it('an unknown application is ApplicationNotFoundError (Flink answers 500)', async () => {
    const ghost = cluster.application(hexId());
    const err = await ghost.status().catch((e) => e);
    expect(err).toBeInstanceOf(ApplicationNotFoundError);
    expect(err.status).toBe(500);
    await expect(ghost.cancel()).rejects.toBeInstanceOf(ApplicationNotFoundError);
    await expect(ghost.exceptions()).rejects.toBeInstanceOf(ApplicationNotFoundError);
  });

  it('jobManagerConfig() gives the application configuration', async () => {
    const app = await cluster.runApplication(jar.noExecute as string);
    await app.waitFor('FINISHED', { timeoutMs: 60_000 });
    expect((await app.jobManagerConfig()).some((e) => e.key === 'rest.port')).toBe(true);
  });
});

describe.each(older)('applications on real Flink $version (no FLIP-549: the emulated view)', (flink) => {
  const { cluster, jarIds } = sharedCluster(flink, ['streaming']);

  it('runApplication() and exceptions() throw UnsupportedFeatureError naming both versions', async () => {
    const err = await cluster.runApplication(jarIds.streaming).catch((e) => e);
    expect(err).toBeInstanceOf(UnsupportedFeatureError);
    expect(err).toMatchObject({ clusterVersion: flink.version, minimumVersion: '2.3.0' });
    await expect(cluster.application(hexId()).exceptions()).rejects.toBeInstanceOf(UnsupportedFeatureError);
  });

  it('every job is its own single-job application', async () => {
    const job = await cluster.runJar(jarIds.streaming, { args: ['--rate', '20'] });
    await job.waitFor('RUNNING', { timeoutMs: 60_000 });
    const app = await job.application();
    expect(app.applicationId).toBe(job.jobId);
    expect(await app.status()).toBe('RUNNING');
    const d = await app.describe();
    expect(d).toMatchObject({ applicationId: job.jobId, emulated: true, status: 'RUNNING' });
    expect(d.jobs.map((j) => j.jid)).toEqual([job.jobId]);
    expect((await cluster.listApplications()).find((a) => a.applicationId === job.jobId)).toMatchObject({ emulated: true, status: 'RUNNING' });
    await app.cancel();
    await expect(app.result({ timeoutMs: 60_000 })).rejects.toMatchObject({ code: 'FLINK_APPLICATION_FAILED', status: 'CANCELED' });
    await expect(cluster.application(hexId()).status()).rejects.toBeInstanceOf(ApplicationNotFoundError);
  });
});

async function waitForJobs(app: import('flink-client').ApplicationClient, n: number) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const jobs = await app.jobs();
    if (jobs.length >= n) return jobs;
    if (Date.now() > deadline) throw new Error(`application ${app.applicationId} has ${jobs.length} jobs, expected ${n}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
