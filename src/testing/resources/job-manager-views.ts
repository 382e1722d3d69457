import { defineRoute, ok, param, type Route } from '../route-kit.js';
import { renderEnvironment } from './jobmanager.js';

/**
 * The JobManager as seen from one job (issue 12): `/jobs/:jobid/jobmanager/environment` and the
 * web UI links `/jobs/:jobid/jobmanager/log-url` and `/jobs/:jobid/taskmanagers/:taskmanagerid/log-url`.
 * As on real Flink none of them looks the job up: the environment answers for any well-formed
 * job id, and the log URLs come from Flink's `GeneratedLogUrlHandler`, which fills a pattern
 * (`<rest address>/#/job-manager/logs`, `.../#/task-manager/<id>/logs`) without parsing the
 * job id or checking the TaskManager. (`/jobs/:jobid/jobmanager/config` is in jobs.ts.)
 */

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** @internal */
export const jobManagerViewRoutes: readonly Route[] = [
  defineRoute({ method: 'GET', path: '/jobs/:jobid/jobmanager/environment', params: { jobid: param.flinkId }, handle: () => ok(renderEnvironment()) }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/jobmanager/log-url',
    params: { jobid: param.raw },
    handle: ({ model }) => ok({ url: `${model.config.address().replace(/\/+$/, '')}/#/job-manager/logs` }),
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/taskmanagers/:taskmanagerid/log-url',
    params: { jobid: param.raw, taskmanagerid: param.raw },
    handle: ({ model, params }) => ok({ url: `${model.config.address().replace(/\/+$/, '')}/#/task-manager/${decoded(params.taskmanagerid)}/logs` }),
  }),
];
