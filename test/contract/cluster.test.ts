import { describe, expect } from 'vitest';
import { JarNotFoundError, JobNotFoundError, OperationNotFoundError } from 'flink-client';
import { FIXTURE_JARS, fixtureJar } from 'flink-client/testing';
import { hexId } from '../support/ids.js';
import { contractSuite, contractVersions, hasApplications } from './contract.js';
import type { RawAnswer } from './targets.js';
import { causedBy, errorSummary, FAST_POLL, keyPaths, normalizeText, outcome } from './observe.js';

// Cluster reads, jars, routing and not-found answers: the same calls against real Flink and the
// simulator, compared on status codes, error first lines and causes, and body shapes.

describe.each(contractVersions())('contract: cluster, jars and errors on Flink %s', (version) => {
  const suite = contractSuite(version);

  suite.scenario('cluster reads: /config, /overview, /taskmanagers, /jobs/overview, /jobs', async (t) => {
    const c = t.client;
    expect(await c.flinkVersion()).toBe(t.flinkVersion);
    // Every SDK read below is checked against the strict schemas.
    const overview = await c.overview();
    await c.config();
    await c.listTaskManagers();
    expect((await c.jobManagerConfig()).find((e) => e.key === 'rest.port')?.value).toBe(new URL(t.url).port);
    // A finished job, so that /jobs/overview has an entry whatever ran before.
    const job = await c.runJar(await t.jar('bounded'));
    await job.waitFor('FINISHED', FAST_POLL);
    const listed = (await c.listJobs()).find((j) => j.jid === job.jobId);
    const [config, rawOverview, taskManagers, jobsOverview, jobs, unprefixed] = await Promise.all([
      t.raw('GET', '/v1/config'),
      t.raw('GET', '/v1/overview'),
      t.raw('GET', '/v1/taskmanagers'),
      t.raw('GET', '/v1/jobs/overview'),
      t.raw('GET', '/v1/jobs'),
      t.raw('GET', '/overview'),
    ]);
    return {
      version: overview['flink-version'],
      taskManagers: overview.taskmanagers,
      slotsTotal: overview['slots-total'],
      config: { status: config.status, contentType: config.contentType, cors: config.cors, keys: keyPaths(config.body) },
      overviewKeys: keyPaths(rawOverview.body),
      taskManagerKeys: keyPaths(taskManagers.body),
      jobsOverviewKeys: keyPaths(jobsOverview.body),
      jobsKeys: keyPaths(jobs.body),
      listed: listed && { name: listed.name, state: listed.state, tasksTotal: listed.tasks.total },
      unprefixed: { status: unprefixed.status, keys: keyPaths(unprefixed.body) },
    };
  });

  suite.scenario('jars: upload, list, plan, delete; delete twice → 400, run or plan an unknown jar → 500', async (t) => {
    const c = t.client;
    const jarId = await t.upload('bounded');
    const entry = (await c.listJars()).find((f) => f.id === jarId);
    expect(entry?.entry[0]?.name).toBe(FIXTURE_JARS.bounded.entryClass);
    const plan = await c.planJar(jarId, { parallelism: 2 });
    const planGet = await t.raw('GET', `/v1/jars/${jarId}/plan?parallelism=2`);
    await c.deleteJar(jarId);
    const listedAfterDelete = (await c.listJars()).some((f) => f.id === jarId);
    const deleteAgain = await t.raw('DELETE', `/v1/jars/${jarId}`);
    const unknownJar = `${hexId()}_nope.jar`;
    const [runUnknown, planUnknown, runDeleted] = await Promise.all([
      t.raw('POST', `/v1/jars/${unknownJar}/run`, {}),
      t.raw('POST', `/v1/jars/${unknownJar}/plan`, {}),
      t.raw('POST', `/v1/jars/${jarId}/run`, {}),
    ]);
    expect(deleteAgain.status).toBe(400);
    expect(runUnknown.status).toBe(500);
    // Upload errors Flink answers with 400.
    const notAJar = new FormData();
    notAJar.append('jarfile', new Blob([fixtureJar('bounded').bytes]), 'bounded.zip');
    const [uploadNotAJar, uploadNoFile] = await Promise.all([t.raw('POST', '/v1/jars/upload', notAJar), t.raw('POST', '/v1/jars/upload', new FormData())]);
    const sdkRunUnknown = await outcome(c.runJar(unknownJar));
    expect(sdkRunUnknown.error).toBe(JarNotFoundError.name);
    return {
      jarId: normalizeText(jarId),
      entry: entry && { name: entry.name, entry: entry.entry },
      plan: {
        name: plan.plan.name,
        type: plan.plan.type,
        nodes: plan.plan.nodes.map((n) => ({ id: n.id, parallelism: n.parallelism, description: n.description, inputs: n.inputs?.length ?? 0 })),
        keys: keyPaths(plan),
      },
      planGet: { status: planGet.status, keys: keyPaths(planGet.body) },
      listedAfterDelete,
      deleteAgain: errorSummary(deleteAgain),
      sdkDeleteAgain: await outcome(c.deleteJar(jarId)),
      runDeleted: errorSummary(runDeleted),
      sdkRunDeleted: await outcome(c.runJar(jarId)),
      runUnknown: errorSummary(runUnknown),
      planUnknown: errorSummary(planUnknown),
      sdkRunUnknown,
      sdkPlanUnknown: await outcome(c.planJar(unknownJar)),
      uploadNotAJar: errorSummary(uploadNotAJar),
      uploadNoFile: errorSummary(uploadNoFile),
    };
  });

  suite.scenario('routing: unknown routes → 404, malformed ids and bodies → 400', async (t) => {
    const ghost = hexId();
    const requests: Array<[string, string, unknown?]> = [
      ['GET', '/v1/no-such-route'],
      ['POST', '/v1/no-such-route', {}],
      ['GET', '/v2/overview'],
      ['OPTIONS', '/v1/jobs'],
      ['GET', '/v1/jobs/not-a-job-id'],
      ['GET', '/v1/jobs/not-a-job-id/status'],
      ['GET', `/v1/jobs/${ghost}/savepoints/not-a-trigger-id`],
      ['GET', `/v1/jobs/${ghost}/checkpoints/not-a-trigger-id`],
      ['GET', '/v1/savepoint-disposal/not-a-trigger-id'],
      ['PATCH', `/v1/jobs/${ghost}?mode=stop`],
      ['PATCH', `/v1/jobs/${ghost}?mode=nope`],
      ['POST', `/v1/jobs/${ghost}/savepoints`, '{not json'],
      ['POST', `/v1/jobs/${ghost}/savepoints`, { formatType: 'NOPE' }],
      ['POST', `/v1/jobs/${ghost}/checkpoints`, { checkpointType: 'NOPE' }],
      ['POST', '/v1/savepoint-disposal', {}],
      ['GET', '/v1/applications/not-an-application-id'],
    ];
    const answers = await Promise.all(requests.map(([method, path, body]) => t.raw(method, path, body)));
    const [unknownGet, , , , malformed] = answers.map(errorSummary);
    expect(unknownGet).toEqual({ status: 404, errors: [{ head: 'Unable to load requested file /v1/no-such-route.', causes: [] }] });
    expect(malformed?.status).toBe(400);
    expect(malformed?.errors[0]?.head).toContain('Bad request, could not parse parameters');
    return Object.fromEntries(
      requests.map(([method, path, body], i) => {
        const a = answers[i] as (typeof answers)[number];
        const key = `${method} ${path.replace(ghost, '<unknown>')}${body === undefined ? '' : ` ${typeof body === 'string' ? body : JSON.stringify(body)}`}`;
        return [key, { ...errorSummary(a), cors: a.cors, contentType: a.contentType }];
      }),
    );
  });

  suite.scenario('unknown job → 404 JobNotFoundError; unknown trigger → 404 OperationNotFoundError; savepoint/checkpoint on an unknown job → 202, JobNotFoundError from the poll', async (t) => {
    const c = t.client;
    const ghostId = hexId();
    const ghost = c.job(ghostId);
    const trigger = hexId();
    // Every job route on an id the cluster does not know (404 for some, 500 for others).
    const probes: Array<[string, string, unknown?]> = [
      ['GET', ''],
      ['GET', '/status'],
      ['GET', '/execution-result'],
      ['GET', '/exceptions'],
      ['GET', '/accumulators'],
      ['GET', '/config'],
      ['GET', '/plan'],
      ['GET', '/jobmanager/config'],
      ['GET', '/checkpoints'],
      ['GET', '/checkpoints/config'],
      ['GET', '/resource-requirements'],
      ['PATCH', '?mode=cancel'],
      ['PATCH', '/rescaling?parallelism=2'],
      ['POST', '/stop', {}],
      ['GET', `/savepoints/${trigger}`],
      ['GET', `/checkpoints/${trigger}`],
    ];
    const raw = await Promise.all(probes.map(([method, suffix, body]) => t.raw(method, `/v1/jobs/${ghostId}${suffix}`, body)));
    const disposalStatus = await t.raw('GET', `/v1/savepoint-disposal/${trigger}`);
    const savepointTrigger = await t.raw('POST', `/v1/jobs/${ghostId}/savepoints`, { triggerId: trigger });
    const checkpointTrigger = await t.raw('POST', `/v1/jobs/${ghostId}/checkpoints`, {});
    const savepoint = await ghost.triggerSavepoint();
    const savepointErr = await savepoint.result(FAST_POLL).catch((e: unknown) => e);
    // Flink accepts the trigger (202) and reports the missing job in the operation's failure.
    expect(savepointErr).toBeInstanceOf(JobNotFoundError);
    const checkpointErr = await (await ghost.triggerCheckpoint()).result(FAST_POLL).catch((e: unknown) => e);
    expect(checkpointErr).toBeInstanceOf(JobNotFoundError);
    const sdk = {
      status: await outcome(ghost.status()),
      describe: await outcome(ghost.describe()),
      result: await outcome(ghost.result()),
      cancel: await outcome(ghost.cancel()),
      exceptions: await outcome(ghost.exceptions()),
      accumulators: await outcome(ghost.accumulators()),
      config: await outcome(ghost.config()),
      plan: await outcome(ghost.plan()),
      checkpoints: await outcome(ghost.checkpoints()),
      checkpointConfig: await outcome(ghost.checkpointConfig()),
      savepointStatus: await outcome(ghost.savepointOperation(hexId()).status()),
      checkpointStatus: await outcome(ghost.checkpointOperation(hexId()).status()),
      disposalStatus: await outcome(c.savepointDisposalOperation(hexId()).status()),
    };
    expect(sdk.status.error).toBe(JobNotFoundError.name);
    expect(sdk.savepointStatus.error).toBe(OperationNotFoundError.name);
    const failure = (e: unknown) => {
      const f = e as JobNotFoundError;
      return { error: f.constructor.name, code: f.code, jobId: f.jobId === ghostId, causes: causedBy(f.errors?.join('\n') ?? '') };
    };
    return {
      raw: Object.fromEntries(raw.map((a, i) => [`${probes[i]?.[0]} /jobs/<unknown>${(probes[i]?.[1] ?? '').replace(trigger, '<trigger>')}`, errorSummary(a)])),
      disposalStatus: errorSummary(disposalStatus),
      savepointTrigger: { status: savepointTrigger.status, keys: keyPaths(savepointTrigger.body), sameId: (savepointTrigger.body as Record<string, unknown>)['request-id'] === trigger },
      checkpointTrigger: { status: checkpointTrigger.status, keys: keyPaths(checkpointTrigger.body) },
      savepointFailure: failure(savepointErr),
      checkpointFailure: failure(checkpointErr),
      sdk,
    };
  });

  if (!hasApplications(version)) {
    suite.scenario('no FLIP-549 before 2.3: application routes answer 404 (GET: static file handler, POST: Not found)', async (t) => {
      const jarId = await t.jar('streaming');
      const id = hexId();
      const answers = await Promise.all([
        t.raw('GET', '/v1/applications/overview'),
        t.raw('GET', `/v1/applications/${id}`),
        t.raw('GET', `/v1/applications/${id}/exceptions`),
        t.raw('POST', `/v1/applications/${id}/cancel`),
        t.raw('POST', `/v1/jars/${jarId}/run-application`, {}),
      ]);
      expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404, 404]);
      expect(errorSummary(answers[0] as RawAnswer).errors[0]?.head).toBe('Unable to load requested file /v1/applications/overview.');
      expect(errorSummary(answers[3] as RawAnswer).errors[0]?.head).toBe('Not found: /v1/applications/<id>/cancel');
      const sdk = await outcome(t.client.runApplication(jarId), ['clusterVersion', 'minimumVersion']);
      return { answers: answers.map((a) => ({ ...errorSummary(a), cors: a.cors })), sdk };
    });
  }
});
