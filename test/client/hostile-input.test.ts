import { inspect } from 'node:util';
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ClusterClient,
  type ClusterClientOptions,
  FlinkApiError,
  FlinkArgumentError,
  FlinkError,
  FlinkValidationError,
  type RetryEvent,
} from 'flink-client';
import { createFlinkSimulator } from 'flink-client/testing';
import { FLINK_JSON } from '../support/ids.js';
import { type MswServer, startMswServer } from '../support/msw-server.js';

// What a hostile or broken server can do to a client, and what a careless caller can pass it:
// each case here failed before the SDK had one option-validation layer and one place that keeps
// bodies on errors.

const JOB = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';
const PASSWORD = 'correct-horse-battery-staple';
const TOKEN = 'tok_live_9f8e7d6c5b4a3f2e1d0c';
const API_KEY = 'key-0123456789abcdef';
const COOKIE = 'session=deadbeefcafebabe0011';
const PER_CALL = 'per-call-secret-4242';

let server: MswServer;
const clients: ClusterClient[] = [];
function client(options: Partial<ClusterClientOptions> = {}): ClusterClient {
  const c = new ClusterClient({ url: server.url, retry: { initialDelayMs: 1, maxDelayMs: 5 }, ...options });
  clients.push(c);
  return c;
}

/** Answers with every request header echoed back, in Flink's error shape, in the body and in the first error line. */
const echo = (status: number) =>
  http.all('*/v1/*', ({ request }) => {
    const headers = Object.fromEntries(request.headers.entries());
    const line = Object.entries(headers)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return HttpResponse.json({ errors: [line, JSON.stringify(headers)], echoed: headers }, { status, headers: FLINK_JSON });
  });

const secretsIn = (text: string): string[] =>
  [PASSWORD, Buffer.from(`admin:${PASSWORD}`).toString('base64'), TOKEN, API_KEY, COOKIE.split('=')[1] as string, PER_CALL].filter((s) => text.includes(s));

beforeAll(async () => {
  server = await startMswServer([]);
});
afterEach(async () => {
  server.reset();
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await server.close();
});

describe('secrets a server echoes back', () => {
  it('never survive in err.errors, err.body, err.message, JSON.stringify(err) or the retry event, whichever header carried them', async () => {
    server.use(echo(503));
    const retries: RetryEvent[] = [];
    const c = client({
      auth: { type: 'basic', username: 'admin', password: PASSWORD },
      headers: { 'x-api-key': API_KEY, cookie: COOKIE, 'proxy-authorization': `Bearer ${TOKEN}`, 'x-gateway-key': 'gw-secret-value-77' },
      maxRetries: 1,
    });
    c.on('retry', (e) => retries.push(e));
    const err = await c.job(JOB).status({ headers: { 'x-team-token': PER_CALL } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkApiError);
    const e = err as FlinkApiError;
    const everything = [e.message, e.body, ...e.errors, JSON.stringify(e), inspect(e), ...retries.map((r) => JSON.stringify(r.error) + r.error.message)].join('\n');
    expect(secretsIn(everything)).toEqual([]);
    expect(everything).not.toContain('gw-secret-value-77');
    expect(e.body).toContain('[REDACTED]');
    expect(retries).toHaveLength(1);
  });

  it('a bearer token from a provider is scrubbed too, and a schema failure keeps the body as bounded, scrubbed text', async () => {
    server.use(
      http.get('*/v1/jobs/:id/status', ({ request }) =>
        HttpResponse.json({ status: 42, auth: request.headers.get('authorization'), again: `${TOKEN} and ${Buffer.from(TOKEN).toString('base64')}` }, { headers: FLINK_JSON }),
      ),
    );
    const c = client({ auth: { type: 'bearer', token: async () => TOKEN } });
    const err = await c.job(JOB).status().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkValidationError);
    const v = err as FlinkValidationError;
    expect(typeof v.body).toBe('string');
    expect(secretsIn([v.message, v.body, JSON.stringify(v)].join('\n'))).toEqual([]);
  });
});

describe('bodies that break logging', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  it('a 100 000-level deep JSON error body: the error stays serialisable and printable', async () => {
    server.use(http.get('*/v1/jobs/:id/status', () => new HttpResponse(`{"errors":${deep(100_000)}}`, { status: 500, headers: FLINK_JSON })));
    const err = await client().job(JOB).status().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkApiError);
    expect(() => JSON.stringify(err)).not.toThrow();
    expect(() => inspect(err)).not.toThrow();
    expect(JSON.stringify(err).length).toBeLessThan(64 * 1024);
  });

  it('a deep JSON success body that fails validation: the same', async () => {
    server.use(http.get('*/v1/jobs/:id/status', () => new HttpResponse(`{"status":${deep(100_000)}}`, { headers: FLINK_JSON })));
    const err = await client().job(JOB).status().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkValidationError);
    expect(() => JSON.stringify(err)).not.toThrow();
    expect(() => inspect(err)).not.toThrow();
  });
});

