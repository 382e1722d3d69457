import type { RequestOptions } from '../options/request-options.js';
import type { ClusterClient } from './cluster-client.js';

/** Options of {@link ClusterDescriptor.retrieve}. */
export interface RetrieveOptions extends RequestOptions {
  /**
   * Check that the cluster answers (one `GET /config`, which also caches its Flink version)
   * before returning the client.
   * @default true
   */
  verify?: boolean;
}

/**
 * Where a Flink cluster is, or how to get one: the layer above {@link ClusterClient}.
 * {@link RestClusterDescriptor} points at an existing cluster; {@link LocalClusterDescriptor}
 * deploys one on this machine.
 */
export interface ClusterDescriptor {
  /**
   * A connected client for the cluster.
   *
   * @throws FlinkConnectionError / FlinkTimeoutError when verification cannot reach the cluster.
   */
  retrieve(options?: RetrieveOptions): Promise<ClusterClient>;
}
