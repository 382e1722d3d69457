import { createServer } from 'node:net';
import { delay, http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ClusterClient,
  type ClusterClientOptions,
  FlinkAbortError,
  FlinkArgumentError,
  FlinkAuthenticationError,
  FlinkBadRequestError,
  FlinkConnectionError,
  FlinkError,
  FlinkResponseTooLargeError,
  FlinkServerError,
  FlinkTimeoutError,
  FlinkValidationError,
  type RequestEvent,
  type RetryEvent,
  RestClusterDescriptor,
} from 'flink-client';
import { FLINK_JSON, hexId } from '../support/ids.js';
import { type MswServer, startMswServer } from '../support/msw-server.js';
import { recorded } from '../support/recorded.js';

const JOB = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';
const status = (s: string) => HttpResponse.json({ status: s }, { headers: FLINK_JSON });

let server: MswServer;
const clients: ClusterClient[] = [];
function client(options: Partial<ClusterClientOptions> = {}): ClusterClient {
  const c = new ClusterClient({ url: server.url, retry: { initialDelayMs: 5, maxDelayMs: 20 }, ...options });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = await startMswServer([http.get('*/v1/jobs/:id/status', () => status('RUNNING'))]);
});
afterEach(async () => {
  server.reset();
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await server.close();
});

