import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { isFlinkError, OperationLostError, OperationNotFoundError } from 'flink-client';
import { hexId } from '../support/ids.js';
import { failoverTestbed } from '../support/failover-testbed.js';
import { recorded } from '../support/recorded.js';

// An operation whose JobManager went away (HA failover, restart): the JobManager answering after
// the outage does not know its trigger id. The SDK tells that apart from a trigger id that never
// existed (OperationLostError, FLINK_OPERATION_LOST), and the same trigger id takes it again.

const V = '2.3.0';
const unknownTrigger = recorded(V, 'savepoint-status-unknown-trigger');
const notFound = () => HttpResponse.json(unknownTrigger.body as Record<string, unknown>, { status: 404 });
const unavailable = () => HttpResponse.json({ errors: ['Service temporarily unavailable due to an ongoing leader election. Please refresh.'] }, { status: 503 });

const { server, client, forget } = failoverTestbed();

describe('an operation lost in a JobManager failover', () => {
  it('result() reports OperationLostError, typed and coded, when the trigger id is unknown after the cluster stopped answering', async () => {
    const jobId = hexId();
    const s = await server();
    let polls = 0;
    s.use(
      http.post(`*/v1/jobs/${jobId}/savepoints`, async ({ request }) => HttpResponse.json({ 'request-id': ((await request.json()) as { triggerId: string }).triggerId }, { status: 202 })),
      http.get(`*/v1/jobs/${jobId}/savepoints/:trigger`, () => (++polls === 1 ? unavailable() : notFound())),
    );
    const op = await client([s.url]).job(jobId).triggerSavepoint({ targetDirectory: 'file:///tmp/sp' });
    const err = await op.result({ timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationLostError);
    expect(err).toBeInstanceOf(OperationNotFoundError);
    expect(isFlinkError(err, 'FLINK_OPERATION_LOST')).toBe(true);
    const lost = err as OperationLostError;
    expect(lost).toMatchObject({ triggerId: op.triggerId, jobId, operation: 'savepoint', status: 404 });
    expect(lost.message).toContain('same triggerId');
    expect(lost.cause).toBeInstanceOf(OperationNotFoundError);
  });

  it('a failover to the other JobManager that finds the trigger id unknown is a lost operation too', async () => {
    const jobId = hexId();
    const [leader, standby] = [await server(), await server()];
    leader.use(http.post(`*/v1/jobs/${jobId}/stop`, async ({ request }) => HttpResponse.json({ 'request-id': ((await request.json()) as { triggerId: string }).triggerId }, { status: 202 })));
    standby.use(http.get(`*/v1/jobs/${jobId}/savepoints/:trigger`, notFound));
    const c = client([leader.url, standby.url]);
    const op = await c.job(jobId).stopWithSavepoint({ targetDirectory: 'file:///tmp/sp' });
    await leader.close(); // the leader dies: its port refuses connections
    forget(leader);
    const err = await op.result({ timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationLostError);
    expect((err as OperationLostError).operation).toBe('stop');
  });

  it('without an outage an unknown trigger id stays a plain OperationNotFoundError', async () => {
    const jobId = hexId();
    const s = await server();
    s.use(http.get(`*/v1/jobs/${jobId}/savepoints/:trigger`, notFound));
    const err = await client([s.url]).job(jobId).savepointOperation(hexId()).result({ timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationNotFoundError);
    expect(err).not.toBeInstanceOf(OperationLostError);
    expect(isFlinkError(err, 'FLINK_OPERATION_NOT_FOUND')).toBe(true);
  });

  it('re-triggering with the lost trigger id sends that id again, so a JobManager that knows it answers with the same operation', async () => {
    const jobId = hexId();
    const s = await server();
    const triggers: string[] = [];
    let polls = 0;
    s.use(
      http.post(`*/v1/jobs/${jobId}/savepoints`, async ({ request }) => {
        const { triggerId } = (await request.json()) as { triggerId: string };
        triggers.push(triggerId);
        return HttpResponse.json({ 'request-id': triggerId }, { status: 202 });
      }),
      http.get(`*/v1/jobs/${jobId}/savepoints/:trigger`, () => {
        polls++;
        if (polls === 1) return unavailable();
        if (polls === 2) return notFound();
        return HttpResponse.json({ status: { id: 'COMPLETED' }, operation: { location: 'file:/tmp/sp/savepoint-1' } });
      }),
    );
    const job = client([s.url]).job(jobId);
    const lost = (await (await job.triggerSavepoint()).result({ timeoutMs: 10_000 }).catch((e: unknown) => e)) as OperationLostError;
    expect(lost).toBeInstanceOf(OperationLostError);
    const again = await job.triggerSavepoint({ triggerId: lost.triggerId });
    expect(await again.result({ timeoutMs: 10_000 })).toBe('file:/tmp/sp/savepoint-1');
    expect(triggers).toEqual([lost.triggerId, lost.triggerId]);
  });
});
