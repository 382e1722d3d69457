import { describe, expect, it } from 'vitest';
import { FlinkAbortError, FlinkConnectionError } from '../../src/index.js';
import { pollUntil } from '../../src/operations/poll.js';
import { virtualClock } from '../support/virtual-clock.js';

// The capability watchers added to the one polling engine: a steady pace with a backoff on
// errors that resets on success, running until its signal stops it.

const down = () => new FlinkConnectionError({ method: 'GET', url: 'http://x/v1/jobs/overview', path: '/jobs/overview', cause: new Error('ECONNREFUSED') });

describe("pollUntil with growth: 'errors'", () => {
  it('keeps the base pace while reads succeed, backs off while they fail, and resets on success', async () => {
    const clock = virtualClock();
    // ok ok fail fail fail fail fail ok ok, then stop
    const script = [true, true, false, false, false, false, false, true, true];
    let n = 0;
    const errors: [string, number][] = [];
    const controller = new AbortController();
    const outcome = await pollUntil(
      async () => {
        const ok = script[n++];
        if (ok === undefined) {
          controller.abort();
          throw new Error('unreachable');
        }
        if (!ok) throw down();
        return n;
      },
      () => false,
      {
        intervalMs: 100,
        maxIntervalMs: 1_000,
        growth: 'errors',
        factor: 2,
        jitter: 0,
        timeoutMs: Infinity,
        signal: controller.signal,
        target: 'jobs watch',
        tolerate: (e) => e instanceof FlinkConnectionError,
        onError: (e, retryInMs) => errors.push([(e as Error).name, retryInMs]),
        now: clock.now,
        sleep: clock.sleep,
      },
    ).catch((e) => e);
    expect(outcome).toBeInstanceOf(FlinkAbortError);
    expect(clock.sleeps).toEqual([100, 100, 100, 200, 400, 800, 1_000, 100, 100]);
    expect(errors.map(([, ms]) => ms)).toEqual([100, 200, 400, 800, 1_000]);
    expect(errors.every(([name]) => name === 'FlinkConnectionError')).toBe(true);
  });

  it('reads the interval before every pause when it is a function', async () => {
    const clock = virtualClock();
    let pace = 300;
    let n = 0;
    await pollUntil(
      async () => {
        n++;
        if (n === 3) pace = 50;
        return n;
      },
      (v) => v === 5,
      { intervalMs: () => pace, maxIntervalMs: 1_000, growth: 'errors', timeoutMs: Infinity, target: 'x', jitter: 0, now: clock.now, sleep: clock.sleep },
    );
    expect(clock.sleeps).toEqual([300, 300, 50, 50]);
  });

  it('starts reads an interval apart, but never polls a slow server back to back', async () => {
    const clock = virtualClock();
    // Reads taking 30, 30, 700, 1 500 and 30 ms of a 1 000 ms interval (time passes in the read).
    const durations = [30, 30, 700, 1_500, 30];
    let n = 0;
    let t = 0;
    await pollUntil(
      async () => {
        t += durations[n] as number;
        return ++n;
      },
      (v) => v === durations.length,
      {
        intervalMs: 1_000,
        maxIntervalMs: 30_000,
        growth: 'errors',
        jitter: 0,
        timeoutMs: Infinity,
        target: 'x',
        now: () => t + clock.now(),
        sleep: clock.sleep,
      },
    );
    // A steady rate (970 after a 30 ms read), no less than the read took (700), at most an interval.
    expect(clock.sleeps).toEqual([970, 970, 700, 1_000]);
  });

  it('never lets the backoff cap lower a base interval longer than it', async () => {
    const clock = virtualClock();
    let n = 0;
    await pollUntil(
      async () => {
        if (++n < 3) throw down();
        return n;
      },
      () => true,
      { intervalMs: 5_000, maxIntervalMs: 1_000, growth: 'errors', factor: 2, jitter: 0, timeoutMs: Infinity, target: 'x', tolerate: () => true, now: clock.now, sleep: clock.sleep },
    );
    expect(clock.sleeps).toEqual([5_000, 5_000]);
  });

  it('jitters only the backoff, within the configured spread', async () => {
    const clock = virtualClock();
    let n = 0;
    await pollUntil(
      async () => {
        n++;
        if (n === 2 || n === 3) throw down();
        return n;
      },
      (v) => v === 5,
      { intervalMs: 1_000, maxIntervalMs: 10_000, growth: 'errors', factor: 2, jitter: 0.2, random: () => 1, timeoutMs: Infinity, target: 'x', tolerate: () => true, now: clock.now, sleep: clock.sleep },
    );
    expect(clock.sleeps).toEqual([1_000, 1_200, 2_400, 1_000]);
  });

  it('stops at once, sleep and read in flight included, when its signal fires', async () => {
    const controller = new AbortController();
    let reads = 0;
    const pending = pollUntil(async () => ++reads, () => false, { intervalMs: 60_000, maxIntervalMs: 60_000, growth: 'errors', timeoutMs: Infinity, target: 'x', signal: controller.signal });
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(FlinkAbortError);
    expect(reads).toBe(1);
  });
});
