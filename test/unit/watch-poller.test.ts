import { afterEach, describe, expect, it } from 'vitest';
import { FlinkAbortError, FlinkAuthenticationError, FlinkConnectionError, FlinkServerError, FlinkValidationError, type JobOverview } from '../../src/index.js';
import { type EntryEvent, type OverviewSource, type PollSubscriber, SnapshotPoller } from '../../src/watch/snapshot-poller.js';
import { isTransientWatchError } from '../../src/watch/watch-errors.js';
import type { WatchErrorEvent } from '../../src/watch/watch-types.js';

// The shared poller, driven step by step: every read waits until the test serves it, and sleeps
// are virtual (recorded, not waited), so nothing here depends on timing.

const id = (n: number) => n.toString(16).padStart(32, '0');

function job(n: number, state: string, lastModification = 1_000): JobOverview {
  return {
    jid: id(n),
    name: `job-${n}`,
    'start-time': 1,
    'end-time': -1,
    duration: 5,
    state,
    'last-modification': lastModification,
    tasks: { total: 1, created: 0, scheduled: 0, deploying: 0, running: 1, finished: 0, canceling: 0, canceled: 0, failed: 0, reconciling: 0, initializing: 0 },
  };
}

function harness(options: { defaultIntervalMs?: number; maxBackoffMs?: number } = {}) {
  let pending: { resolve: (v: readonly JobOverview[]) => void; reject: (e: unknown) => void } | undefined;
  let arrived: (() => void) | undefined;
  let fetches = 0;
  const sleeps: number[] = [];
  let stops = 0;
  const source: OverviewSource<JobOverview> = {
    name: 'jobs',
    fetch: (signal) =>
      new Promise((resolve, reject) => {
        fetches++;
        pending = { resolve, reject };
        signal.addEventListener('abort', () => reject(new FlinkAbortError(signal.reason)), { once: true });
        arrived?.();
      }),
    id: (j) => j.jid,
    status: (j) => j.state,
    sameDetails: (a, b) => a['last-modification'] === b['last-modification'],
  };
  const poller = new SnapshotPoller(source, {
    defaultIntervalMs: options.defaultIntervalMs ?? 3_000,
    maxBackoffMs: options.maxBackoffMs ?? 30_000,
    onStop: () => stops++,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw new FlinkAbortError(signal.reason);
      sleeps.push(ms);
    },
    random: () => 0.5,
    now: () => 42,
  });
  const untilRead = async (): Promise<void> => {
    if (pending) return;
    await new Promise<void>((r) => (arrived = r));
    arrived = undefined;
  };
  const settle = () => new Promise((r) => setImmediate(r));
  return {
    poller,
    sleeps,
    get fetches() {
      return fetches;
    },
    get stops() {
      return stops;
    },
    /** Waits for the poller's next read and answers it with these jobs. */
    async serve(...jobs: JobOverview[]) {
      await untilRead();
      const p = pending;
      pending = undefined;
      p?.resolve(jobs);
      await settle();
    },
    async fail(error: unknown) {
      await untilRead();
      const p = pending;
      pending = undefined;
      p?.reject(error);
      await settle();
    },
  };
}

function recorder(init: { ids?: string[]; intervalMs?: number; modifications?: boolean } = {}) {
  const events: EntryEvent<JobOverview>[] = [];
  const errors: WatchErrorEvent[] = [];
  const ends: unknown[] = [];
  const sub: PollSubscriber<JobOverview> = {
    ids: init.ids,
    intervalMs: init.intervalMs,
    modifications: init.modifications ?? false,
    entry: (e) => events.push(e),
    error: (e) => errors.push(e),
    end: (e) => ends.push(e ?? 'closed'),
  };
  const brief = () => events.map((e) => `${e.type} ${parseInt(e.id, 16)} ${e.previousStatus ?? '-'}>${e.status}${e.initial ? ' initial' : ''}`);
  return { sub, events, errors, ends, brief };
}

