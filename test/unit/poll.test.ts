import { describe, expect, it } from 'vitest';
import { FlinkAbortError, FlinkTimeoutError } from '../../src/index.js';
import { pollUntil } from '../../src/operations/poll.js';
import { virtualClock } from '../support/virtual-clock.js';

describe('pollUntil', () => {
  it('reads at once, backs off with a cap, and returns the accepted value', async () => {
    const clock = virtualClock();
    let n = 0;
    const value = await pollUntil(async () => ++n, (v) => v === 6, {
      intervalMs: 100,
      maxIntervalMs: 300,
      timeoutMs: 60_000,
      target: 't',
      jitter: 0,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(value).toBe(6);
    expect(clock.sleeps).toEqual([100, 150, 225, 300, 300]);
  });

  it('waits on unknown values at the normal pace, never in a hot loop', async () => {
    const clock = virtualClock();
    await expect(
      pollUntil(async () => 'SOME_NEW_STATE', () => false, { intervalMs: 100, maxIntervalMs: 100, timeoutMs: 1_000, target: 'x', jitter: 0, now: clock.now, sleep: clock.sleep }),
    ).rejects.toBeInstanceOf(FlinkTimeoutError);
    expect(clock.sleeps.length).toBe(10);
  });

  it('keeps the last value seen on the timeout error', async () => {
    const clock = virtualClock();
    const err = await pollUntil(async () => 'RUNNING', () => false, { intervalMs: 100, maxIntervalMs: 100, timeoutMs: 350, target: 'job x', now: clock.now, sleep: clock.sleep }).catch((e) => e);
    expect(err).toBeInstanceOf(FlinkTimeoutError);
    expect(err.phase).toBe('wait');
    expect(err.lastValue).toBe('RUNNING');
    expect(err.message).toContain('RUNNING');
  });

  it('aborts the read in flight when the signal fires', async () => {
    const controller = new AbortController();
    let readSignal: AbortSignal | undefined;
    const pending = pollUntil(
      (signal) => {
        readSignal = signal;
        return new Promise<number>((_, reject) => signal.addEventListener('abort', () => reject(new Error('read aborted'))));
      },
      () => true,
      { intervalMs: 100, maxIntervalMs: 100, timeoutMs: 10_000, target: 'x', signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('stop')), 20);
    const err = await pending.catch((e) => e);
    expect(err).toBeInstanceOf(FlinkAbortError);
    expect(readSignal?.aborted).toBe(true);
  });

  // The read never settles by itself: only the deadline's abort ends it (the test timeout guards a hang).
  it('aborts a hanging read at the deadline with a timeout error', async () => {
    const err = await pollUntil((signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))), () => true, {
      intervalMs: 100,
      maxIntervalMs: 100,
      timeoutMs: 50,
      target: 'x',
    }).catch((e) => e);
    expect(err).toBeInstanceOf(FlinkTimeoutError);
  });

  it('rides out tolerated errors and fails fast on others', async () => {
    const clock = virtualClock();
    let n = 0;
    const v = await pollUntil(
      async () => {
        n++;
        if (n < 3) throw new Error('transient');
        return n;
      },
      () => true,
      { intervalMs: 10, maxIntervalMs: 10, timeoutMs: 1_000, target: 'x', tolerate: () => true, now: clock.now, sleep: clock.sleep },
    );
    expect(v).toBe(3);
    await expect(pollUntil(async () => { throw new Error('fatal'); }, () => true, { intervalMs: 10, maxIntervalMs: 10, timeoutMs: 1_000, target: 'x' })).rejects.toThrow('fatal');
  });

  it('rejects at once when the signal already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    let reads = 0;
    await expect(pollUntil(async () => ++reads, () => true, { intervalMs: 10, maxIntervalMs: 10, timeoutMs: 1_000, target: 'x', signal: controller.signal })).rejects.toBeInstanceOf(FlinkAbortError);
    expect(reads).toBe(0);
  });
});
