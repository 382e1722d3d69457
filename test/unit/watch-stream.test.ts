import { describe, expect, it } from 'vitest';
import { FlinkConnectionError, FlinkError, type JobChange, type JobOverview, type WatchErrorEvent } from '../../src/index.js';
import { ChangeStream } from '../../src/watch/change-stream.js';

const ID = 'a'.repeat(32);
const OTHER = 'b'.repeat(32);

function change(type: JobChange['type'], previousStatus: string | undefined, status: string, jobId = ID, timestamp = 1): JobChange {
  return {
    resource: 'job',
    type,
    jobId,
    previousStatus,
    status,
    terminal: ['FINISHED', 'FAILED', 'CANCELED'].includes(status),
    initial: type === 'added',
    timestamp,
    details: { jid: jobId, state: status } as JobOverview,
  };
}

function stream() {
  const calls: string[] = [];
  const s = new ChangeStream<JobChange | WatchErrorEvent>({ open: () => calls.push('open'), close: () => calls.push('close') });
  return { s, calls };
}

const brief = (c: JobChange | WatchErrorEvent | undefined) => (c === undefined ? 'done' : c.type === 'error' ? `error ${c.failures}` : `${c.type} ${c.previousStatus ?? '-'}>${c.status}`);

describe('ChangeStream', () => {
  it('subscribes on the first read, not before', async () => {
    const { s, calls } = stream();
    expect(calls).toEqual([]);
    const next = s.next();
    expect(calls).toEqual(['open']);
    s.push(change('added', undefined, 'RUNNING'));
    expect(brief((await next).value)).toBe('added ->RUNNING');
  });

  it('merges changes a slow consumer has not read, per id, keeping the status it last saw', async () => {
    const { s } = stream();
    s.push(change('status', 'CREATED', 'RUNNING'));
    s.push(change('added', undefined, 'RUNNING', OTHER));
    s.push(change('status', 'RUNNING', 'CANCELLING', ID, 2));
    s.push(change('status', 'CANCELLING', 'CANCELED', ID, 3));
    expect(s.pending).toBe(2);
    const first = (await s.next()).value as JobChange;
    expect(brief(first)).toBe('status CREATED>CANCELED');
    expect(first.timestamp).toBe(3);
    expect(first.terminal).toBe(true);
    expect(brief((await s.next()).value)).toBe('added ->RUNNING');
  });

  it('keeps a merged first sighting an addition, and a removal a removal', async () => {
    const { s } = stream();
    s.push(change('added', undefined, 'CREATED'));
    s.push(change('status', 'CREATED', 'RUNNING'));
    s.push(change('added', undefined, 'RUNNING', OTHER));
    s.push(change('removed', 'RUNNING', 'RUNNING', OTHER));
    expect(brief((await s.next()).value)).toBe('added ->RUNNING');
    const removed = (await s.next()).value as JobChange;
    expect(removed.type).toBe('removed');
  });

  it('keeps only the latest transient error', async () => {
    const { s } = stream();
    const error = (failures: number): WatchErrorEvent => ({
      type: 'error',
      error: new FlinkConnectionError({ method: 'GET', url: 'u', path: '/p', cause: new Error('x') }),
      fatal: false,
      failures,
      retryInMs: 10,
      timestamp: 0,
    });
    s.pushError(error(1));
    s.push(change('status', 'RUNNING', 'FAILING'));
    s.pushError(error(2));
    expect(brief((await s.next()).value)).toBe('status RUNNING>FAILING');
    expect(brief((await s.next()).value)).toBe('error 2');
  });

  it('finish(): the consumer reads what is buffered, then the stream completes and closes once', async () => {
    const { s, calls } = stream();
    void s.next();
    s.push(change('added', undefined, 'RUNNING'));
    s.push(change('status', 'RUNNING', 'FINISHED'));
    s.finish();
    expect(calls).toEqual(['open', 'close']);
    expect(brief((await s.next()).value)).toBe('status RUNNING>FINISHED');
    expect((await s.next()).done).toBe(true);
    expect((await s.next()).done).toBe(true);
    s.push(change('status', 'FINISHED', 'RUNNING'));
    expect((await s.next()).done).toBe(true);
  });

  it('fail(): buffered changes first, then the error, then done', async () => {
    const { s } = stream();
    s.push(change('added', undefined, 'RUNNING'));
    const boom = new FlinkError('denied', 'FLINK_AUTHENTICATION');
    s.fail(boom);
    expect(brief((await s.next()).value)).toBe('added ->RUNNING');
    await expect(s.next()).rejects.toBe(boom);
    expect((await s.next()).done).toBe(true);
  });

  it('fail() rejects a consumer already waiting', async () => {
    const { s } = stream();
    const waiting = s.next();
    const boom = new FlinkError('bad', 'FLINK_VALIDATION_ERROR');
    s.fail(boom);
    await expect(waiting).rejects.toBe(boom);
  });

  it('return() (a break) drops what is buffered, completes a waiting read and closes', async () => {
    const { s, calls } = stream();
    const waiting = s.next();
    await s.return();
    expect((await waiting).done).toBe(true);
    s.push(change('added', undefined, 'RUNNING'));
    expect((await s.next()).done).toBe(true);
    expect(calls).toEqual(['open', 'close']);
  });

  it('works with for await', async () => {
    const { s } = stream();
    s.push(change('added', undefined, 'RUNNING'));
    s.push(change('added', undefined, 'RUNNING', OTHER));
    setTimeout(() => s.finish(), 5);
    const seen: string[] = [];
    for await (const c of s) seen.push(brief(c));
    expect(seen).toEqual(['added ->RUNNING', 'added ->RUNNING']);
  });
});