describe('request pipeline', () => {
  it('sends GETs to /v1 below the base URL, with a path prefix kept', async () => {
    server.use(http.get('*/gateway/flink/v1/jobs/:id/status', () => status('FINISHED')));
    const c = client({ url: `${server.url}/gateway/flink/` });
    expect(await c.job(JOB).status()).toBe('FINISHED');
    expect(server.requests[0]?.url).toBe(`/gateway/flink/v1/jobs/${JOB}/status`);
    expect(server.requests[0]?.headers['user-agent']).toMatch(/^flink-client\//);
  });

  it('retries 503 (leader election) with backoff and emits retry events', async () => {
    let calls = 0;
    server.use(
      http.get('*/v1/jobs/:id/status', () => {
        calls++;
        return calls < 3
          ? HttpResponse.json({ errors: ['Service temporarily unavailable due to an ongoing leader election. Please refresh.'] }, { status: 503 })
          : status('RUNNING');
      }),
    );
    const c = client();
    const retries: RetryEvent[] = [];
    c.on('retry', (e) => retries.push(e));
    expect(await c.job(JOB).status()).toBe('RUNNING');
    expect(calls).toBe(3);
    expect(retries.map((r) => r.attempt)).toEqual([2, 3]);
    expect(retries[0]?.error).toBeInstanceOf(FlinkServerError);
  });

  it('gives up after maxRetries with a FlinkServerError naming the leader election', async () => {
    server.use(http.get('*/v1/jobs/:id/status', () => HttpResponse.json({ errors: ['Service temporarily unavailable due to an ongoing leader election. Please refresh.'] }, { status: 503 })));
    const err = await client({ maxRetries: 2 }).job(JOB).status().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkServerError);
    expect(err.status).toBe(503);
    expect(err.message).toBe(`GET /jobs/${JOB}/status → 503: Service temporarily unavailable due to an ongoing leader election. Please refresh.`);
    expect(server.requests).toHaveLength(3);
  });

  it('honours Retry-After', async () => {
    let calls = 0;
    server.use(
      http.get('*/v1/jobs/:id/status', () => (++calls === 1 ? new HttpResponse(null, { status: 429, headers: { 'retry-after': '1' } }) : status('RUNNING'))),
    );
    const c = client();
    const delays: number[] = [];
    c.on('retry', (e) => delays.push(e.delayMs));
    await c.job(JOB).status();
    expect(delays).toEqual([1000]);
  });

  it('does not retry 500: Flink uses it for failures that repeat', async () => {
    server.use(http.get('*/v1/jobs/:id/status', () => HttpResponse.json({ errors: ['Internal server error.', '<Exception on server side:\njava.lang.RuntimeException: nope\nEnd of exception on server side>'] }, { status: 500 })));
    const err = await client().job(JOB).status().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkServerError);
    expect(err.message).toContain('java.lang.RuntimeException: nope');
    expect(server.requests).toHaveLength(1);
  });

  it('never retries a POST without a client-chosen id (cluster shutdown), but does retry one with it', async () => {
    server.use(http.delete('*/v1/cluster', () => new HttpResponse(null, { status: 503 })));
    await expect(client().shutDownCluster()).rejects.toBeInstanceOf(FlinkServerError);
    expect(server.requests).toHaveLength(1);
    server.reset();
    let calls = 0;
    server.use(http.post('*/v1/jobs/:id/savepoints', () => (++calls === 1 ? new HttpResponse(null, { status: 503 }) : HttpResponse.json({ 'request-id': hexId() }))));
    await client().job(JOB).triggerSavepoint({ targetDirectory: '/tmp/sp' });
    expect(calls).toBe(2);
    const bodies = server.requests.map((r) => JSON.parse(r.body) as { triggerId: string });
    expect(bodies[0]?.triggerId).toMatch(/^[0-9a-f]{32}$/);
    expect(bodies[1]?.triggerId).toBe(bodies[0]?.triggerId);
  });

  it('times out one attempt and retries idempotent calls', async () => {
    let calls = 0;
    server.use(
      http.get('*/v1/jobs/:id/status', async () => {
        if (++calls === 1) await delay(5_000);
        return status('RUNNING');
      }),
    );
    // An attempt timeout the second (prompt) answer meets even on a loaded machine.
    expect(await client({ timeoutMs: 1_000 }).job(JOB).status()).toBe('RUNNING');
    expect(calls).toBe(2);
  });

  it('fails with FlinkTimeoutError (phase attempt) when every attempt times out', async () => {
    server.use(http.get('*/v1/jobs/:id/status', async () => { await delay(2_000); return status('RUNNING'); }));
    const err = await client({ timeoutMs: 50, maxRetries: 1 }).job(JOB).status().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkTimeoutError);
    expect(err.phase).toBe('attempt');
    expect(err.timeoutMs).toBe(50);
  });

  it('aborts a request in flight and a retry sleep', async () => {
    server.use(http.get('*/v1/jobs/:id/status', async () => { await delay(5_000); return status('RUNNING'); }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user gave up')), 50);
    const err = await client().job(JOB).status({ signal: controller.signal }).catch((e) => e);
    expect(err).toBeInstanceOf(FlinkAbortError);
    expect(err.cause).toEqual(new Error('user gave up'));

    server.reset();
    server.use(http.get('*/v1/jobs/:id/status', () => new HttpResponse(null, { status: 503 })));
    // The retry sleep outlasts the test's timeout: only an abort that cuts it short lets this pass.
    const c2 = client({ retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    const controller2 = new AbortController();
    setTimeout(() => controller2.abort(), 100);
    await expect(c2.job(JOB).status({ signal: controller2.signal })).rejects.toBeInstanceOf(FlinkAbortError);
  });

  it('rejects at once for an already-aborted signal, sending nothing', async () => {
    // A job id of its own: a late request of an earlier test on the shared server must not count.
    const own = 'f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5';
    await expect(client().job(own).status({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(FlinkAbortError);
    expect(server.requests.filter((r) => r.url.includes(own))).toHaveLength(0);
  });

  it('turns a body that is not JSON into FlinkValidationError, never a TypeError', async () => {
    server.use(http.get('*/v1/jobs/:id/status', () => new HttpResponse('<html>bad gateway page</html>', { status: 200, headers: { 'content-type': 'text/html' } })));
    const err = await client().job(JOB).status().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkValidationError);
    expect(err.endpoint).toBe(`GET /jobs/${JOB}/status`);
    expect(err.body).toContain('bad gateway page');
  });

  it('turns a truncated JSON body into FlinkValidationError', async () => {
    server.use(http.get('*/v1/jobs/:id/status', () => new HttpResponse('{"status": "RUN', { status: 200, headers: FLINK_JSON })));
    await expect(client().job(JOB).status()).rejects.toBeInstanceOf(FlinkValidationError);
  });

  it('turns a body of the wrong shape into FlinkValidationError with issues', async () => {
    server.use(http.get('*/v1/jobs/:id/status', () => HttpResponse.json({ status: 42 })));
    const err = await client().job(JOB).status().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkValidationError);
    expect(err.issues[0].path).toEqual(['status']);
  });

  it('keeps unknown fields and values in lenient mode and rejects them in strict mode', async () => {
    server.use(http.get('*/v1/jobs/:id/status', () => HttpResponse.json({ status: 'HIBERNATING', extra: 1 })));
    expect(await client().job(JOB).status()).toBe('HIBERNATING');
    await expect(client({ validation: 'strict' }).job(JOB).status()).rejects.toBeInstanceOf(FlinkValidationError);
  });

  it('passes bodies through unchecked with validation off', async () => {
    server.use(http.get('*/v1/overview', () => HttpResponse.json({ taskmanagers: 'not-a-number' })));
    const overview = (await client({ validation: 'off' }).overview()) as unknown as { taskmanagers: string };
    expect(overview.taskmanagers).toBe('not-a-number');
  });

  it('caps response size, by Content-Length and while streaming', async () => {
    server.use(http.get('*/v1/jobs/overview', () => HttpResponse.json({ jobs: [], pad: 'x'.repeat(10_000) })));
    const err = await client({ maxResponseBytes: 1_000 }).listJobs().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkResponseTooLargeError);
    expect(err.limit).toBe(1_000);

    server.reset();
    server.use(
      http.get('*/v1/jobs/overview', () => {
        const stream = new ReadableStream({
          start(controller) {
            for (let i = 0; i < 100; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1_000)));
            controller.close();
          },
        });
        return new HttpResponse(stream, { headers: FLINK_JSON });
      }),
    );
    await expect(client({ maxResponseBytes: 5_000 }).listJobs()).rejects.toBeInstanceOf(FlinkResponseTooLargeError);
  });

  it('an abort while a call waits for a connection settles it at once; the connection stays usable', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    server.use(http.get('*/v1/overview', async () => {
      await held;
      return HttpResponse.json({ taskmanagers: 1, 'slots-total': 1, 'slots-available': 1, 'jobs-running': 0, 'jobs-finished': 0, 'jobs-cancelled': 0, 'jobs-failed': 0, 'flink-version': '2.3.0', 'flink-commit': 'x' }, { headers: FLINK_JSON });
    }));
    const c = client({ connections: 1 });
    const first = c.overview();
    // The only connection is busy with `first`: this call waits in undici's queue until aborted.
    const controller = new AbortController();
    const queued = c.job(JOB).status({ signal: controller.signal });
    controller.abort(new Error('no longer needed'));
    await expect(queued).rejects.toBeInstanceOf(FlinkAbortError);
    release();
    expect((await first).taskmanagers).toBe(1);
    expect(await c.job(JOB).status()).toBe('RUNNING');
    // The aborted call never reached the server.
    expect(server.requests.filter((r) => r.url.endsWith('/status'))).toHaveLength(1);
  });

  it('reads answers whose header names are object keys or repeat, as plain headers', async () => {
    // A raw server: msw's Headers would merge the repeats and drop nothing odd.
    const body = '{"status":"RUNNING"}';
    const head = (status: string, extra: string): string =>
      `HTTP/1.1 ${status}\r\nconstructor: x\r\n__proto__: y\r\nhasOwnProperty: z\r\n${extra}Content-Length: ${status.startsWith('200') ? body.length : 0}\r\n\r\n`;
    let answered = 0;
    const raw = createServer((socket) => {
      socket.on('data', () => {
        // First a 429 with Retry-After twice (the first counts), then the answer with its content type twice.
        socket.write(answered++ === 0 ? head('429 Too Many Requests', 'Retry-After: 0\r\nRetry-After: 9\r\n') : head('200 OK', 'Content-Type: application/json\r\nContent-Type: text/plain\r\n') + body);
      });
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    try {
      const c = client({ url: `http://127.0.0.1:${(raw.address() as { port: number }).port}` });
      const delays: number[] = [];
      c.on('retry', (e) => delays.push(e.delayMs));
      expect(await c.job(JOB).status()).toBe('RUNNING');
      expect(delays).toEqual([0]);
    } finally {
      raw.close();
    }
  });

  it('rejects a malformed job id before sending anything', async () => {
    const c = client();
    expect(() => c.job('../../cluster')).toThrow(FlinkArgumentError);
    expect(() => c.job('xyz')).toThrow(/32 hexadecimal/);
    expect(server.requests).toHaveLength(0);
  });

  it('maps 400 to FlinkBadRequestError with Flink errors on the error', async () => {
    server.use(http.post('*/v1/jobs/:id/savepoints', () => HttpResponse.json({ errors: ['org.apache.flink.runtime.rest.handler.RestHandlerException: Config key [state.savepoints.dir] is not set.\n\tat ...'] }, { status: 400 })));
    const err = await client().job(JOB).triggerSavepoint().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkBadRequestError);
    expect(err.code).toBe('FLINK_BAD_REQUEST');
    expect(err.message).toBe(`POST /jobs/${JOB}/savepoints → 400: org.apache.flink.runtime.rest.handler.RestHandlerException: Config key [state.savepoints.dir] is not set.`);
  });
});

