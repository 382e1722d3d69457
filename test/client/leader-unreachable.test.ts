import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { FlinkBadRequestError, FlinkServerError } from 'flink-client';
import { hexId } from '../support/ids.js';
import { failoverTestbed } from '../support/failover-testbed.js';

// A standby JobManager's REST endpoint forwards to the leader; while the dead leader's ZooKeeper
// session has not expired yet, Flink answers with the RPC failure wrapped in a 500 (or, for a jar
// run, a 400 "Could not execute application"). Those answers mean "the leader is gone, ask again":
// the client retries them (what is safe to repeat) and fails over, like a 503.

const unreachable = (status: number, headline: string) =>
  HttpResponse.json(
    {
      errors: [
        `org.apache.flink.runtime.rest.handler.RestHandlerException: ${headline}\n\tat ...\nCaused by: org.apache.flink.runtime.rpc.exceptions.RecipientUnreachableException: Could not send message [RemoteRpcInvocation(DispatcherGateway.submitJob(ExecutionPlan, Duration))] from sender [unknown] to recipient [pekko.tcp://flink@127.0.0.1:41995/user/rpc/dispatcher_1], because the recipient is unreachable. This can either mean that the recipient has been terminated or that the remote RpcService is currently not reachable.\n`,
      ],
    },
    { status },
  );

const { server, client } = failoverTestbed();

describe('answers that say the leader could not be reached', () => {
  it('a 500 wrapping RecipientUnreachableException is retried on the other JobManager', async () => {
    const [standby, leader] = [await server(), await server()];
    standby.use(http.get('*/v1/overview', () => unreachable(500, 'Internal server error.')));
    leader.use(http.get('*/v1/overview', () => HttpResponse.json({ taskmanagers: 1, 'slots-total': 2, 'slots-available': 2, 'jobs-running': 0, 'jobs-finished': 0, 'jobs-cancelled': 0, 'jobs-failed': 0, 'flink-version': '2.3.0', 'flink-commit': 'x' })));
    const overview = await client([standby.url, leader.url]).overview();
    expect(overview.taskmanagers).toBe(1);
    expect(standby.requests).toHaveLength(1);
  });

  it('a jar run rejected with 400 for an unreachable dispatcher is retried under the same job id and resolves once Flink has the job', async () => {
    const s = await server();
    const jobId = hexId();
    const bodies: { jobId?: string }[] = [];
    s.use(
      http.post('*/v1/jars/:jar/run', async ({ request }) => {
        bodies.push((await request.json()) as { jobId?: string });
        return bodies.length === 1 ? unreachable(400, 'Could not execute application.') : HttpResponse.json({ jobid: jobId });
      }),
    );
    const job = await client([s.url]).runJar('a.jar', { jobId });
    expect(job.jobId).toBe(jobId);
    expect(bodies.map((b) => b.jobId)).toEqual([jobId, jobId]);
  });

  it('a jar run rides out more unreachable answers than the pipeline retries (a failover window) and resolves with the job the new leader has', async () => {
    const s = await server();
    const jobId = hexId();
    let runs = 0;
    s.use(
      http.post('*/v1/jars/:jar/run', () => {
        runs++;
        if (runs <= 6) return unreachable(400, 'Could not execute application.');
        return HttpResponse.json(
          { errors: [`org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\nCaused by: org.apache.flink.runtime.client.DuplicateJobSubmissionException: Job has already been submitted.`] },
          { status: 400 },
        );
      }),
    );
    const job = await client([s.url]).runJar('a.jar', { jobId });
    expect(job.jobId).toBe(jobId);
    expect(runs).toBe(7);
  });

  it('without a client-chosen job id (jobId: null) the run is not repeated: the typed error reaches the caller', async () => {
    const s = await server();
    s.use(http.post('*/v1/jars/:jar/run', () => unreachable(400, 'Could not execute application.')));
    const err = await client([s.url]).runJar('a.jar', { jobId: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkBadRequestError);
    expect(s.requests).toHaveLength(1);
  });

  it('a plain 500 is still not retried', async () => {
    const s = await server();
    s.use(http.get('*/v1/overview', () => HttpResponse.json({ errors: ['Internal server error.', 'java.lang.NullPointerException'] }, { status: 500 })));
    await expect(client([s.url]).overview()).rejects.toBeInstanceOf(FlinkServerError);
    expect(s.requests).toHaveLength(1);
  });
});
