/** Emitted before each HTTP attempt. URL and headers are redacted. */
export interface RequestEvent {
  /** The id of the logical call, the same on every attempt, retry and failover of it. */
  requestId: string;
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
  /** The id of the logical call. */
  requestId: string;
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
  /** The id of the logical call. */
  requestId: string;
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
  /** Why the previous attempt failed (a flink-client error, scrubbed of secrets). */
  error: Error;
}

/** Emitted once when a logical call finally fails, after any retries: the error it rejects with. */
export interface FailureEvent {
  /** The id of the logical call (also on `error.requestId`). */
  requestId: string;
  /** HTTP method. */
  method: string;
  /** Request URL of the last attempt, redacted. */
  url: string;
  /** Path below the REST root. */
  path: string;
  /** Attempts made. */
  attempts: number;
  /** Time from the call to its failure, in milliseconds. */
  durationMs: number;
  /** The error the call rejects with. */
  error: Error;
}

/** The events a {@link ClusterClient} emits, for logging, metrics and tracing. */
export interface ClusterClientEvents {
  /** Before each HTTP attempt. */
  request: (event: RequestEvent) => void;
  /** After each HTTP attempt that got a response. */
  response: (event: ResponseEvent) => void;
  /** Before a retry. */
  retry: (event: RetryEvent) => void;
  /** When a call has failed for good. */
  failure: (event: FailureEvent) => void;
}
