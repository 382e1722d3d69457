import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApplicationChange,
  ClusterClient,
  type ClusterClientOptions,
  FlinkArgumentError,
  FlinkAuthenticationError,
  FlinkServerError,
  FlinkValidationError,
  type JobChange,
  type JobOverview,
  type WatchChange,
  type WatchErrorEvent,
  type WatchEvent,
} from 'flink-client';
import { type MswServer, startMswServer } from '../support/msw-server.js';

// Watchers against a loopback server that plays a JobManager whose state the test sets. Timing is
// never asserted: tests wait for poll counts, requests and events (with generous limits that only
// stop a hang), so a loaded machine makes them slower, not flaky.

const id = (n: number) => n.toString(16).padStart(32, '0');

interface FakeJob {
  state: string;
  lastModification: number;
}

/** A fake JobManager: its jobs, applications and how it answers. */
class FakeFlink {
  version = '2.3.0';
  refreshInterval = 3_000;
  jobs = new Map<string, FakeJob>();
  applications = new Map<string, { status: string; jobs: Record<string, number> }>();
  /** 'ok', an HTTP status to answer every overview with, 'reset' to drop the connection, or a raw body. */
  mode: 'ok' | 'reset' | number | { body: string } = 'ok';
  /** When set, jobs overview requests wait until the test opens the gate. */
  gate: { open: () => void; promise: Promise<void>; waiting: number } | undefined;
  /** Jobs overview requests held at the current gate. */
  get inFlight(): number {
    return this.gate?.waiting ?? 0;
  }

  set(n: number, state: string): void {
    const prev = this.jobs.get(id(n));
    this.jobs.set(id(n), { state, lastModification: (prev?.lastModification ?? 1_000) + 1 });
  }

  touch(n: number): void {
    const job = this.jobs.get(id(n));
    if (job) job.lastModification++;
  }

  close(): void {
    const gate = this.gate;
    this.gate = undefined;
    gate?.open();
  }

  hold(): void {
    let open!: () => void;
    const promise = new Promise<void>((r) => (open = r));
    this.gate = { open, promise, waiting: 0 };
  }

  overview(): { jobs: JobOverview[] } {
    return {
      jobs: [...this.jobs].map(([jid, j]) => ({
        jid,
        name: `job-${parseInt(jid, 16)}`,
        'start-time': 1,
        'end-time': ['FINISHED', 'FAILED', 'CANCELED'].includes(j.state) ? j.lastModification : -1,
        duration: 10,
        state: j.state,
        'last-modification': j.lastModification,
        tasks: { total: 1, created: 0, scheduled: 0, deploying: 0, running: 1, finished: 0, canceling: 0, canceled: 0, failed: 0, reconciling: 0, initializing: 0 },
      })),
    };
  }

  handlers() {
    const answer = async (body: () => unknown, gated = false) => {
      const gate = gated ? this.gate : undefined;
      if (gate) {
        gate.waiting++;
        await gate.promise;
      }
      {
        const mode = this.mode;
        if (mode === 'reset') return HttpResponse.error();
        if (typeof mode === 'number') return HttpResponse.json({ errors: [`answering ${mode}`] }, { status: mode });
        if (typeof mode === 'object') return new HttpResponse(mode.body, { status: 200, headers: { 'content-type': 'application/json' } });
        return HttpResponse.json(body() as Record<string, unknown>);
      }
    };
    return [
      http.get('*/v1/config', () =>
        HttpResponse.json({
          'refresh-interval': this.refreshInterval,
          'timezone-name': 'UTC',
          'timezone-offset': 0,
          'flink-version': this.version,
          'flink-revision': 'test',
          features: { 'web-submit': true, 'web-cancel': true, 'web-rescale': false, 'web-history': false },
        }),
      ),
      http.get('*/v1/jobs/overview', () => answer(() => this.overview(), true)),
      http.get('*/v1/applications/overview', () =>
        answer(() => ({
          applications: [...this.applications].map(([appId, a]) => ({
            id: appId,
            name: `app-${parseInt(appId, 16)}`,
            'start-time': 1,
            'end-time': ['FINISHED', 'FAILED', 'CANCELED'].includes(a.status) ? 5 : -1,
            duration: 4,
            status: a.status,
            jobs: a.jobs,
          })),
        })),
      ),
    ];
  }
}

let server: MswServer;
let flink: FakeFlink;
const clients: ClusterClient[] = [];

