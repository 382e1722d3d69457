import type { Dispatcher } from 'undici';

/**
 * How strictly response bodies are checked against the SDK's schemas.
 *
 * - `'lenient'` (default): the fields the SDK knows are type-checked; unknown fields are kept and
 *   unknown enum values (a status a newer Flink adds) are accepted, so a newer or older cluster
 *   does not break the client.
 * - `'strict'`: unknown fields and unknown enum values are errors. For contract tests and for
 *   finding out what a cluster sends that the SDK does not model.
 * - `'off'`: bodies are passed through unchecked, except for the few fields the SDK itself acts on
 *   (operation and result status), which are always checked.
 */
export type ValidationMode = 'strict' | 'lenient' | 'off';

/** Retry timing: exponential backoff with jitter. */
export interface RetryOptions {
  /**
   * Delay before the first retry in milliseconds.
   * @default 200
   */
  initialDelayMs?: number;
  /**
   * Upper bound of the backoff delay in milliseconds.
   * @default 5 000
   */
  maxDelayMs?: number;
  /**
   * Growth factor between retries.
   * @default 2
   */
  factor?: number;
  /**
   * Random spread applied to each delay, as a fraction (0.2 means ±20 %).
   * @default 0.2
   */
  jitter?: number;
  /**
   * Largest `Retry-After` the client will honour in milliseconds; a longer one fails the call.
   * @default 60 000
   */
  maxRetryAfterMs?: number;
}

/** TLS settings for the client's own connection pool. Ignored when a `dispatcher` is passed. */
export interface TlsOptions {
  /** Trusted CA certificates (PEM), replacing Node's default bundle. */
  ca?: string | Buffer | readonly (string | Buffer)[];
  /** Client certificate chain (PEM) for mutual TLS. */
  cert?: string | Buffer;
  /** Client private key (PEM) for mutual TLS. */
  key?: string | Buffer;
  /** Passphrase of the private key. */
  passphrase?: string;
  /** Server name for SNI and certificate checks, when it differs from the URL's host. */
  servername?: string;
  /**
   * Verify the server's certificate. Turning this off makes the connection open to interception;
   * use it only against a throwaway test cluster.
   * @default true
   */
  rejectUnauthorized?: boolean;
}

/** A token, or a function that returns the current one (called before every attempt). */
export type TokenSource = string | (() => string | Promise<string>);

/** Credentials for a proxy or gateway in front of Flink (Flink itself has no authentication). */
export type AuthOptions =
  | {
      /** HTTP basic authentication. */
      type: 'basic';
      /** The user name. */
      username: string;
      /** The password; never logged or put into errors. */
      password: string;
    }
  | {
      /** A bearer token in the `Authorization` header. */
      type: 'bearer';
      /** The token, or a function that returns the current one (called before every attempt). */
      token: TokenSource;
    };

/**
 * Where the client writes what it does: any object with `debug`, `info`, `warn` and `error`
 * methods taking a message and a record of fields (pino, winston, bunyan and `console` all fit).
 * Credentials never appear in what is logged.
 */
export interface Logger {
  /** Each request and response, and failed calls the caller usually handles itself (a missing job, a conflict). */
  debug(message: string, fields?: Record<string, unknown>): void;
  /** Not used by the client today; part of the interface so that common loggers fit as they are. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Each retry, and calls that failed after transient trouble (timeouts, lost connections, 503s). */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Not used by the client today; part of the interface so that common loggers fit as they are. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Options of a {@link ClusterClient}. */
export interface ClusterClientOptions {
  /**
   * The REST endpoint of the JobManager, such as `http://localhost:8081`; it may carry a path
   * prefix (`https://gateway.example.com/flink/prod`). Several URLs name the JobManagers of an HA
   * setup: on a connection failure or a 503 the client tries the next one and remembers the one
   * that answered.
   */
  url: string | URL | readonly (string | URL)[];
  /**
   * An undici dispatcher to send requests through (a ProxyAgent, a custom Agent, a MockAgent).
   * The client does not close a dispatcher it was given.
   */
  dispatcher?: Dispatcher;
  /** TLS settings for the client's own connection pool. */
  tls?: TlsOptions;
  /** Credentials sent with every request. */
  auth?: AuthOptions;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * Header names whose values must never appear in events or errors, in addition to
   * `authorization`, `proxy-authorization`, `cookie` and `x-api-key`.
   */
  sensitiveHeaders?: readonly string[];
  /**
   * Deadline of one HTTP attempt in milliseconds. `Infinity` (or anything above 2^31 − 1, the
   * longest a Node timer can wait) means no deadline.
   * @default 30 000
   */
  timeoutMs?: number;
  /**
   * How many times a retryable failure is retried (0 to 100).
   * @default 3
   */
  maxRetries?: number;
  /** Backoff timing of retries. */
  retry?: RetryOptions;
  /**
   * Default deadline of polling waits in milliseconds; `Infinity` for none.
   * @default 600 000
   */
  waitTimeoutMs?: number;
  /**
   * Default bound of a wait whose every poll fails to reach the cluster: once no poll has got an
   * answer for this long, the wait rejects with FlinkConnectionError saying for how long the
   * cluster was unreachable, instead of retrying until its deadline. Longer than an HA leader
   * failover (about 40 s on a real cluster), so a wait rides one out. `Infinity` to wait until the
   * deadline whatever happens.
   * @default 90 000
   */
  unreachableTimeoutMs?: number;
  /**
   * How response bodies are validated.
   * @default 'lenient'
   */
  validation?: ValidationMode;
  /**
   * Largest response body accepted, in bytes.
   * @default 104 857 600 (100 MiB, Flink's own `rest.server.max-content-length`)
   */
  maxResponseBytes?: number;
  /**
   * Most connections the client's own pool opens to one JobManager.
   * @default 32
   */
  connections?: number;
  /**
   * Where to log what the client does (requests at `debug`, retries at `warn`, failed calls at
   * `error`). Nothing is logged by default. Without this option, the environment variable
   * `FLINK_CLIENT_LOG=debug|info|warn|error` logs to the console from that level up.
   */
  logger?: Logger;
  /**
   * The HistoryServer that archives this cluster's jobs and applications, such as
   * `http://localhost:8082`. The cluster's own answers are preferred while it is up; once it is
   * gone (an application cluster exits when its application ends), reads fall back to the
   * archive, so `result()`, `describe()`, `status()` and `watch()` still tell the end. Sent with
   * the same credentials, headers and TLS settings as the cluster's requests.
   * @default none: reads of a cluster that is gone fail with FlinkConnectionError
   */
  historyServer?: string | URL;
}