describe('authentication and credentials', () => {
  it('sends basic auth and never leaks it into events or errors', async () => {
    server.use(http.get('*/v1/jobs/:id/status', ({ request }) => HttpResponse.json({ errors: [`denied for ${request.headers.get('authorization')}`] }, { status: 401 })));
    const c = client({ auth: { type: 'basic', username: 'alice', password: 'hunter2-secret' } });
    const events: RequestEvent[] = [];
    c.on('request', (e) => events.push(e));
    const err = await c.job(JOB).status().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkAuthenticationError);
    expect(server.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('alice:hunter2-secret').toString('base64')}`);
    const everything = JSON.stringify({ events, err, message: err.message, errors: err.errors, body: err.body });
    expect(everything).not.toContain('hunter2-secret');
    expect(everything).not.toContain(Buffer.from('alice:hunter2-secret').toString('base64'));
    expect(events[0]?.headers.authorization).toBe('[REDACTED]');
  });

  it('calls a bearer token function before every attempt (rotating tokens)', async () => {
    let n = 0;
    let calls = 0;
    server.use(http.get('*/v1/jobs/:id/status', () => (++calls === 1 ? new HttpResponse(null, { status: 503 }) : status('RUNNING'))));
    const c = client({ auth: { type: 'bearer', token: async () => `tok-${++n}-abcdef` } });
    await c.job(JOB).status();
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1-abcdef', 'Bearer tok-2-abcdef']);
  });

  it('fails with a typed error when the token function throws', async () => {
    const c = client({ auth: { type: 'bearer', token: () => { throw new Error('vault down'); } } });
    const err = await c.job(JOB).status().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkError);
    expect(err.code).toBe('FLINK_AUTH_PROVIDER_FAILED');
  });

  it('bounds a hanging token provider by the attempt deadline and the caller signal', async () => {
    const hang = () => new Promise<string>(() => undefined);
    const timedOut = await client({ auth: { type: 'bearer', token: hang }, timeoutMs: 100, maxRetries: 0 }).job(JOB).status().catch((e) => e);
    expect(timedOut).toBeInstanceOf(FlinkTimeoutError);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const aborted = await client({ auth: { type: 'bearer', token: hang } }).job(JOB).status({ signal: controller.signal }).catch((e) => e);
    expect(aborted).toBeInstanceOf(FlinkAbortError);
    expect(server.requests).toHaveLength(0);
  });

  it('redacts headers the user marks sensitive', async () => {
    const c = client({ headers: { 'X-Tenant-Key': 'tenant-secret-123' }, sensitiveHeaders: ['x-tenant-key'] });
    const events: RequestEvent[] = [];
    c.on('request', (e) => events.push(e));
    await c.job(JOB).status();
    expect(server.requests[0]?.headers['x-tenant-key']).toBe('tenant-secret-123');
    expect(JSON.stringify(events)).not.toContain('tenant-secret-123');
  });

  it('refuses credentials embedded in the URL', () => {
    expect(() => new ClusterClient({ url: 'http://user:pw@localhost:8081' })).toThrow(FlinkArgumentError);
  });
});

describe('events', () => {
  it('emits request and response with status and duration', async () => {
    const c = client();
    const seen: string[] = [];
    c.on('request', (e) => seen.push(`request ${e.method} ${e.path} #${e.attempt}`));
    c.on('response', (e) => {
      seen.push(`response ${e.status}`);
      expect(e.durationMs).toBeGreaterThanOrEqual(0);
    });
    await c.job(JOB).status();
    expect(seen).toEqual([`request GET /jobs/${JOB}/status #1`, 'response 200']);
  });
});

