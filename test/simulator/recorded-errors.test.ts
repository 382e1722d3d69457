import { afterEach, describe, expect, it } from 'vitest';
import { buildJar, createFlinkSimulator, fixtureJar, fixturePrograms, type FlinkSimulator, type FlinkSimulatorOptions, uploadJarBytes } from 'flink-client/testing';
import { assertSimulatorBodiesStrict, type Recording, recording } from './support/wire.js';

// The simulator answers error cases with the status codes and exception chains real Flink
// 2.3.0 / 1.20.5 sent (test/fixtures/recorded). Ids, upload paths and Jackson column numbers are
// normalised; the headline and every `Caused by:` line must match.

let sim: FlinkSimulator;

async function start(options: FlinkSimulatorOptions): Promise<void> {
  sim = await createFlinkSimulator({ clock: 'virtual', programs: fixturePrograms, ...options });
}

afterEach(async () => {
  if (sim && !sim.closed) assertSimulatorBodiesStrict(sim);
  await sim?.close();
});

/** The headline and `Caused by:` lines of each error string, with run-specific parts normalised. */
function chains(body: unknown): string[][] {
  return ((body as { errors?: string[] }).errors ?? []).map((e) =>
    e
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('\t') && !l.startsWith(' at ['))
      .map((l) =>
        l
          .replace(/[0-9a-f]{32}/g, '<id>')
          .replace(/[0-9a-f-]{36}_[\w.-]+\.jar/g, '<jar>')
          .replace(/\S*\/flink-web-upload/g, '<upload-dir>')
          .replace(/OperationKey@[0-9a-f]+/g, 'OperationKey@<hash>')
          .replace(/'file:\/\/\/[^']*'/g, "'<path>'"),
      ),
  );
}

interface Sent {
  status: number;
  body: unknown;
}

async function send(method: string, path: string, body?: unknown): Promise<Sent> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const res = await fetch(`${sim.url}${path}`, init);
  return { status: res.status, body: await res.json() };
}

/** Replays a recorded request (optionally on another path) and compares status and chains. */
async function expectLikeRecording(version: string, name: string, path?: string): Promise<Sent> {
  const rec: Recording = recording(version, name);
  const sent = await send(rec.request.method, path ?? rec.request.path, rec.request.body);
  expect(sent.status, name).toBe(rec.status);
  if (rec.status >= 300) expect(chains(sent.body), name).toEqual(chains(rec.body));
  return sent;
}

async function uploadFixture(key: Parameters<typeof fixtureJar>[0]): Promise<string> {
  const jar = fixtureJar(key);
  return uploadJarBytes(sim.url, jar.filename, jar.bytes);
}

const BOTH = ['2.3.0', '1.20.5'] as const;