function client(options: Partial<ClusterClientOptions> = {}): ClusterClient {
  const c = new ClusterClient({ url: server.url, maxRetries: 0, ...options });
  clients.push(c);
  return c;
}

const overviewRequests = () => server.requests.filter((r) => r.url.startsWith('/v1/jobs/overview')).length;
const appOverviewRequests = () => server.requests.filter((r) => r.url.startsWith('/v1/applications/overview')).length;

/** Waits until `ok()` holds (limit only against hangs). */
async function until(ok: () => boolean, what = 'condition', limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const jobsPoller = (c: ClusterClient) => c.watchPollers().find((p) => p.resource === 'jobs');

/**
 * Waits until the shared jobs poll has completed `n` more polls than it had when it was first
 * seen running. Counting from the first sight, not from the call, keeps a slow machine from
 * making the count one poll too high (the first poll may already be over when this looks).
 */
async function polls(c: ClusterClient, n: number, since: 'start' | 'now' = 'now'): Promise<void> {
  await until(() => jobsPoller(c) !== undefined, 'jobs poller running');
  const base = since === 'start' ? 0 : (jobsPoller(c)?.polls ?? 0);
  await until(() => (jobsPoller(c)?.polls ?? Infinity) >= base + n, `${n} polls`);
}

const brief = (c: WatchChange | WatchEvent) =>
  c.type === 'error' ? `error ${c.fatal ? 'fatal' : 'transient'}` : `${c.type} ${parseInt(c.resource === 'job' ? c.jobId : c.applicationId, 16)} ${c.previousStatus ?? '-'}>${c.status}`;

beforeAll(async () => {
  server = await startMswServer([]);
});
afterEach(async () => {
  flink?.close();
  for (const c of clients.splice(0)) await c.close();
  server.reset();
});
afterAll(async () => {
  await server.close();
});

function fresh(): FakeFlink {
  flink = new FakeFlink();
  server.use(...flink.handlers());
  return flink;
}

describe('coalescing', () => {
  it('serves any number of watchers with one request per interval and no per-job request', async () => {
    fresh();
    for (let n = 1; n <= 300; n++) flink.set(n, 'RUNNING');
    flink.hold();
    const cluster = client();
    const iterators = Array.from({ length: 300 }, (_, i) => cluster.job(id(i + 1)).watch({ pollIntervalMs: 20 }));
    const firsts = iterators.map((it) => it.next());
    const watchers = [cluster.watch({ jobs: 'all', pollIntervalMs: 50 }).start(), cluster.watch({ jobs: [id(1), id(2)] }).start(), cluster.watch({ applications: 'all' }).start()];
    // Every watcher is waiting on one poll: exactly one overview request is at the server.
    await until(() => flink.inFlight === 1, 'first overview request');
    await new Promise((r) => setTimeout(r, 50));
    expect(flink.inFlight).toBe(1);
    // The loopback server logs a request as it arrives: this one is the only one so far.
    expect(overviewRequests()).toBe(1);
    flink.close();
    const initial = await Promise.all(firsts);
    expect(initial.every((r, i) => !r.done && r.value.status === 'RUNNING' && r.value.jobId === id(i + 1) && r.value.initial)).toBe(true);
    // Each later cycle: still one request, whatever the number of watchers.
    for (let cycle = 0; cycle < 3; cycle++) {
      flink.hold();
      await until(() => flink.inFlight === 1, 'next overview request');
      expect(flink.inFlight).toBe(1);
      flink.close();
    }
    await polls(cluster, 2);
    expect(overviewRequests()).toBeLessThanOrEqual((jobsPoller(cluster)?.polls ?? 0) + 1);
    expect(server.requests.filter((r) => /\/v1\/jobs\/[0-9a-f]{32}/.test(r.url))).toEqual([]);
    // 2.3: watching applications adds the one applications poll.
    expect(cluster.watchPollers().length).toBe(2);
    expect(server.requests.filter((r) => r.url === '/v1/config')).toHaveLength(1);
    for (const it of iterators) await it.return?.();
    for (const w of watchers) w.stop();
    expect(cluster.watchPollers().length).toBe(0);
  });

  it('runs at the smallest interval asked for, and the refresh interval from /config by default', async () => {
    fresh();
    flink.refreshInterval = 40;
    flink.set(1, 'RUNNING');
    const cluster = client();
    const slow = cluster.watch({ pollIntervalMs: 60_000 }).start();
    const byDefault = cluster.watch().start();
    await polls(cluster, 1);
    expect(jobsPoller(cluster)?.intervalMs).toBe(40);
    byDefault.stop();
    expect(jobsPoller(cluster)?.intervalMs).toBe(60_000);
    const fast = cluster.watch({ pollIntervalMs: 15 }).start();
    expect(jobsPoller(cluster)?.intervalMs).toBe(15);
    // The faster watcher takes effect at once, not after the 60 s sleep in progress.
    await polls(cluster, 2);
    fast.stop();
    slow.stop();
  });

  it('gives a watcher that joins late the current state at once, without a request of its own', async () => {
    fresh();
    flink.set(1, 'RUNNING');
    flink.set(2, 'FINISHED');
    // A 60 s watcher whose first poll hits one transient failure (a reset socket on a loaded
    // machine) would next poll a minute later: the pipeline's own retries ride it out instead, and
    // any error the watcher saw is named if the poll still does not come.
    const cluster = client({ maxRetries: 3, retry: { initialDelayMs: 10, maxDelayMs: 50 } });
    const first = cluster.watch({ pollIntervalMs: 60_000 });
    const errors: string[] = [];
    first.on('error', (e) => errors.push(e.error.message));
    first.start();
    // The first poll of a 60 s poll: counted from the start, since it may be over before this looks.
    await polls(cluster, 1, 'start').catch((err: Error) => {
      throw new Error(`${err.message}; watcher errors: ${errors.join(' | ') || 'none'}`);
    });
    const before = overviewRequests();
    const seen: string[] = [];
    const terminal: string[] = [];
    const late = cluster.watch({ jobs: 'all', pollIntervalMs: 60_000 });
    late.on('added', (c) => seen.push(`${brief(c)}${c.initial ? ' initial' : ''}`));
    late.on('terminal', (c) => terminal.push(brief(c)));
    late.start();
    expect(seen).toEqual(['added 1 ->RUNNING initial', 'added 2 ->FINISHED initial']);
    expect(terminal).toEqual(['added 2 ->FINISHED']);
    expect(overviewRequests()).toBe(before);
    late.stop();
    first.stop();
  });
});

describe('job.watch()', () => {
  it('yields the current state, then only changes, and ends at a terminal status', async () => {
    fresh();
    flink.set(1, 'CREATED');
    flink.set(2, 'RUNNING');
    const cluster = client();
    const it = cluster.job(id(1)).watch({ pollIntervalMs: 10 });
    const seen: string[] = [];
    const done = (async () => {
      for await (const change of it) seen.push(brief(change));
    })();
    await until(() => seen.length === 1, 'initial state');
    await polls(cluster, 3);
    flink.set(2, 'FAILED');
    flink.touch(1);
    await polls(cluster, 2);
    expect(seen).toEqual(['added 1 ->CREATED']);
    flink.set(1, 'RUNNING');
    await until(() => seen.length === 2, 'RUNNING');
    await polls(cluster, 2);
    flink.set(1, 'FINISHED');
    await done;
    expect(seen).toEqual(['added 1 ->CREATED', 'status 1 CREATED>RUNNING', 'status 1 RUNNING>FINISHED']);
    // The last watcher ended: the poll stopped.
    expect(cluster.watchPollers().length).toBe(0);
  });

  it('ends at once for a job already terminal, after yielding its state', async () => {
    fresh();
    flink.set(1, 'CANCELED');
    const cluster = client();
    const changes: JobChange[] = [];
    for await (const change of cluster.job(id(1)).watch({ pollIntervalMs: 10 })) changes.push(change);
    expect(changes.map((c) => [c.type, c.status, c.terminal, c.initial])).toEqual([['added', 'CANCELED', true, true]]);
    expect(changes[0]?.details).toMatchObject({ jid: id(1), name: 'job-1', state: 'CANCELED' });
  });

  it('waits for a job that does not exist yet, and ends when a job is removed', async () => {
    fresh();
    const cluster = client();
    const seen: string[] = [];
    const done = (async () => {
      for await (const change of cluster.job(id(7)).watch({ pollIntervalMs: 10 })) seen.push(`${brief(change)} initial=${change.initial}`);
    })();
    await polls(cluster, 3);
    expect(seen).toEqual([]);
    flink.set(7, 'INITIALIZING');
    await until(() => seen.length === 1, 'job appears');
    flink.jobs.delete(id(7));
    await done;
    expect(seen).toEqual(['added 7 ->INITIALIZING initial=false', 'removed 7 INITIALIZING>INITIALIZING initial=false']);
  });

  it('completes, without throwing, when its signal aborts, even while waiting', async () => {
    fresh();
    flink.set(1, 'RUNNING');
    const cluster = client();
    const controller = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const change of cluster.job(id(1)).watch({ pollIntervalMs: 10, signal: controller.signal })) seen.push(brief(change));
      return 'completed';
    })();
    await until(() => seen.length === 1, 'initial');
    await polls(cluster, 1);
    controller.abort();
    await expect(done).resolves.toBe('completed');
    expect(cluster.watchPollers().length).toBe(0);
    // An already aborted signal: nothing is polled.
    const before = overviewRequests();
    const none = await cluster.job(id(1)).watch({ signal: controller.signal }).next();
    expect(none.done).toBe(true);
    expect(overviewRequests()).toBe(before);
  });

  it('rides out transient errors (reported to onError) and yields what changed meanwhile, once', async () => {
    fresh();
    flink.set(1, 'RUNNING');
    const cluster = client();
    const errors: WatchErrorEvent[] = [];
    const seen: string[] = [];
    const done = (async () => {
      for await (const change of cluster.job(id(1)).watch({ pollIntervalMs: 10, onError: (e) => errors.push(e) })) seen.push(brief(change));
    })();
    await until(() => seen.length === 1, 'initial');
    flink.mode = 503;
    await until(() => errors.length >= 3, 'three failed polls');
    expect(errors.every((e) => !e.fatal && e.error instanceof FlinkServerError)).toBe(true);
    expect(errors.slice(0, 3).map((e) => e.failures)).toEqual([1, 2, 3]);
    // Backoff: each pause is longer than the last (10 ms, then about 20, 40, ... with jitter).
    expect((errors[2]?.retryInMs ?? 0) > (errors[0]?.retryInMs ?? 0)).toBe(true);
    flink.mode = 'reset';
    flink.set(1, 'FINISHED');
    const resets = errors.length;
    await until(() => errors.length > resets, 'a reset connection');
    expect(errors.at(-1)?.error.code).toBe('FLINK_CONNECTION_ERROR');
    flink.mode = 'ok';
    await done;
    expect(seen).toEqual(['added 1 ->RUNNING', 'status 1 RUNNING>FINISHED']);
  });

  it('ends with a typed error on a fatal failure: credentials refused', async () => {
    fresh();
    flink.set(1, 'RUNNING');
    const cluster = client();
    const it = cluster.job(id(1)).watch({ pollIntervalMs: 10 });
    expect((await it.next()).value?.status).toBe('RUNNING');
    flink.mode = 401;
    const err = await it.next().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkAuthenticationError);
    expect(err.status).toBe(401);
    expect((await it.next()).done).toBe(true);
    expect(cluster.watchPollers().length).toBe(0);
  });

  it('ends with FlinkValidationError on a body of the wrong shape, but rides out one that is not JSON', async () => {
    fresh();
    flink.set(1, 'RUNNING');
    const cluster = client();
    const errors: WatchErrorEvent[] = [];
    const it = cluster.job(id(1)).watch({ pollIntervalMs: 10, onError: (e) => errors.push(e) });
    await it.next();
    flink.mode = { body: '<html>bad gateway</html>' };
    await until(() => errors.length >= 2, 'non-JSON bodies ridden out');
    expect(errors[0]?.error).toBeInstanceOf(FlinkValidationError);
    flink.mode = { body: JSON.stringify({ jobs: [{ jid: 5 }] }) };
    await expect(it.next()).rejects.toBeInstanceOf(FlinkValidationError);
  });

  it('gives a slow consumer the latest state, merged from what it missed', async () => {
    fresh();
    flink.set(1, 'RUNNING');
    const cluster = client();
    const it = cluster.job(id(1)).watch({ pollIntervalMs: 10 });
    await it.next();
    flink.set(1, 'RESTARTING');
    await polls(cluster, 2);
    flink.set(1, 'RUNNING');
    await polls(cluster, 2);
    flink.set(1, 'CANCELLING');
    await polls(cluster, 2);
    const merged = (await it.next()).value as JobChange;
    expect([merged.previousStatus, merged.status]).toEqual(['RUNNING', 'CANCELLING']);
    await it.return?.();
  });

  it('reports details-only changes with changes: "all"', async () => {
    fresh();
    flink.set(1, 'RUNNING');
    const cluster = client();
    const it = cluster.job(id(1)).watch({ pollIntervalMs: 10, changes: 'all' });
    await it.next();
    flink.touch(1);
    const next = (await it.next()).value as JobChange;
    expect([next.type, next.previousStatus, next.status]).toEqual(['status', 'RUNNING', 'RUNNING']);
    await it.return?.();
  });

  it('checks its options before anything is sent', () => {
    fresh();
    const cluster = client();
    expect(() => cluster.job(id(1)).watch({ pollIntervalMs: -1 })).toThrow(FlinkArgumentError);
    expect(() => cluster.job(id(1)).watch({ changes: 'some' as never })).toThrow(FlinkArgumentError);
    expect(() => cluster.watch({ jobs: ['nope'] })).toThrow(FlinkArgumentError);
    expect(server.requests).toEqual([]);
  });
});

