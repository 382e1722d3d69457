import { describe, expect } from 'vitest';
import { FeatureDisabledError, FlinkNotFoundError } from 'flink-client';
import { hexId } from '../support/ids.js';
import { contractSuite, contractVersions, hasApplications } from './contract.js';
import { errorSummary, eventually, FAST_POLL, keyPaths, normalizeText, outcome } from './observe.js';
import type { ContractTarget, RawAnswer } from './targets.js';

// The rest of the REST API (issue 12) that a session cluster of the default scheduler serves: log
// files and lists, the job-scoped JobManager views and log URLs, the client heartbeat, data sets,
// the rescale routes' refusals, the legacy rescaling status, and the route precedence of literal
// segments over ids. Real Flink and the simulator must answer alike.

/** A text or JSON answer as a client sees it: status, type, CORS, and what the body is. */
function fileAnswer(a: RawAnswer): Record<string, unknown> {
  const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
  return {
    status: a.status,
    contentType: a.contentType,
    cors: a.cors,
    // A log4j line starts with its date; a JSON body is compared by shape.
    kind: typeof a.body === 'string' ? (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /.test(text) ? 'log4j lines' : normalizeText(text)) : keyPaths(a.body),
  };
}

/** An answer with its URL's origin replaced (each target has its own address). */
function withoutOrigin(a: RawAnswer): Record<string, unknown> {
  const url = (a.body as { url?: unknown }).url;
  return { status: a.status, url: typeof url === 'string' ? url.replace(/^https?:\/\/[^/]+/, '<origin>') : keyPaths(a.body) };
}

async function runningJob(t: ContractTarget) {
  const job = await t.client.runJar(await t.jar('streaming'), { args: ['--rate', '20'], parallelism: 1 });
  await eventually(async () => (await t.client.listJobs()).find((j) => j.jid === job.jobId)?.tasks, (tasks) => tasks !== undefined && tasks.total > 0 && tasks.running === tasks.total, 90_000, 'tasks running');
  return job;
}

