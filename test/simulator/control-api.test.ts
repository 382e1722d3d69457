import { afterEach, describe, expect, it } from 'vitest';
import { ClusterClient } from 'flink-client';
import { type ControlApiServer, controlRequest, createFlinkSimulator, type FlinkSimulator, fixturePrograms, startControlApi } from 'flink-client/testing';

// The simulator's control API: in process (controlRequest) and over HTTP (startControlApi), the
// same routes `flink-client simulate` serves to harnesses in other languages.

let sim: FlinkSimulator;
let control: ControlApiServer | undefined;

afterEach(async () => {
  await control?.close();
  control = undefined;
  await sim?.close();
});

const post = async (path: string, body?: unknown): Promise<{ status: number; body: any }> => {
  const res = await fetch(`${control?.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  return { status: res.status, body: await res.json() };
};
const get = async (path: string): Promise<{ status: number; body: any }> => {
  const res = await fetch(`${control?.url}${path}`);
  return { status: res.status, body: await res.json() };
};

describe('control API', () => {
  it('submits a job, drives it, and the REST API agrees', async () => {
    sim = await createFlinkSimulator({ clock: 'virtual', programs: fixturePrograms });
    control = await startControlApi(sim);
    expect(control.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const jobId = 'abcdefabcdefabcdefabcdefabcdef01';
    const submitted = await post('/jobs', { spec: { name: 'harness-job', durationMs: 'unbounded' }, jobId, parallelism: 2 });
    expect(submitted).toMatchObject({ status: 200, body: { id: jobId, name: 'harness-job', parallelism: 2 } });
    expect((await post('/jobs', { spec: { name: 'again' }, jobId })).status).toBe(409);
    expect(await post('/clock/advance', { ms: 10_000 })).toMatchObject({ status: 200, body: { now: sim.clock.now() } });
    const cluster = new ClusterClient({ url: sim.url });
    try {
      expect(await cluster.job(jobId).status()).toBe('RUNNING');
      expect((await post(`/jobs/${jobId}/finish`)).body.status).toBe('FINISHED');
      expect(await cluster.job(jobId).status()).toBe('FINISHED');
    } finally {
      await cluster.close();
    }
    const state = await get('/state');
    expect(state.body).toMatchObject({ flinkVersion: '2.3.0', url: sim.url, clock: { kind: 'virtual' } });
    expect(state.body.jobs.map((j: { id: string }) => j.id)).toEqual([jobId]);
    expect((await get(`/jobs/${jobId}`)).body.status).toBe('FINISHED');
    const requests = await get('/requests?limit=2');
    expect(requests.body).toHaveLength(2);
    expect(requests.body[1]).toMatchObject({ method: 'GET', route: '/jobs/:jobid/status', status: 200 });
  });

  it('injects faults and operation failures, registers jars and programs', async () => {
    sim = await createFlinkSimulator({ clock: 'virtual', programs: fixturePrograms });
    control = await startControlApi(sim, { port: 0 });
    expect((await post('/faults', { type: 'error', status: 503, path: '/overview', times: 1 })).body).toEqual({ added: 'error' });
    expect((await fetch(`${sim.url}/overview`)).status).toBe(503);
    expect((await fetch(`${sim.url}/overview`)).status).toBe(200);
    await post('/faults', { type: 'error', status: 500, path: '/overview' });
    expect((await fetch(`${control.url}/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${sim.url}/overview`)).status).toBe(200);
    const jar = await post('/jars', { name: 'etl.jar', mainClass: 'com.example.Etl' });
    expect(jar.body).toMatchObject({ name: 'etl.jar' });
    expect((await post('/programs', { entryClass: 'com.example.Etl', program: { jobs: [{ name: 'etl' }] } })).body).toEqual({ registered: 'com.example.Etl' });
    expect((await post('/operations/fail-next', { kind: 'savepoint', message: 'disk full' })).body).toEqual({ failNext: 'savepoint' });
  });

  it('answers bad requests with a 4xx and an error message, never a crash', async () => {
    sim = await createFlinkSimulator();
    control = await startControlApi(sim);
    const cases: Array<[string, unknown, number, RegExp]> = [
      ['/jobs', { spec: {} }, 400, /spec/],
      ['/jobs', { spec: { name: 'x' }, jobId: 'not-hex' }, 400, /jobId/],
      ['/jobs', { spec: { name: 'x' }, parallelism: 0 }, 400, /parallelism/],
      ['/jobs/ffffffffffffffffffffffffffffffff/finish', {}, 404, /no job/],
      ['/jars', {}, 400, /name/],
      ['/faults', { type: 'flood' }, 400, /type/],
      ['/faults', { type: 'error', status: 200 }, 400, /status/],
      ['/operations/fail-next', { kind: 'disposal' }, 400, /kind/],
      ['/clock/advance', { ms: 5 }, 409, /real/],
      ['/nowhere', {}, 404, /no control route/],
      ['/jars', '[1,2]', 400, /JSON object/],
      ['/jars', '{not json', 400, /JSON object/],
    ];
    for (const [path, body, status, message] of cases) {
      const answer = await post(path, body);
      expect(answer.status, path).toBe(status);
      expect(answer.body.error, path).toMatch(message);
    }
    const big = await fetch(`${control.url}/jars`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) }).catch((e: unknown) => e);
    // Either the 413 answer, or the connection closed while the body was still being sent.
    if (big instanceof Response) expect(big.status).toBe(413);
    expect((await get('/requests?limit=-1')).status).toBe(400);
    // The server survived all of it.
    expect((await get('/state')).status).toBe(200);
  });

  it('answers in process the same as over HTTP, and validates its options', async () => {
    sim = await createFlinkSimulator({ clock: 'virtual' });
    const job = sim.jobs.submit({ name: 'in-process', durationMs: 'unbounded' });
    const answer = await controlRequest(sim, { method: 'POST', path: `/jobs/${job.id}/fail`, body: { error: 'boom' } });
    expect(answer.status).toBe(200);
    expect((answer.body as { id: string }).id).toBe(job.id);
    expect(await controlRequest(sim, { method: 'GET', path: '/state', body: 'x' })).toMatchObject({ status: 400 });
    await expect(startControlApi(sim, { port: 70_000 })).rejects.toThrow(/port/);
    const first = await startControlApi(sim);
    const port = Number(new URL(first.url).port);
    try {
      await expect(startControlApi(sim, { port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
      await first.close();
    }
  });
});
