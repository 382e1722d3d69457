import type { RequestPipeline } from '../http/request-pipeline.js';
import type { RequestOptions } from '../options.js';
import type { WatchRegistry } from '../watch/watch-registry.js';

/**
 * What every handle of one ClusterClient shares: the request pipeline, the wait defaults and the
 * cached cluster version. Handles hold a reference to it and nothing else, which is what keeps
 * them cheap.
 */
export interface ClientContext {
  readonly pipeline: RequestPipeline;
  /** Default deadline of polling waits. */
  readonly waitTimeoutMs: number;
  /** The cluster's Flink version, fetched once from `/config` and cached. */
  flinkVersion(options?: RequestOptions): Promise<string>;
  /** The watchers of the client and the pollers they share; stopped by `ClusterClient.close()`. */
  readonly watchers: WatchRegistry;
}
