import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFlinkHandlers, createFlinkSimulator, fixtureJar, fixturePrograms, type FlinkSimulator, uploadJarBytes } from 'flink-client/testing';
import { assertSimulatorBodiesStrict } from './support/wire.js';

// The simulator's routes are msw request handlers: fetch-based code can mount them in msw's
// setupServer without any socket (msw intercepts fetch in this worker).

const BASE = 'http://flink.test:8081';
let sim: FlinkSimulator;
const server = setupServer();

beforeAll(async () => {
  sim = await createFlinkSimulator({ server: false, baseUrl: BASE, clock: 'virtual', programs: fixturePrograms });
  server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => {
  server.resetHandlers();
  sim.faults.clear();
});
afterAll(async () => {
  assertSimulatorBodiesStrict(sim);
  server.close();
  await sim.close();
});

describe('sim.handlers in setupServer', () => {
  it('has no socket: url is the base URL and the handlers are msw http handlers', () => {
    expect(sim.url).toBe(BASE);
    expect(sim.openConnections).toBe(0);
    expect(sim.handlers.length).toBeGreaterThan(40);
    expect(sim.handlers.every((h) => 'info' in h)).toBe(true);
  });

  it('serves the REST API to fetch: upload, run, state changes, results', async () => {
    server.use(...sim.handlers);
    expect(await (await fetch(`${BASE}/config`)).json()).toMatchObject({ 'flink-version': '2.3.0' });
    const jar = fixtureJar('bounded');
    const jarId = await uploadJarBytes(BASE, jar.filename, jar.bytes);
    const run = await fetch(`${BASE}/v1/jars/${jarId}/run`, { method: 'POST', body: '{"parallelism":2}', headers: { 'content-type': 'application/json' } });
    const { jobid } = (await run.json()) as { jobid: string };
    expect(run.status).toBe(200);
    sim.clock.advance(1_000);
    expect(await (await fetch(`${BASE}/v1/jobs/${jobid}/status`)).json()).toEqual({ status: 'FINISHED' });
    const result = (await (await fetch(`${BASE}/v1/jobs/${jobid}/execution-result`)).json()) as { 'job-execution-result': { 'application-status': string } };
    expect(result['job-execution-result']['application-status']).toBe('SUCCEEDED');
    const unknown = await fetch(`${BASE}/v1/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ errors: ['Unable to load requested file /v1/nope.'] });
  });

  it('lets tests override one route with their own msw handler', async () => {
    server.use(...sim.handlers);
    server.use(http.get(`${BASE}/v1/overview`, () => HttpResponse.json({ overridden: true })));
    expect(await (await fetch(`${BASE}/v1/overview`)).json()).toEqual({ overridden: true });
    expect((await (await fetch(`${BASE}/v1/config`)).json()) as object).toHaveProperty('flink-version');
  });

  it('serves another base URL with a path prefix (createFlinkHandlers)', async () => {
    const gateway = 'http://gateway.test/flink/prod';
    server.use(...createFlinkHandlers(sim, { baseUrl: gateway }));
    expect((await fetch(`${gateway}/v1/overview`)).status).toBe(200);
    expect((await fetch(`${gateway}/jobs/overview`)).status).toBe(200);
    const missing = await fetch(`${gateway}/v1/no-such-route`, { method: 'POST' });
    expect(await missing.json()).toEqual({ errors: ['Not found: /flink/prod/v1/no-such-route'] });
    expect(() => createFlinkHandlers(sim, { baseUrl: 'not a url' })).toThrow(TypeError);
  });

  it('applies faults: a reset becomes a network error, a leader election a 503', async () => {
    server.use(...sim.handlers);
    sim.faults.reset({ path: '/overview', times: 1 });
    await expect(fetch(`${BASE}/v1/overview`)).rejects.toThrow(TypeError);
    sim.faults.leaderElection({ path: '/overview', times: 1 });
    expect((await fetch(`${BASE}/v1/overview`)).status).toBe(503);
    expect((await fetch(`${BASE}/v1/overview`)).status).toBe(200);
  });
});
