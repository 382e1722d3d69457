import { FlinkApiError } from '../errors/flink-api-error.js';
import { FlinkConnectionError } from '../errors/flink-connection-error.js';
import { FlinkError } from '../errors/flink-error.js';
import { FlinkTimeoutError } from '../errors/flink-timeout-error.js';
import { FlinkValidationError } from '../errors/flink-validation-error.js';

/**
 * What a failure says about trying again: the one definition the request pipeline (retries), the
 * waits (`result()`, `waitFor()`, operations) and the watchers share.
 *
 * - `'transient'`: the next attempt may well succeed: the connection failed or was reset, an
 *   attempt timed out, Flink answered 503 (leader election), a proxy answered 502/504, the server
 *   asked to slow down (408, 429), a bearer token provider failed once.
 * - `'suspect'`: a 5xx other than those, or a 2xx body that is not JSON (a proxy's error page, a
 *   cut connection). Flink uses 500 for failures that repeat, so nothing short-lived repeats on
 *   it: the pipeline does not retry it and a wait fails on it; a watcher, which lives for hours
 *   and must outlast a JobManager restart, backs off and tries again.
 * - `'permanent'`: anything else (400, 401/403, 404, 409, a body the schema rejects, an abort, a
 *   closed client, a bug): the same call would fail the same way.
 */
export type Transience = 'transient' | 'suspect' | 'permanent';

/** Statuses that mean "try again later": 408, 429, 502, 503 (Flink's leader election), 504. */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 429, 502, 503, 504]);

/**
 * Error codes of transport failures that happen before any byte of a request reaches the server,
 * so any request, even a non-idempotent one, can be sent again.
 */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'UND_ERR_CONNECT_TIMEOUT']);

/** Error codes of transport failures worth another attempt of a request that is safe to repeat. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([...NOT_SENT_CODES, 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * What Flink's error text says when the REST endpoint that answered could not reach the leading
 * JobManager's RPC endpoint: the leader died (a standby forwards to it until its ZooKeeper session
 * expires), or leadership moved on mid-call. Flink wraps these in a 500, or in a 400 "Could not
 * execute application" for a jar run; the same call answers once the new leader is there.
 */
const LEADER_UNREACHABLE = /RecipientUnreachableException|RpcConnectionException|Could not connect to rpc endpoint|FencingTokenException|Fencing token (?:mismatch|not set)|LeaderSessionIDException|Invocation of \[[^\]]*\] at recipient \[[^\]]*\] timed out/;

/** Whether Flink's `errors` say that the leading JobManager could not be reached behind the endpoint that answered. */
export function isLeaderUnreachable(errors: readonly string[]): boolean {
  return errors.some((e) => LEADER_UNREACHABLE.test(e));
}

/** Whether a response status means "try again later". */
export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUSES.has(status);
}

/** The `code` of a transport error, looking through `cause` chains. */
export function transportCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Whether a transport error certainly happened before the request was sent. */
export function isNotSent(err: unknown): boolean {
  const code = transportCode(err);
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/** Whether a transport error (undici's or Node's, before it is wrapped) is a transient connection failure. */
export function isTransientTransportError(err: unknown): boolean {
  const code = transportCode(err);
  return code !== undefined && TRANSIENT_CODES.has(code);
}

/** How a flink-client error (or anything thrown) should be treated by whoever might try again; see {@link Transience}. */
export function transience(error: unknown): Transience {
  if (error instanceof FlinkConnectionError) return 'transient';
  if (error instanceof FlinkTimeoutError) return error.phase === 'attempt' ? 'transient' : 'permanent';
  if (error instanceof FlinkApiError) {
    if (isTransientStatus(error.status) || isLeaderUnreachable(error.errors)) return 'transient';
    return error.status >= 500 ? 'suspect' : 'permanent';
  }
  if (error instanceof FlinkValidationError) return error.notJson ? 'suspect' : 'permanent';
  if (error instanceof FlinkError && error.code === 'FLINK_AUTH_PROVIDER_FAILED') return 'transient';
  return 'permanent';
}

/** Whether a wait rides out this failure: only transient ones (a wait has a deadline; a repeating 500 should fail it). */
export function isTransientError(error: unknown): boolean {
  return transience(error) === 'transient';
}