describe.each(BOTH)('recorded error answers of Flink %s', (version) => {
  it('replays requests that need no state verbatim', async () => {
    await start({ flinkVersion: version });
    for (const name of [
      'unknown-route',
      'unknown-route-v2-prefix',
      'job-malformed-id',
      'job-unknown',
      'job-unknown-cancel',
      'job-unknown-execution-result',
      'savepoint-status-unknown-trigger',
      'savepoint-status-malformed-trigger',
      'checkpoint-status-unknown-trigger',
      'savepoint-disposal-status-unknown-trigger',
      'savepoint-disposal-no-body',
      'savepoint-trigger-malformed-json',
      'savepoint-trigger-bad-format-type',
      'checkpoint-trigger-bad-type',
      'job-rescaling-patch',
      'job-patch-mode-stop',
      'jars-run-unknown-jar',
      'jars-plan-unknown-jar',
      'jars-run-malformed-job-id',
      'job-unknown-savepoint-trigger',
    ]) {
      await expectLikeRecording(version, name);
    }
    // Unknown GET routes come from the static file handler: the very same body, no CORS header.
    const unknown = await fetch(`${sim.url}/v1/no-such-route`);
    expect(await unknown.json()).toEqual(recording(version, 'unknown-route').body);
    expect(unknown.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 503 with the leader-election body', async () => {
    await start({ flinkVersion: version });
    sim.faults.leaderElection({ times: 1 });
    const sent = await send('GET', '/v1/overview');
    const rec = recording(version, 'startup-503-leader-election');
    expect(sent).toEqual({ status: rec.status, body: rec.body });
  });

  it('rejects bad uploads and repeated deletes like Flink', async () => {
    await start({ flinkVersion: version });
    const form = (name?: string): FormData => {
      const f = new FormData();
      if (name) f.append('jarfile', new Blob([buildJar()]), name);
      return f;
    };
    for (const [name, body] of [
      ['jars-upload-not-a-jar-name', form('notes.txt')],
      ['jars-upload-no-file', form()],
    ] as const) {
      const res = await fetch(`${sim.url}/v1/jars/upload`, { method: 'POST', body });
      const rec = recording(version, name);
      expect(res.status).toBe(rec.status);
      expect(chains(await res.json())).toEqual(chains(rec.body));
    }
    const jarId = await uploadFixture('noExecute');
    await expectLikeRecording(version, 'jars-delete', `/v1/jars/${jarId}`);
    await expectLikeRecording(version, 'jars-delete-again', `/v1/jars/${jarId}`);
    await expectLikeRecording(version, 'jars-run-deleted-jar', `/v1/jars/${jarId}/run`);
  });

  it('answers failing main() runs and duplicates with the recorded chains', async () => {
    await start({ flinkVersion: version });
    await expectLikeRecording(version, 'jars-run-throwing', `/v1/jars/${await uploadFixture('throwing')}/run`);
    await expectLikeRecording(version, 'jars-run-no-execute', `/v1/jars/${await uploadFixture('noExecute')}/run`);
    await expectLikeRecording(version, 'jars-run-bad-entry-class', `/v1/jars/${await uploadFixture('bounded')}/run`);
    await expectLikeRecording(version, 'jars-plan-throwing', `/v1/jars/${await uploadFixture('throwing')}/plan`);
    const streaming = await uploadFixture('streaming');
    const rec = recording(version, 'jars-run-streaming');
    const first = await send('POST', `/v1/jars/${streaming}/run`, rec.request.body);
    expect(first.body).toEqual(rec.body);
    await expectLikeRecording(version, 'jars-run-duplicate-job-id', `/v1/jars/${streaming}/run`);
    // The restore from a path that does not exist: the headline and causes match (the path is normalised).
    const bad = recording(version, 'jars-run-bad-savepoint-path');
    const sent = await send('POST', `/v1/jars/${streaming}/run`, { ...(bad.request.body as object), savepointPath: 'file:///nowhere/no-such-savepoint' });
    expect(sent.status).toBe(bad.status);
    expect(chains(sent.body)).toEqual(chains(bad.body));
  });

  it('answers cancels of terminal jobs, stop without a target and resource requirements like Flink', async () => {
    await start({ flinkVersion: version, savepointDir: null });
    const bounded = (await send('POST', `/v1/jars/${await uploadFixture('bounded')}/run`, {})).body as { jobid: string };
    const failing = (await send('POST', `/v1/jars/${await uploadFixture('failing')}/run`, {})).body as { jobid: string };
    const streaming = (await send('POST', `/v1/jars/${await uploadFixture('streaming')}/run`, {})).body as { jobid: string };
    sim.clock.advance(2_000);
    await expectLikeRecording(version, 'job-cancel-finished', `/v1/jobs/${bounded.jobid}?mode=cancel`);
    await expectLikeRecording(version, 'job-cancel-failed', `/v1/jobs/${failing.jobid}?mode=cancel`);
    await expectLikeRecording(version, 'job-resource-requirements-finished', `/v1/jobs/${bounded.jobid}/resource-requirements`);
    await expectLikeRecording(version, 'job-resource-requirements', `/v1/jobs/${streaming.jobid}/resource-requirements`);
    await expectLikeRecording(version, 'job-resource-requirements-put-default-scheduler', `/v1/jobs/${streaming.jobid}/resource-requirements`);
    await expectLikeRecording(version, 'job-stop-no-target-no-default', `/v1/jobs/${streaming.jobid}/stop`);
    await expectLikeRecording(version, 'savepoint-trigger-no-target-no-default', `/v1/jobs/${streaming.jobid}/savepoints`);
    await expectLikeRecording(version, 'job-patch-no-mode-cancels', `/v1/jobs/${streaming.jobid}`);
    sim.clock.advance(1_000);
    await expectLikeRecording(version, 'job-cancel-again-canceled', `/v1/jobs/${streaming.jobid}?mode=cancel`);
  });

  it('validates adaptive resource requirements with the recorded messages (same vertex ids)', async () => {
    await start({ flinkVersion: version, scheduler: 'adaptive' });
    const run = recording(version, 'adaptive-jars-run-streaming');
    const { jobid } = (await send('POST', `/v1/jars/${await uploadFixture('streaming')}/run`, run.request.body)).body as { jobid: string };
    sim.clock.advance(1_000);
    const current = await send('GET', `/v1/jobs/${jobid}/resource-requirements`);
    expect(current.body).toEqual(recording(version, 'adaptive-job-resource-requirements').body);
    for (const name of ['adaptive-job-resource-requirements-put-empty', 'adaptive-job-resource-requirements-put-invalid', 'adaptive-job-resource-requirements-put-unknown-vertex', 'adaptive-job-resource-requirements-put']) {
      await expectLikeRecording(version, name, `/v1/jobs/${jobid}/resource-requirements`);
    }
    expect((await send('GET', `/v1/jobs/${jobid}/resource-requirements`)).body).toEqual(recording(version, 'adaptive-job-resource-requirements-after-put').body);
  });
});

describe('applications: recorded error answers', () => {
  it('2.3.0: unknown and malformed application ids, cancels of non-running applications', async () => {
    await start({ flinkVersion: '2.3.0' });
    for (const name of ['application-unknown', 'application-exceptions-unknown', 'application-cancel-unknown', 'application-malformed-id', 'application-jobmanager-config-unknown', 'jars-run-application-malformed-id']) {
      await expectLikeRecording('2.3.0', name);
    }
    const twoJobs = await uploadFixture('twoJobs');
    const withId = recording('2.3.0', 'jars-run-application-with-id');
    const created = await send('POST', `/v1/jars/${twoJobs}/run-application`, withId.request.body);
    expect(created).toEqual({ status: 202, body: withId.body });
    await expectLikeRecording('2.3.0', 'jars-run-application-duplicate-id', `/v1/jars/${twoJobs}/run-application`);
    sim.clock.advance(5_000);
    const appId = (withId.body as { applicationid: string }).applicationid;
    await expectLikeRecording('2.3.0', 'application-cancel-finished-two-jobs', `/v1/applications/${appId}/cancel`);
    // Even after it finished, the id stays taken.
    await expectLikeRecording('2.3.0', 'jars-run-application-duplicate-id', `/v1/jars/${twoJobs}/run-application`);
  });

  it('1.20.5: the application routes do not exist', async () => {
    await start({ flinkVersion: '1.20.5' });
    for (const name of ['applications-overview-not-found', 'application-get-not-found', 'application-cancel-not-found']) {
      const rec = recording('1.20.5', name);
      const sent = await send(rec.request.method, rec.request.path);
      expect(sent).toEqual({ status: rec.status, body: rec.body });
    }
    const jarId = await uploadFixture('twoJobs');
    const sent = await send('POST', `/v1/jars/${jarId}/run-application`, {});
    expect(sent).toEqual({ status: 404, body: { errors: [`Not found: /v1/jars/${jarId}/run-application`] } });
  });
});
