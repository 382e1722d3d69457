import { defineRoute, ok, param, type Route } from '../route-kit.js';

/**
 * `PATCH /jobs/:jobid/clientHeartbeat` (`JobClientHeartbeatRequestBody`): an attached client
 * saying it is alive until `expiredTimestamp`. Flink's dispatcher answers 202 `{}` for any
 * well-formed job id; for a job it does not run it only logs a warning (here: in the
 * JobManager's simulated log).
 */

/** @internal */
export const clientHeartbeatRoutes: readonly Route[] = [
  defineRoute({
    method: 'PATCH',
    path: '/jobs/:jobid/clientHeartbeat',
    params: { jobid: param.flinkId },
    body: {
      className: 'JobClientHeartbeatRequestBody',
      package: 'org.apache.flink.runtime.rest.messages.job',
      read: (b) => ({ expiredTimestamp: b.int('expiredTimestamp') ?? 0 }),
    },
    handle: ({ model, params }) => {
      const job = model.jobs.get(params.jobid);
      if (!job || job.isGloballyTerminal) model.logs.jobManagerEvent('WARN', 'org.apache.flink.runtime.dispatcher.StandaloneDispatcher', `Fail to find job ${params.jobid} for client.`);
      return ok({}, 202);
    },
  }),
];
