import { FlinkArgumentError } from '../errors/flink-argument-error.js';

/** One JobManager REST endpoint: an origin and the path prefix its routes live under. */
export interface Endpoint {
  /** `scheme://host:port`. */
  readonly origin: string;
  /** The path prefix including `/v1`, without a trailing slash, e.g. `/flink/v1`. */
  readonly root: string;
  /** Whether the endpoint uses TLS. */
  readonly secure: boolean;
}

/**
 * The JobManager endpoints of one cluster, and which one currently answers. With one URL it is a
 * constant; with several (HA) a failure moves on to the next, and the one that answered is kept
 * for later calls.
 */
export class EndpointSet {
  readonly endpoints: readonly Endpoint[];
  #active = 0;

  constructor(urls: readonly (string | URL)[]) {
    if (urls.length === 0) throw new FlinkArgumentError('options.url', 'at least one JobManager URL is required');
    this.endpoints = urls.map(parseEndpoint);
  }

  /** Index of the endpoint that answered last. */
  get activeIndex(): number {
    return this.#active;
  }

  /** The endpoint to use now. */
  current(): { endpoint: Endpoint; index: number } {
    const index = this.#active;
    return { endpoint: this.endpoints[index] as Endpoint, index };
  }

  /**
   * Moves on from the endpoint at `failedIndex`, unless another call already did. Returns the
   * index now active.
   */
  failover(failedIndex: number): number {
    if (this.endpoints.length > 1 && this.#active === failedIndex) {
      this.#active = (failedIndex + 1) % this.endpoints.length;
    }
    return this.#active;
  }
}

function parseEndpoint(input: string | URL): Endpoint {
  const text = String(input).trim();
  // `localhost:8081` parses as a URL with the scheme `localhost:`; a bare host and port is the
  // usual slip, so say what was most likely meant.
  const hostPort = /^[A-Za-z0-9.-]+:\d+(\/.*)?$/.test(text) || /^[A-Za-z0-9.-]+(\/.*)?$/.test(text);
  const suggestion = hostPort ? `; did you mean ${JSON.stringify(`http://${text}`)}?` : '';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FlinkArgumentError('options.url', `not a valid URL: ${JSON.stringify(text.slice(0, 200))}${suggestion}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FlinkArgumentError('options.url', `expected an http:// or https:// URL, got ${JSON.stringify(text.slice(0, 200))}${suggestion}`);
  }
  if (url.username || url.password) {
    // Credentials in a URL end up in logs and error messages; make the caller use `auth`.
    throw new FlinkArgumentError('options.url', 'credentials in the URL are not accepted; pass them as `auth` instead');
  }
  if (url.search || url.hash) throw new FlinkArgumentError('options.url', 'the REST URL must not carry a query or fragment');
  let prefix = url.pathname.replace(/\/+$/, '');
  // Accept a URL that already ends in /v1 as well as the bare REST root.
  if (!/\/v1$/.test(prefix)) prefix = `${prefix}/v1`;
  return { origin: url.origin, root: prefix, secure: url.protocol === 'https:' };
}