describe('cluster.watch()', () => {
  it('emits typed events: added, status, terminal, removed', async () => {
    fresh();
    flink.set(1, 'RUNNING');
    flink.set(2, 'RUNNING');
    const cluster = client();
    const log: string[] = [];
    const watcher = cluster.watch({ jobs: 'all', pollIntervalMs: 10 });
    for (const event of ['added', 'status', 'terminal', 'removed'] as const) watcher.on(event, (c) => log.push(`${event}: ${brief(c)}`));
    watcher.start();
    await until(() => log.length === 2, 'initial state');
    flink.set(1, 'FAILED');
    await until(() => log.length === 4, 'FAILED');
    flink.jobs.delete(id(2));
    flink.set(3, 'INITIALIZING');
    await until(() => log.length === 6, 'removal and addition');
    watcher.stop();
    expect(log).toEqual([
      'added: added 1 ->RUNNING',
      'added: added 2 ->RUNNING',
      'status: status 1 RUNNING>FAILED',
      'terminal: status 1 RUNNING>FAILED',
      'added: added 3 ->INITIALIZING',
      'removed: removed 2 RUNNING>RUNNING',
    ]);
    expect(watcher.running).toBe(false);
    expect(cluster.watchPollers().length).toBe(0);
  });

  it('iterates the same data: changes and transient errors, and throws the fatal error', async () => {
    fresh();
    flink.set(1, 'RUNNING');
    const cluster = client();
    const watcher = cluster.watch({ pollIntervalMs: 10 });
    const seen: string[] = [];
    const done = (async () => {
      for await (const event of watcher) {
        seen.push(brief(event));
        if (event.type === 'error' && seen.length === 2) flink.mode = 403;
      }
    })();
    await until(() => seen.length === 1, 'initial');
    expect(watcher.running).toBe(true);
    flink.mode = 502;
    const err = await done.catch((e) => e);
    expect(err).toBeInstanceOf(FlinkAuthenticationError);
    expect(seen[0]).toBe('added 1 ->RUNNING');
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.slice(1).every((s) => s === 'error transient')).toBe(true);
    expect(watcher.running).toBe(false);
  });

  it('reports a fatal error as an error event and stops', async () => {
    fresh();
    flink.set(1, 'RUNNING');
    const cluster = client();
    const errors: WatchErrorEvent[] = [];
    const watcher = cluster.watch({ pollIntervalMs: 10 }).on('error', (e) => errors.push(e)).start();
    await polls(cluster, 1);
    flink.mode = 400;
    await until(() => !watcher.running, 'stopped');
    expect(errors.map((e) => [e.fatal, e.error.code])).toEqual([[true, 'FLINK_BAD_REQUEST']]);
  });

  it('a break out of the iterator stops a watcher it started', async () => {
    fresh();
    flink.set(1, 'RUNNING');
    const cluster = client();
    const watcher = cluster.watch({ pollIntervalMs: 10 });
    for await (const event of watcher) {
      expect(brief(event)).toBe('added 1 ->RUNNING');
      break;
    }
    expect(watcher.running).toBe(false);
    expect(cluster.watchPollers().length).toBe(0);
  });

  it('close() stops every watcher and completes its iterators', async () => {
    fresh();
    flink.set(1, 'RUNNING');
    const cluster = client();
    const watcher = cluster.watch({ pollIntervalMs: 10 }).start();
    const it = cluster.job(id(1)).watch({ pollIntervalMs: 10 });
    await it.next();
    const pending = it.next();
    await cluster.close();
    expect((await pending).done).toBe(true);
    expect(watcher.running).toBe(false);
    expect(cluster.watchPollers().length).toBe(0);
    let closedError: unknown;
    try {
      cluster.watch().start();
    } catch (e) {
      closedError = e;
    }
    expect(closedError).toMatchObject({ code: 'FLINK_CLIENT_CLOSED' });
    await expect(cluster.job(id(1)).watch().next()).rejects.toMatchObject({ code: 'FLINK_CLIENT_CLOSED' });
  });

  it('survives the JobManager going away: the job that finished meanwhile is reported once', async () => {
    fresh();
    flink.set(1, 'RUNNING');
    flink.set(2, 'RUNNING');
    const cluster = client();
    const log: string[] = [];
    const watcher = cluster.watch({ pollIntervalMs: 10 });
    watcher.on('status', (c) => log.push(brief(c)));
    watcher.on('error', (e) => log.push(brief(e)));
    watcher.start();
    await polls(cluster, 1);
    flink.mode = 'reset';
    await until(() => log.length >= 2, 'errors while away');
    flink.set(1, 'FINISHED');
    flink.mode = 'ok';
    await until(() => log.includes('status 1 RUNNING>FINISHED'), 'FINISHED');
    await polls(cluster, 3);
    watcher.stop();
    expect(log.filter((l) => l.startsWith('status'))).toEqual(['status 1 RUNNING>FINISHED']);
    expect(log.slice(0, log.indexOf('status 1 RUNNING>FINISHED')).every((l) => l === 'error transient')).toBe(true);
  });
});