describe('high availability', () => {
  async function deadPort(): Promise<number> {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  }

  it('fails over from a refused JobManager to the next and remembers the leader', async () => {
    const dead = `http://127.0.0.1:${await deadPort()}`;
    const c = client({ url: [dead, server.url], maxRetries: 0 });
    expect(await c.job(JOB).status()).toBe('RUNNING');
    expect(c.url).toBe(server.url);
    expect(await c.job(JOB).status()).toBe('RUNNING');
    expect(server.requests).toHaveLength(2);
  });

  it('fails over on 503 from a standby', async () => {
    const standby = await startMswServer([http.all('*', () => HttpResponse.json({ errors: ['Service temporarily unavailable due to an ongoing leader election. Please refresh.'] }, { status: 503 }))]);
    try {
      const c = client({ url: [standby.url, server.url] });
      expect(await c.job(JOB).status()).toBe('RUNNING');
      expect(standby.requests).toHaveLength(1);
      expect(c.url).toBe(server.url);
    } finally {
      await standby.close();
    }
  });

  it('reports a connection error when no JobManager answers', async () => {
    const c = client({ url: [`http://127.0.0.1:${await deadPort()}`], maxRetries: 1 });
    const err = await c.job(JOB).status().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkConnectionError);
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('lets RestClusterDescriptor verify the cluster and close the client when that fails', async () => {
    server.use(http.get('*/v1/config', () => HttpResponse.json(recorded('2.3.0', 'config').body as Record<string, unknown>)));
    const c = await new RestClusterDescriptor({ url: server.url }).retrieve();
    clients.push(c);
    expect(await c.flinkVersion()).toBe('2.3.0');
    expect(server.requests).toHaveLength(1);
    await expect(new RestClusterDescriptor({ url: `http://127.0.0.1:${await deadPort()}`, maxRetries: 0 }).retrieve()).rejects.toBeInstanceOf(FlinkConnectionError);
  });
});

describe('lifecycle', () => {
  it('rejects calls after close and releases its sockets', async () => {
    const c = new ClusterClient({ url: server.url });
    await c.job(JOB).status();
    await c.close();
    const err = await c.job(JOB).status().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkError);
    expect(err.code).toBe('FLINK_CLIENT_CLOSED');
    await delay(50);
    expect(server.openSockets()).toBe(0);
  });
});