/** Subscribes, and returns the function that unsubscribes. */
function sub(poller: SnapshotPoller<JobOverview>, subscriber: PollSubscriber<JobOverview>): () => void {
  poller.subscribe(subscriber);
  return () => poller.unsubscribe(subscriber);
}

const connectionError = () => new FlinkConnectionError({ method: 'GET', url: 'u', path: '/jobs/overview', cause: new Error('ECONNRESET') });

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

describe('SnapshotPoller: diffing', () => {
  it('reports the first poll as the initial state, then only what changed', async () => {
    const h = harness();
    const all = recorder();
    cleanup.push(sub(h.poller, all.sub));
    await h.serve(job(1, 'RUNNING'), job(2, 'CREATED'));
    expect(all.brief()).toEqual(['added 1 ->RUNNING initial', 'added 2 ->CREATED initial']);
    await h.serve(job(1, 'RUNNING'), job(2, 'CREATED'));
    await h.serve(job(1, 'RUNNING'), job(2, 'CREATED'));
    expect(all.events).toHaveLength(2);
    await h.serve(job(1, 'RUNNING'), job(2, 'RUNNING', 2_000), job(3, 'INITIALIZING'));
    expect(all.brief().slice(2)).toEqual(['status 2 CREATED>RUNNING', 'added 3 ->INITIALIZING']);
    await h.serve(job(2, 'FINISHED', 3_000), job(3, 'INITIALIZING'));
    expect(all.brief().slice(4)).toEqual(['status 2 RUNNING>FINISHED', 'removed 1 RUNNING>RUNNING']);
    expect(all.events.at(-1)?.entry.jid).toBe(id(1));
    expect(h.poller.entries).toBe(2);
  });

  it('reports details-only changes to the subscribers that asked for them', async () => {
    const h = harness();
    const plain = recorder();
    const detailed = recorder({ modifications: true });
    cleanup.push(sub(h.poller, plain.sub), sub(h.poller, detailed.sub));
    await h.serve(job(1, 'RUNNING', 1_000));
    await h.serve(job(1, 'RUNNING', 1_500));
    await h.serve(job(1, 'RUNNING', 1_500));
    expect(plain.brief()).toEqual(['added 1 ->RUNNING initial']);
    expect(detailed.brief()).toEqual(['added 1 ->RUNNING initial', 'modified 1 RUNNING>RUNNING']);
  });

  it('delivers each change only to the watchers of that id, and an id that appears later as added', async () => {
    const h = harness();
    const one = recorder({ ids: [id(1)] });
    const later = recorder({ ids: [id(9)] });
    cleanup.push(sub(h.poller, one.sub), sub(h.poller, later.sub));
    await h.serve(job(1, 'RUNNING'), job(2, 'RUNNING'));
    await h.serve(job(1, 'RUNNING'), job(2, 'FAILED', 2_000));
    expect(one.brief()).toEqual(['added 1 ->RUNNING initial']);
    expect(later.events).toEqual([]);
    await h.serve(job(1, 'RUNNING'), job(2, 'FAILED', 2_000), job(9, 'INITIALIZING'));
    expect(later.brief()).toEqual(['added 9 ->INITIALIZING']);
  });

  it('replays the latest details to a late joiner: an entry read again unchanged keeps the object first reported, a changed one replaces it', async () => {
    const h = harness();
    const first = recorder();
    cleanup.push(sub(h.poller, first.sub));
    await h.serve(job(1, 'RUNNING'), job(2, 'RUNNING'));
    // Job 2's duration moved (as a running job's does on every poll): no event, but new details.
    await h.serve(job(1, 'RUNNING'), { ...job(2, 'RUNNING'), duration: 99, tasks: { ...job(2, 'RUNNING').tasks } });
    expect(first.events).toHaveLength(2);
    const late = recorder();
    cleanup.push(sub(h.poller, late.sub));
    expect(late.brief()).toEqual(['added 1 ->RUNNING initial', 'added 2 ->RUNNING initial']);
    expect(late.events[0]?.entry).toBe(first.events[0]?.entry);
    expect(late.events[1]?.entry).toEqual({ ...job(2, 'RUNNING'), duration: 99 });
    // A changed task count is a change too, though no status or last-modification moved.
    await h.serve(job(1, 'RUNNING'), { ...job(2, 'RUNNING'), duration: 99, tasks: { ...job(2, 'RUNNING').tasks, running: 0, failed: 1 } });
    const later = recorder();
    cleanup.push(sub(h.poller, later.sub));
    expect(later.events[1]?.entry.tasks).toMatchObject({ running: 0, failed: 1 });
  });

  it('replays the snapshot to a late joiner as its initial state, with no read of its own', async () => {
    const h = harness();
    const first = recorder();
    cleanup.push(sub(h.poller, first.sub));
    await h.serve(job(1, 'RUNNING'), job(2, 'FINISHED'));
    const reads = h.fetches;
    const late = recorder();
    const lateOne = recorder({ ids: [id(2), id(7)] });
    cleanup.push(sub(h.poller, late.sub), sub(h.poller, lateOne.sub));
    expect(late.brief()).toEqual(['added 1 ->RUNNING initial', 'added 2 ->FINISHED initial']);
    expect(lateOne.brief()).toEqual(['added 2 ->FINISHED initial']);
    expect(late.events[0]?.timestamp).toBe(42);
    expect(h.fetches).toBe(reads);
    // The next poll continues from the same snapshot: nothing twice.
    await h.serve(job(1, 'CANCELED', 2_000), job(2, 'FINISHED'));
    expect(late.brief().slice(2)).toEqual(['status 1 RUNNING>CANCELED']);
  });

  it('copes with a subscriber that leaves, or joins, from inside a callback', async () => {
    const h = harness();
    const seen: string[] = [];
    let off: () => void = () => {};
    const leaving: PollSubscriber<JobOverview> = {
      ids: undefined,
      intervalMs: undefined,
      modifications: false,
      entry: (e) => {
        seen.push(`leaving ${e.type}`);
        off();
      },
      error: () => {},
      end: () => {},
    };
    const staying = recorder();
    off = sub(h.poller, leaving);
    cleanup.push(sub(h.poller, staying.sub));
    await h.serve(job(1, 'RUNNING'), job(2, 'RUNNING'));
    expect(seen).toEqual(['leaving added']);
    expect(staying.events).toHaveLength(2);
    expect(h.poller.size).toBe(1);
  });
});