describe('watching applications', () => {
  it('polls /applications/overview on Flink 2.3', async () => {
    fresh();
    flink.applications.set(id(1), { status: 'RUNNING', jobs: { RUNNING: 2 } });
    const cluster = client();
    const seen: ApplicationChange[] = [];
    const done = (async () => {
      for await (const change of cluster.application(id(1)).watch({ pollIntervalMs: 10 })) seen.push(change);
    })();
    await until(() => seen.length === 1, 'initial');
    flink.applications.set(id(1), { status: 'FINISHED', jobs: { FINISHED: 2 } });
    await done;
    expect(seen.map(brief)).toEqual(['added 1 ->RUNNING', 'status 1 RUNNING>FINISHED']);
    expect(seen[1]?.details).toMatchObject({ applicationId: id(1), status: 'FINISHED', jobCounts: { FINISHED: 2 }, emulated: false });
    expect(overviewRequests()).toBe(0);
  });

  it('derives single-job applications from the jobs poll before 2.3, at no extra request', async () => {
    fresh();
    flink.version = '1.20.5';
    flink.set(1, 'RUNNING');
    const cluster = client();
    const jobs: string[] = [];
    const apps: ApplicationChange[] = [];
    const errors: WatchErrorEvent[] = [];
    const watcher = cluster.watch({ jobs: 'all', applications: 'all', pollIntervalMs: 10 });
    watcher
      .on('status', (c) => {
        if (c.resource === 'job') jobs.push(brief(c));
      })
      .on('error', (e) => errors.push(e))
      .start();
    const done = (async () => {
      for await (const change of cluster.application(id(1)).watch({ pollIntervalMs: 10 })) apps.push(change);
    })();
    await until(() => apps.length === 1, 'initial');
    flink.set(1, 'RESTARTING');
    await until(() => jobs.length === 1, 'RESTARTING');
    flink.mode = 503;
    await until(() => errors.length >= 1, 'an error');
    flink.mode = 'ok';
    flink.set(1, 'RUNNING');
    await until(() => jobs.length === 2, 'RUNNING again');
    flink.set(1, 'CANCELED');
    await done;
    watcher.stop();
    expect(apps.map(brief)).toEqual(['added 1 ->RUNNING', 'status 1 RUNNING>CANCELED']);
    expect(apps[0]?.details.emulated).toBe(true);
    expect(appOverviewRequests()).toBe(0);
    expect(cluster.watchPollers().find((p) => p.resource === 'applications')).toBeUndefined();
    // The one failed poll reached the watcher once, though it serves jobs and applications alike.
    expect(errors.filter((e) => e.error === errors[0]?.error)).toHaveLength(1);
  });
});