describe('timeouts of any size', () => {
  it.each([Infinity, 1e12, 2 ** 31])('timeoutMs %s works (no deadline) without a timer overflow warning', async (timeoutMs) => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      server.use(http.get('*/v1/jobs/:id/status', () => HttpResponse.json({ status: 'RUNNING' }, { headers: FLINK_JSON })));
      expect(await client({ timeoutMs, waitTimeoutMs: timeoutMs }).job(JOB).status({ timeoutMs })).toBe('RUNNING');
      expect(await client().job(JOB).waitFor('RUNNING', { timeoutMs })).toBe('RUNNING');
      // A warning is emitted on the next tick at the latest.
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('close() settles everything at once', () => {
  it('a call sleeping on Retry-After rejects with FLINK_CLIENT_CLOSED as soon as the client closes', async () => {
    let arrived!: () => void;
    const first = new Promise<void>((r) => (arrived = r));
    server.use(
      http.get('*/v1/jobs/:id/status', () => {
        arrived();
        return HttpResponse.json({ errors: ['busy'] }, { status: 503, headers: { ...FLINK_JSON, 'retry-after': '60' } });
      }),
    );
    const c = client({ maxRetries: 5 });
    const pending = c.job(JOB).status().catch((e: unknown) => e);
    await first;
    await c.close();
    // Were the 60 s sleep not cut short, this would outlive the test's timeout.
    const err = await pending;
    expect(err).toBeInstanceOf(FlinkError);
    expect((err as FlinkError).code).toBe('FLINK_CLIENT_CLOSED');
    expect(server.requests).toHaveLength(1);
  });

  it('a wait between polls rejects with FLINK_CLIENT_CLOSED, and so does a call in flight', async () => {
    let polled!: () => void;
    const firstPoll = new Promise<void>((r) => (polled = r));
    let inFlight!: () => void;
    const overviewArrived = new Promise<void>((r) => (inFlight = r));
    server.use(
      http.get('*/v1/jobs/:id/status', () => {
        polled();
        return HttpResponse.json({ status: 'CREATED' }, { headers: FLINK_JSON });
      }),
      http.get('*/v1/overview', () => {
        inFlight();
        return new Promise<Response>(() => undefined);
      }),
    );
    const c = client();
    // After its first poll the wait sleeps: a minute at this pace.
    const waiting = c.job(JOB).waitFor('RUNNING', { pollIntervalMs: 60_000, maxPollIntervalMs: 60_000 }).catch((e: unknown) => e);
    const hanging = c.overview().catch((e: unknown) => e);
    await Promise.all([firstPoll, overviewArrived]);
    await c.close();
    expect(((await waiting) as FlinkError).code).toBe('FLINK_CLIENT_CLOSED');
    expect(((await hanging) as FlinkError).code).toBe('FLINK_CLIENT_CLOSED');
  });
});

describe('jar ids Flink makes', () => {
  it('an upload named "my job.jar" can be run and deleted: the id is encoded in the path', async () => {
    const sim = await createFlinkSimulator({ clock: 'virtual' });
    const c = new ClusterClient({ url: sim.url });
    try {
      const { jarId } = await c.uploadJar((async function* () {
        yield new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
      })(), { filename: 'my job.jar' });
      expect(jarId).toMatch(/_my job\.jar$/);
      expect((await c.listJars()).map((j) => j.id)).toContain(jarId);
      await c.deleteJar(jarId);
      expect(await c.listJars()).toEqual([]);
      expect(sim.requests.some((r) => r.path.includes('my%20job.jar'))).toBe(true);
    } finally {
      await c.close();
      await sim.close();
    }
  });

  it.each(['../etc/passwd', 'a/b.jar', '..', 'x\r\n.jar'])('refuses %j before sending', async (bad) => {
    const c = client();
    await expect(c.runJar(bad)).rejects.toBeInstanceOf(FlinkArgumentError);
    await expect(c.deleteJar(bad)).rejects.toBeInstanceOf(FlinkArgumentError);
    expect(server.requests).toHaveLength(0);
  });
});
