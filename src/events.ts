/** Emitted before each HTTP attempt. URL and headers are redacted. */
export interface RequestEvent {
  /** HTTP method. */
  method: string;
  /** Request URL, redacted. */
  url: string;
  /** Path below the REST root. */
  path: string;
  /** Attempt number, starting at 1. */
  attempt: number;
  /** Request headers with credential values replaced by `[REDACTED]`. */
  headers: Record<string, string>;
}

/** Emitted when an HTTP attempt got a response (any status). */
export interface ResponseEvent {
  /** HTTP method. */
  method: string;
  /** Request URL, redacted. */
  url: string;
  /** Path below the REST root. */
  path: string;
  /** Attempt number, starting at 1. */
  attempt: number;
  /** HTTP status code. */
  status: number;
  /** Time from sending the request to having read the whole body, in milliseconds. */
  durationMs: number;
}

/** Emitted before the client sleeps and retries a failed attempt. */
export interface RetryEvent {
  /** HTTP method. */
  method: string;
  /** Request URL of the failed attempt, redacted. */
  url: string;
  /** Path below the REST root. */
  path: string;
  /** The number of the attempt about to be made, starting at 2. */
  attempt: number;
  /** The sleep before that attempt, in milliseconds. */
  delayMs: number;
  /** Why the previous attempt failed (a flink-client error). */
  error: Error;
}

/** The events a {@link ClusterClient} emits, for logging and metrics. */
export interface ClusterClientEvents {
  /** Before each HTTP attempt. */
  request: (event: RequestEvent) => void;
  /** After each HTTP attempt that got a response. */
  response: (event: ResponseEvent) => void;
  /** Before a retry. */
  retry: (event: RetryEvent) => void;
}
