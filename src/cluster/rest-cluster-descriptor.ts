import { checkClusterClientOptions } from '../http/request-pipeline.js';
import { checkOptions } from '../options/check-options.js';
import type { ClusterClientOptions } from '../options/client-options.js';
import { retrieveOptions } from '../options/param-schemas.js';
import { ClusterClient } from './cluster-client.js';
import type { ClusterDescriptor, RetrieveOptions } from './cluster-descriptor.js';

/**
 * An existing cluster reached over REST: one URL, or the URLs of several JobManagers in an HA
 * setup (the client fails over between them and remembers the one that answered).
 *
 * @example
 * ```ts
 * const cluster = await new RestClusterDescriptor({
 *   url: ['http://jm-0:8081', 'http://jm-1:8081'],
 *   auth: { type: 'bearer', token: async () => fetchToken() },
 * }).retrieve();
 * console.log(await cluster.flinkVersion());
 * ```
 */
export class RestClusterDescriptor implements ClusterDescriptor {
  readonly #options: ClusterClientOptions;

  /**
   * Checks and keeps the options; sends nothing.
   *
   * @throws FlinkArgumentError for an invalid option, at once rather than at `retrieve()`.
   */
  constructor(options: ClusterClientOptions) {
    checkClusterClientOptions(options);
    this.#options = options;
  }

  /**
   * Creates a client and, unless `verify: false`, checks that the cluster answers (and learns its
   * Flink version) before returning it. A client that fails verification is closed.
   *
   * @throws FlinkConnectionError, FlinkTimeoutError, FlinkApiError when verification fails.
   */
  async retrieve(options: RetrieveOptions = {}): Promise<ClusterClient> {
    checkOptions(retrieveOptions, options, 'options');
    const { verify = true, ...requestOptions } = options;
    const client = new ClusterClient(this.#options);
    if (verify) {
      try {
        await client.flinkVersion(requestOptions);
      } catch (err) {
        await client.close();
        throw err;
      }
    }
    return client;
  }
}
