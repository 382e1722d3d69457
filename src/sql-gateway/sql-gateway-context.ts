import type { RequestSpec } from '../http/request-pipeline.js';
import type { RequestOptions } from '../options/request-options.js';
import type { Logger } from '../options/client-options.js';

/** What sessions and operations of a SqlGatewayClient share: one pipeline at the negotiated API version. */
export interface SqlGatewayContext {
  /** Sends one call at the negotiated REST API version (negotiating first if need be). */
  request<T>(spec: RequestSpec<T>, options?: RequestOptions): Promise<T>;
  /** The negotiated REST API version, 1 to 4. */
  apiVersion(options?: RequestOptions): Promise<number>;
  /** The gateway's Flink version, for error messages. */
  flinkVersion(options?: RequestOptions): Promise<string>;
  /** Fires when the client closes. */
  readonly closeSignal: AbortSignal;
  /** The default deadline of bounded waits. */
  readonly waitTimeoutMs: number;
  /** The client's logger, if any. */
  readonly logger: Logger | undefined;
}
