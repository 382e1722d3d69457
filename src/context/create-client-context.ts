import type { RequestPipeline } from '../http/request-pipeline.js';
import { OperationHandle } from '../operations/operation-handle.js';
import type { WaitDefaults } from '../operations/wait-settings.js';
import type { ClusterClientOptions } from '../options/client-options.js';
import type { RequestOptions } from '../options/request-options.js';
import type { DashboardConfig } from '../schemas/cluster.js';
import { WatchRegistry } from '../watch/watch-registry.js';
import type { ClientContext } from './client-context.js';
import type { ApplicationClient, JobClient } from './handles.js';

/**
 * The handle classes a client hands out. They live in the layers above this one (job/,
 * application/), so the client passes them in rather than this module importing them.
 * @internal
 */
export interface HandleClasses {
  readonly job: new (context: ClientContext, jobId: string, applicationId?: string) => JobClient;
  readonly application: new (context: ClientContext, applicationId: string) => ApplicationClient;
}

/** What {@link createClientContext} assembles a context from. @internal */
export interface ClientContextParts {
  /** The client's one request pipeline. */
  readonly pipeline: RequestPipeline;
  /** The client's options: the wait defaults come from them. */
  readonly options: Pick<ClusterClientOptions, 'waitTimeoutMs' | 'unreachableTimeoutMs'>;
  /** The service's Flink version, cached by the client. */
  flinkVersion(options?: RequestOptions): Promise<string>;
  /** The service's `GET /config`, cached by the client (the watchers read their pace from it). */
  config(signal: AbortSignal): Promise<DashboardConfig>;
  /** The handle classes to make handles with. */
  readonly handles: HandleClasses;
}

/**
 * Assembles a client's {@link ClientContext}: the wait defaults (`waitTimeoutMs` 600 000,
 * `unreachableTimeoutMs` 90 000, stopped by the pipeline's close signal), the watch registry
 * over the pipeline, and the handle factory. The one place ClusterClient and HistoryServerClient
 * wire their handles, so both hand out handles that behave alike.
 * @internal
 */
export function createClientContext(parts: ClientContextParts): ClientContext {
  const { pipeline, options, handles } = parts;
  const waits: WaitDefaults = {
    timeoutMs: options.waitTimeoutMs ?? 600_000,
    unreachableTimeoutMs: options.unreachableTimeoutMs ?? 90_000,
    closeSignal: pipeline.closeSignal,
  };
  const context: ClientContext = {
    pipeline,
    waits,
    flinkVersion: (opts) => parts.flinkVersion(opts),
    watchers: new WatchRegistry({ pipeline, config: (signal) => parts.config(signal) }),
    handles: {
      job: (jobId, applicationId) => new handles.job(context, jobId, applicationId),
      application: (applicationId) => new handles.application(context, applicationId),
      operation: (driver) => new OperationHandle(driver, waits),
    },
  };
  return context;
}
