import type { RequestPipeline } from '../http/request-pipeline.js';
import type { WaitDefaults } from '../operations/wait-settings.js';
import type { RequestOptions } from '../options/request-options.js';
import type { WatchRegistry } from '../watch/watch-registry.js';
import type { HandleFactory } from './handle-factory.js';

/**
 * The contract between a client and its handles: everything a handle of one ClusterClient may
 * use, and nothing else. A handle holds a reference to its context and its own id, which is what
 * keeps handles cheap (creating one sends nothing and allocates little).
 *
 * - `pipeline`: the one request pipeline (connection pool, retries, auth, events, validation).
 * - `waits`: what polling waits default to (deadline, unreachable bound) and the client's close
 *   signal, which stops them all.
 * - `flinkVersion()`: the cluster's Flink version, fetched once and cached; handles use it to
 *   refuse calls an older cluster cannot answer before sending them.
 * - `watchers`: the registry of the client's watchers and the pollers they share.
 * - `handles`: the factory every handle is made through, so handles never construct each other
 *   (a job's application, an application's jobs, a job's savepoint operation).
 *
 * Each client (ClusterClient, HistoryServerClient) makes one context with `createClientContext()`
 * (create-client-context.ts) and passes it to every handle it gives out.
 */
export interface ClientContext {
  /** The request pipeline every call of the client goes through. */
  readonly pipeline: RequestPipeline;
  /** The defaults of polling waits, and the signal that stops them when the client closes. */
  readonly waits: WaitDefaults;
  /** The cluster's Flink version, fetched once from `/config` and cached. */
  flinkVersion(options?: RequestOptions): Promise<string>;
  /** The watchers of the client and the pollers they share; stopped by `ClusterClient.close()`. */
  readonly watchers: WatchRegistry;
  /** Makes the handles of this client. */
  readonly handles: HandleFactory;
}