describe.each(contractVersions())('contract: the rest of the REST API on Flink %s', (version) => {
  const suite = contractSuite(version);

  suite.scenario('log files: lists, JobManager and TaskManager logs, stdout, unknown files and TaskManagers', async (t) => {
    const job = await runningJob(t);
    const [tm] = await t.client.listTaskManagers();
    const tmPath = `/v1/taskmanagers/${encodeURIComponent(tm!.id)}`;
    const [jmList, jmLog, jmStdout, jmMissing, tmList, tmLog, tmStdout, tmMissing, unknownTm] = await Promise.all([
      t.raw('GET', '/v1/jobmanager/logs'),
      t.raw('GET', '/v1/jobmanager/log'),
      t.raw('GET', '/v1/jobmanager/stdout'),
      t.raw('GET', '/v1/jobmanager/logs/no-such.log'),
      t.raw('GET', `${tmPath}/logs`),
      t.raw('GET', `${tmPath}/log`),
      t.raw('GET', `${tmPath}/stdout`),
      t.raw('GET', `${tmPath}/logs/no-such.log`),
      t.raw('GET', '/v1/taskmanagers/no-such-tm/log'),
    ]);
    const jmFiles = (jmList.body as { logs: Array<{ name: string; size: number }> }).logs;
    const jmFile = jmFiles.find((f) => /standalonesession.*\.log$/.test(f.name));
    expect(jmFile).toBeDefined();
    const byName = await t.raw('GET', `/v1/jobmanager/logs/${encodeURIComponent(jmFile!.name)}`);
    // The SDK: the log's lines mention the running job; a missing stdout is a typed error.
    const jm = t.client.jobManager();
    const text = await jm.log().text();
    const tail = await jm.log().text({ tailLines: 3 });
    const stdout = await outcome(jm.stdout().text(), ['code']);
    const tmStdoutSdk = await outcome(t.client.taskManager(tm!.id).stdout().text(), ['code']);
    expect(text).toContain(job.jobId);
    expect(tail.split('\n')).toHaveLength(3);
    await expect(jm.logFile('no-such.log').text()).rejects.toBeInstanceOf(FlinkNotFoundError);
    const tmText = await t.client.taskManager(tm!.id).log().text();
    await job.cancel();
    return {
      jobManager: {
        list: { status: jmList.status, keys: keyPaths(jmList.body), hasTaskManagerLog: jmFiles.some((f) => /taskexecutor.*\.log$/.test(f.name)) },
        log: fileAnswer(jmLog),
        byName: fileAnswer(byName),
        stdout: fileAnswer(jmStdout),
        missing: fileAnswer(jmMissing),
        mentionsJobSubmission: / submission '[^']*' \(/.test(text) && text.includes(job.jobId),
        sdkStdout: stdout,
      },
      taskManager: {
        list: { status: tmList.status, keys: keyPaths(tmList.body) },
        log: fileAnswer(tmLog),
        stdout: fileAnswer(tmStdout),
        // (Flink names the TaskManager; each target has its own id.)
        missing: JSON.parse(JSON.stringify(errorSummary(tmMissing)).replaceAll(tm!.id, '<tm>')) as unknown,
        unknown: errorSummary(unknownTm),
        mentionsTask: tmText.includes('Received task'),
        sdkStdout: tmStdoutSdk,
      },
    };
  });

  suite.scenario('job-scoped JobManager views, log URLs, client heartbeat: known, unknown and malformed job ids', async (t) => {
    const job = await runningJob(t);
    const [tm] = await t.client.listTaskManagers();
    const unknown = hexId();
    const [env, envUnknown, envMalformed, logUrl, logUrlUnknown, logUrlMalformed, tmUrl, tmUrlUnknown] = await Promise.all([
      t.raw('GET', `/v1/jobs/${job.jobId}/jobmanager/environment`),
      t.raw('GET', `/v1/jobs/${unknown}/jobmanager/environment`),
      t.raw('GET', '/v1/jobs/nope/jobmanager/environment'),
      t.raw('GET', `/v1/jobs/${job.jobId}/jobmanager/log-url`),
      t.raw('GET', `/v1/jobs/${unknown}/jobmanager/log-url`),
      t.raw('GET', '/v1/jobs/nope/jobmanager/log-url'),
      t.raw('GET', `/v1/jobs/${job.jobId}/taskmanagers/${encodeURIComponent(tm!.id)}/log-url`),
      t.raw('GET', `/v1/jobs/${job.jobId}/taskmanagers/no-such-tm/log-url`),
    ]);
    const expires = Date.now() + 60_000;
    const [beat, beatUnknown, beatBad, beatEmpty] = await Promise.all([
      t.raw('PATCH', `/v1/jobs/${job.jobId}/clientHeartbeat`, { expiredTimestamp: expires }),
      t.raw('PATCH', `/v1/jobs/${unknown}/clientHeartbeat`, { expiredTimestamp: expires }),
      t.raw('PATCH', `/v1/jobs/${job.jobId}/clientHeartbeat`, { expiredTimestamp: 'soon' }),
      t.raw('PATCH', `/v1/jobs/${job.jobId}/clientHeartbeat`, {}),
    ]);
    await job.heartbeat(expires);
    expect((await job.jobManagerEnvironment()).jvm.options.length).toBeGreaterThan(0);
    const tmUrlSdk = (await job.taskManagerLogUrl(tm!.id)).url;
    await job.cancel();
    return {
      environment: { status: env.status, keys: keyPaths(env.body), unknown: envUnknown.status, malformed: errorSummary(envMalformed) },
      logUrl: { known: withoutOrigin(logUrl), unknown: withoutOrigin(logUrlUnknown), malformed: withoutOrigin(logUrlMalformed) },
      taskManagerLogUrl: { known: withoutOrigin(tmUrl).url === `<origin>/#/task-manager/${tm!.id}/logs`, unknown: withoutOrigin(tmUrlUnknown), sdkNamesTheTaskManager: tmUrlSdk.endsWith(`/#/task-manager/${tm!.id}/logs`) },
      heartbeat: { known: { status: beat.status, body: beat.body }, unknown: { status: beatUnknown.status, body: beatUnknown.body }, badBody: errorSummary(beatBad), emptyBody: beatEmpty.status },
    };
  });

  suite.scenario('data sets: an empty list, deleting an unknown data set completes, unknown trigger → 404', async (t) => {
    const list = await t.raw('GET', '/v1/datasets');
    const del = await t.raw('DELETE', `/v1/datasets/${hexId()}`);
    const trigger = (del.body as { 'request-id': string })['request-id'];
    const status = await eventually(() => t.raw('GET', `/v1/datasets/delete/${trigger}`), (a) => (a.body as { status?: { id?: string } }).status?.id === 'COMPLETED', 30_000, 'deletion completed');
    const [unknownTrigger, malformed] = await Promise.all([t.raw('GET', `/v1/datasets/delete/${hexId()}`), t.raw('DELETE', '/v1/datasets/nope')]);
    expect(await t.client.listDataSets()).toEqual([]);
    await (await t.client.deleteDataSet(hexId())).result(FAST_POLL);
    return {
      list: { status: list.status, body: list.body },
      delete: { status: del.status, keys: keyPaths(del.body) },
      status: { status: status.status, body: status.body },
      unknownTrigger: errorSummary(unknownTrigger),
      malformed: errorSummary(malformed),
    };
  });

  suite.scenario('rescales of a default-scheduler job, the legacy rescaling status, literal routes before ids', async (t) => {
    const job = await runningJob(t);
    const paths = ['config', 'overview', 'history', 'summary', `details/${hexId()}`];
    const rescales = await Promise.all(paths.map((p) => t.raw('GET', `/v1/jobs/${job.jobId}/rescales/${p}`)));
    const unknownJob = await t.raw('GET', `/v1/jobs/${hexId()}/rescales/config`);
    const rescalingStatus = await t.raw('GET', `/v1/jobs/${job.jobId}/rescaling/${hexId()}`);
    const literal = await Promise.all(['/v1/jobs/metrics', '/v1/jobs/overview', '/v1/taskmanagers/metrics', '/v1/jobmanager/metrics'].map((p) => t.raw('GET', p)));
    const sdk = hasApplications(version) ? await outcome(job.rescaleHistory(), ['setting']) : await outcome(job.rescaleConfig(), ['code']);
    if (hasApplications(version)) await expect(job.rescaleConfig()).rejects.toBeInstanceOf(FeatureDisabledError);
    await job.cancel();
    return {
      rescales: Object.fromEntries(paths.map((p, i) => [p.replace(/\/.*/, '/:id'), errorSummary(rescales[i] as RawAnswer)])),
      unknownJob: errorSummary(unknownJob),
      rescalingStatus: errorSummary(rescalingStatus),
      literalRoutes: literal.map((a) => ({ status: a.status, array: Array.isArray(a.body) })),
      sdk,
    };
  });
});
