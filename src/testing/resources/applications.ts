import { internalServerError, renderThrowable, restHandlerError } from '../java.js';
import { APPLICATION_STATES, type ApplicationModel } from '../application-model.js';
import type { ClusterModel } from '../model.js';
import { defineRoute, fail, isResult, ok, param, type Route, type RouteResult } from '../route-kit.js';
import { renderClusterConfiguration } from './cluster.js';
import { renderJobOverview } from './jobs.js';
import { duration, type Json, sortNewestFirst } from './shared.js';
import type { SimulatedApplication, SimulatedApplicationStatus } from '../state.js';
import { DEFAULT_WAIT_MS, type WaitFor } from '../wait-for.js';

/**
 * Applications (FLIP-549, Flink 2.3 only): overview, details, cancel, exceptions and the
 * JobManager configuration. Runs that create applications are jar routes (jars.ts).
 */

function jobCounts(app: ApplicationModel): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const job of app.jobs()) counts[job.status] = (counts[job.status] ?? 0) + 1;
  return counts;
}

/** `GET /applications/overview`. @internal */
export function renderApplicationsOverview(model: ClusterModel): Json {
  const now = model.clock.now();
  const apps = [...model.applications.values()].reverse().sort((a, b) => b.createdAt - a.createdAt);
  return {
    applications: apps.map((app) => ({
      id: app.id,
      name: app.name,
      'start-time': app.createdAt,
      'end-time': app.endTime,
      duration: duration(app.createdAt, app.endTime, now),
      status: app.status,
      jobs: jobCounts(app),
    })),
  };
}

/** `GET /applications/:id`. @internal */
export function renderApplicationDetails(model: ClusterModel, app: ApplicationModel): Json {
  const now = model.clock.now();
  return {
    id: app.id,
    name: app.name,
    status: app.status,
    'start-time': app.runningAt,
    'end-time': app.endTime,
    duration: duration(app.runningAt, app.endTime, now),
    timestamps: Object.fromEntries(APPLICATION_STATES.map((s) => [s, app.timestamps[s]])),
    jobs: sortNewestFirst(app.jobs()).map((j) => renderJobOverview(model, j)),
  };
}

/** `GET /applications/:id/exceptions`. @internal */
export function renderApplicationExceptions(app: ApplicationModel): Json {
  return {
    exceptionHistory: {
      entries: app.exceptions.map((e) => ({
        exceptionName: e.exceptionName,
        stacktrace: renderThrowable(e.stacktrace),
        timestamp: e.timestamp,
        ...(e.jobId ? { jobId: e.jobId } : {}),
      })),
    },
  };
}


function applicationNotFound500(id: string): RouteResult {
  return fail({ status: 500, body: internalServerError({ className: 'org.apache.flink.runtime.messages.FlinkApplicationNotFoundException', message: `Could not find Flink application (${id})` }) });
}

function applicationOf(model: ClusterModel, id: string): ApplicationModel | RouteResult {
  return model.applications.get(id) ?? applicationNotFound500(id);
}

// ---------------------------------------------------------------------------------------------
// Routes

const applicationid = { applicationid: param.flinkId };

/** The application routes (only on versions with applications). @internal */
export const applicationRoutes: readonly Route[] = [
  defineRoute({ method: 'GET', path: '/applications/overview', params: {}, applications: true, handle: ({ model }) => ok(renderApplicationsOverview(model)) }),
  defineRoute({
    method: 'GET',
    path: '/applications/:applicationid',
    params: applicationid,
    applications: true,
    handle: ({ model, params }) => {
      const app = applicationOf(model, params.applicationid);
      return isResult(app) ? app : ok(renderApplicationDetails(model, app));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/applications/:applicationid/cancel',
    params: applicationid,
    applications: true,
    handle: ({ model, params: { applicationid: id } }) => {
      const app = model.applications.get(id);
      if (!app || !app.requestCancel()) {
        return fail({
          status: 404,
          body: restHandlerError('Application could not be found.', { className: 'org.apache.flink.runtime.messages.FlinkApplicationNotFoundException', message: `Could not find Flink application (${id})` }),
        });
      }
      return ok({}, 202);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/applications/:applicationid/exceptions',
    params: applicationid,
    applications: true,
    handle: ({ model, params }) => {
      const app = applicationOf(model, params.applicationid);
      return isResult(app) ? app : ok(renderApplicationExceptions(app));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/applications/:applicationid/jobmanager/config',
    params: applicationid,
    applications: true,
    // Real 2.3.0 answers for any well-formed id, known or not.
    handle: ({ model }) => ok(renderClusterConfiguration(model)),
  }),
];

// ---------------------------------------------------------------------------------------------
// The test-facing view

/** The applications of a simulator (`sim.applications`, Flink 2.3 profile). */
export interface SimulatedApplications {
  /** @throws Error when there is no such application. */
  get(applicationId: string): SimulatedApplication;
  /** The application with this id, if any. */
  find(applicationId: string): SimulatedApplication | undefined;
  /** Every application, newest first. */
  list(filter?: { status?: SimulatedApplicationStatus }): SimulatedApplication[];
  /** Resolves with the first application that matches. @throws Error (rejects) after `timeoutMs`. */
  waitFor(match: { name?: string; status?: SimulatedApplicationStatus } | ((app: SimulatedApplication) => boolean), options?: { timeoutMs?: number }): Promise<SimulatedApplication>;
}

/** `sim.applications`. @internal */
export function applicationsView(model: ClusterModel, waitFor: WaitFor): SimulatedApplications {
  return {
    get: (id) => {
      const app = model.applications.get(String(id).toLowerCase());
      if (!app) throw new Error(`flink-client/testing: no application ${id}`);
      return app;
    },
    find: (id) => model.applications.get(String(id).toLowerCase()),
    list: (filter = {}) =>
      [...model.applications.values()].reverse().filter((a) => filter.status === undefined || a.status === filter.status).sort((a, b) => b.createdAt - a.createdAt),
    waitFor: (match, opts = {}) => {
      const pred =
        typeof match === 'function' ? match : (a: SimulatedApplication) => (match.name === undefined || a.name === match.name) && (match.status === undefined || a.status === match.status);
      return waitFor(() => [...model.applications.values()].find(pred), 'applicationStatus', opts.timeoutMs ?? DEFAULT_WAIT_MS, 'matching application');
    },
  };
}