describe('SnapshotPoller: pace, errors, lifetime', () => {
  it('runs at the smallest interval any subscriber asked for, the refresh interval for those that asked none', async () => {
    const h = harness({ defaultIntervalMs: 3_000 });
    const slow = recorder({ intervalMs: 10_000 });
    cleanup.push(sub(h.poller, slow.sub));
    expect(h.poller.intervalMs).toBe(10_000);
    const offFast = sub(h.poller, recorder({ intervalMs: 500 }).sub);
    const offDefault = sub(h.poller, recorder().sub);
    expect(h.poller.intervalMs).toBe(500);
    await h.serve(job(1, 'RUNNING'));
    await h.serve(job(1, 'RUNNING'));
    offFast();
    expect(h.poller.intervalMs).toBe(3_000);
    await h.serve(job(1, 'RUNNING'));
    offDefault();
    expect(h.poller.intervalMs).toBe(10_000);
    await h.serve(job(1, 'RUNNING'));
    expect(h.sleeps).toEqual([500, 500, 3_000, 10_000]);
  });

  it('rides out transient errors with a growing backoff, keeps its snapshot, and reports the change that happened meanwhile once', async () => {
    const h = harness({ defaultIntervalMs: 1_000, maxBackoffMs: 5_000 });
    const all = recorder();
    cleanup.push(sub(h.poller, all.sub));
    await h.serve(job(1, 'RUNNING'), job(2, 'RUNNING'));
    for (let i = 0; i < 5; i++) await h.fail(connectionError());
    expect(all.errors.map((e) => [e.fatal, e.failures, e.retryInMs])).toEqual([
      [false, 1, 1_000],
      [false, 2, 2_000],
      [false, 3, 4_000],
      [false, 4, 5_000],
      [false, 5, 5_000],
    ]);
    expect(all.errors[0]?.error).toBeInstanceOf(FlinkConnectionError);
    // Back: job 1 finished while the JobManager was away, job 2 was dropped.
    await h.serve(job(1, 'FINISHED', 2_000));
    await h.serve(job(1, 'FINISHED', 2_000));
    expect(all.brief()).toEqual(['added 1 ->RUNNING initial', 'added 2 ->RUNNING initial', 'status 1 RUNNING>FINISHED', 'removed 2 RUNNING>RUNNING']);
    expect(h.sleeps).toEqual([1_000, 1_000, 2_000, 4_000, 5_000, 5_000, 1_000, 1_000]);
    expect(all.ends).toEqual([]);
  });

  it('ends every subscriber with a fatal error and stops', async () => {
    const h = harness();
    const a = recorder();
    const b = recorder({ ids: [id(1)] });
    cleanup.push(sub(h.poller, a.sub), sub(h.poller, b.sub));
    await h.serve(job(1, 'RUNNING'));
    const denied = new FlinkAuthenticationError({ status: 401, method: 'GET', url: 'u', path: '/jobs/overview', errors: [], body: '' });
    await h.fail(denied);
    for (const r of [a, b]) {
      expect(r.errors.map((e) => [e.fatal, e.retryInMs])).toEqual([[true, undefined]]);
      expect(r.ends).toEqual([denied]);
    }
    expect(h.poller.stopped).toBe(true);
    expect(h.stops).toBe(1);
  });

  it('stops with its last subscriber: the read in flight is aborted and no other starts', async () => {
    const h = harness();
    const off1 = sub(h.poller, recorder().sub);
    const off2 = sub(h.poller, recorder({ ids: [id(1)] }).sub);
    await h.serve(job(1, 'RUNNING'));
    off1();
    expect(h.poller.stopped).toBe(false);
    off2();
    expect(h.poller.stopped).toBe(true);
    expect(h.stops).toBe(1);
    const reads = h.fetches;
    await new Promise((r) => setTimeout(r, 20));
    expect(h.fetches).toBe(reads);
  });

  it('close() ends subscribers quietly', async () => {
    const h = harness();
    const a = recorder();
    sub(h.poller, a.sub);
    await h.serve(job(1, 'RUNNING'));
    h.poller.close();
    expect(a.ends).toEqual(['closed']);
    expect(a.errors).toEqual([]);
  });
});

describe('isTransientWatchError', () => {
  const api = (status: number) => ({ status, method: 'GET', url: 'u', path: '/jobs/overview', errors: [], body: '' });
  it('rides out what a later poll may not see again, and gives up on what it would', () => {
    expect(isTransientWatchError(connectionError())).toBe(true);
    expect(isTransientWatchError(new FlinkServerError(api(503)))).toBe(true);
    expect(isTransientWatchError(new FlinkServerError(api(500)))).toBe(true);
    expect(isTransientWatchError(new FlinkValidationError({ endpoint: 'GET /jobs/overview', issues: [{ path: [], message: 'response is not JSON' }], body: '<html>', notJson: true }))).toBe(true);
    expect(isTransientWatchError(new FlinkValidationError({ endpoint: 'GET /jobs/overview', issues: [{ path: ['jobs', 0, 'jid'], message: 'expected string' }], body: '' }))).toBe(false);
    expect(isTransientWatchError(new FlinkAuthenticationError(api(401)))).toBe(false);
    expect(isTransientWatchError(new TypeError('bug'))).toBe(false);
  });
});
