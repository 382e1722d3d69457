import { afterEach, describe, expect, it } from 'vitest';
import { createFlinkSimulator, type FlinkSimulator } from 'flink-client/testing';
import { assertSimulatorBodiesStrict } from './support/wire.js';

// HTTP conventions any client sees: prefixes, headers, CORS, unknown routes, caching.

let sim: FlinkSimulator;
afterEach(async () => {
  if (sim && !sim.closed) assertSimulatorBodiesStrict(sim);
  await sim?.close();
});

describe('HTTP conventions', () => {
  it('serves /v1/<path> and /<path> alike, with Flink\'s headers', async () => {
    sim = await createFlinkSimulator({ clock: 'virtual' });
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const v1 = await fetch(`${sim.url}/v1/config`);
    const bare = await fetch(`${sim.url}/config`);
    expect(await v1.json()).toEqual(await bare.json());
    expect(v1.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(v1.headers.get('access-control-allow-origin')).toBe('*');
    expect(Number(v1.headers.get('content-length'))).toBeGreaterThan(100);
    expect((await fetch(`${sim.url}/v2/config`)).status).toBe(404);
  });

  it('answers unknown routes: GET from the file handler, other methods "Not found", OPTIONS 404', async () => {
    sim = await createFlinkSimulator({ clock: 'virtual' });
    const get = await fetch(`${sim.url}/v1/jobs/overview/extra/parts`);
    expect(get.status).toBe(404);
    expect(await get.json()).toEqual({ errors: ['Unable to load requested file /v1/jobs/overview/extra/parts.'] });
    const post = await fetch(`${sim.url}/v1/overview?x=1`, { method: 'POST' });
    expect(await post.json()).toEqual({ errors: ['Not found: /v1/overview?x=1'] });
    const options = await fetch(`${sim.url}/v1/jobs`, { method: 'OPTIONS' });
    expect(options.status).toBe(404);
    expect(options.headers.get('access-control-allow-origin')).toBe('*');
    expect(await options.json()).toEqual({ errors: ['Not found: /v1/jobs'] });
    expect(sim.requests.map((r) => r.route)).toEqual([undefined, undefined, undefined]);
  });

  it('answers PATCH mode=stop with 308 and no Location', async () => {
    sim = await createFlinkSimulator({ clock: 'virtual' });
    const job = sim.jobs.submit({ name: 'x' });
    const res = await fetch(`${sim.url}/v1/jobs/${job.id}?mode=stop`, { method: 'PATCH', redirect: 'manual' });
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBeNull();
    expect(job.status).toBe('INITIALIZING');
  });

  it('can model the web.refresh-interval cache of /jobs/:id (off by default)', async () => {
    sim = await createFlinkSimulator({ clock: 'virtual', jobDetailsCache: true, refreshIntervalMs: 3_000 });
    const job = sim.jobs.submit({ name: 'cached' });
    sim.clock.advance(500);
    const details = async (): Promise<string> => ((await (await fetch(`${sim.url}/v1/jobs/${job.id}`)).json()) as { state: string }).state;
    const status = async (): Promise<string> => ((await (await fetch(`${sim.url}/v1/jobs/${job.id}/status`)).json()) as { status: string }).status;
    expect(await details()).toBe('RUNNING');
    await fetch(`${sim.url}/v1/jobs/${job.id}?mode=cancel`, { method: 'PATCH' });
    sim.clock.advance(100);
    // /status and /jobs/overview are fresh; /jobs/:id lags until the refresh interval passed.
    expect(await status()).toBe('CANCELED');
    expect(await details()).toBe('RUNNING');
    sim.clock.advance(3_000);
    expect(await details()).toBe('CANCELED');
    expect(((await (await fetch(`${sim.url}/v1/config`)).json()) as Record<string, unknown>)['refresh-interval']).toBe(3_000);
  });

  it('parses request bodies leniently: unknown fields ignored, empty body is {}', async () => {
    sim = await createFlinkSimulator({ clock: 'virtual' });
    const job = sim.jobs.submit({ name: 'x' });
    sim.clock.advance(500);
    const res = await fetch(`${sim.url}/v1/jobs/${job.id}/savepoints`, { method: 'POST', body: JSON.stringify({ unknownField: 1, 'cancel-job': false }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(202);
    const empty = await fetch(`${sim.url}/v1/jobs/${job.id}/checkpoints`, { method: 'POST' });
    expect(empty.status).toBe(202);
  });

  it('listens on a given host and port', async () => {
    const probe = await createFlinkSimulator();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    sim = await createFlinkSimulator({ port, host: '127.0.0.1' });
    expect(sim.url).toBe(`http://127.0.0.1:${port}`);
    await expect(createFlinkSimulator({ port })).rejects.toThrow(/EADDRINUSE/);
  });
});
