/**
 * Fault injection: make chosen requests slow, answer them with 503/500, reset their connection,
 * cut or garble their body, or take the whole JobManager down for a while.
 */

/**
 * Which requests a fault applies to. Every field narrows the match; an empty match is every
 * request.
 */
export interface FaultMatch {
  /** HTTP method (any case). */
  method?: string;
  /**
   * The path without the `/v1` prefix and without the query: an exact path (`/overview`), a
   * template whose `:name` segments match any one segment (`/jobs/:jobid/status`), a trailing `*`
   * matching the rest (`/jobs/*`), or a RegExp tested against the path.
   */
  path?: string | RegExp;
  /**
   * How many matching requests the fault affects before it retires itself.
   * @default Infinity
   */
  times?: number;
  /**
   * Matching requests to let through untouched before the fault starts.
   * @default 0
   */
  skip?: number;
}

/** What happens to a request a fault matches. */
export type Fault =
  /** Delay the answer by `ms` real milliseconds (the request is then processed normally). */
  | {
      /** Selects this kind of fault. */
      type: 'latency';
      /** The delay, in real milliseconds (not the simulator's clock). */
      ms: number;
    }
  /** 503 with Flink's leader-election body, without processing the request. */
  | {
      /** Selects this kind of fault. */
      type: 'leader-election';
    }
  /**
   * An error answer without processing the request: by default 500 with Flink's
   * `["Internal server error.", "<Exception on server side: ...>"]` body.
   */
  | {
      /** Selects this kind of fault. */
      type: 'error';
      /**
       * The HTTP status.
       * @default 500
       */
      status?: number;
      /** The `errors` array of the body; Flink's internal-server-error texts by default. */
      errors?: string[];
    }
  /**
   * Destroy the connection without an answer (the client sees ECONNRESET / "socket hang up").
   * With `afterProcessing` the request takes effect first and only the answer is lost (a
   * savepoint is triggered, a job submitted: what idempotent retries are for).
   */
  | {
      /** Selects this kind of fault. */
      type: 'reset';
      /**
       * Process the request before dropping the connection.
       * @default false
       */
      afterProcessing?: boolean;
    }
  /** Process the request, then send the status, headers and half the body, and close the connection. */
  | {
      /** Selects this kind of fault. */
      type: 'truncate';
    }
  /** Process the request, then answer 200 with a body that is not valid JSON. */
  | {
      /** Selects this kind of fault. */
      type: 'malformed-json';
    };

/** A fault and the requests it applies to. */
export interface FaultRule extends FaultMatch {
  /** What happens to the matching requests. */
  fault: Fault;
}

/** A fault that was added; remove it, or see how often it fired. */
export interface FaultHandle {
  /** How many requests the fault affected so far. */
  readonly hits: number;
  /** Whether it still applies (not removed, `times` not used up). */
  readonly active: boolean;
  /** Stops the fault. */
  remove(): void;
}

/** Options of `sim.faults.restartJobManager()`. */
export interface JobManagerRestartOptions {
  /**
   * How long the JobManager stays down, in real milliseconds.
   * @default 1000
   */
  downMs?: number;
  /**
   * Whether state survives (HA-style recovery): jars, jobs and applications are kept, jobs that
   * were running recover from their latest checkpoint (INITIALIZING → CREATED → RUNNING again).
   * When false, the cluster comes back empty (savepoints stay: they are files). Asynchronous
   * operation results are lost either way, as they live in the REST endpoint's memory.
   * @default true
   */
  keepState?: boolean;
  /**
   * While down: `'refuse'` closes the listening socket (ECONNREFUSED), `'reset'` accepts and
   * immediately destroys connections (ECONNRESET).
   * @default 'refuse'
   */
  mode?: 'refuse' | 'reset';
  /**
   * After coming back, answer 503 leader-election for this long (real ms) before serving.
   * @default 0
   */
  leaderElectionMs?: number;
}

class FaultEntry implements FaultHandle {
  hits = 0;
  seen = 0;
  removed = false;
  constructor(readonly rule: FaultRule) {}

  get active(): boolean {
    return !this.removed && this.hits < (this.rule.times ?? Number.POSITIVE_INFINITY);
  }

  remove(): void {
    this.removed = true;
  }
}

function pathMatches(pattern: string | RegExp | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  if (pattern instanceof RegExp) return pattern.test(path);
  const want = pattern.replace(/^\/v1(?=\/)/, '').split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    if (w === '*' && i === want.length - 1) return true;
    const g = got[i];
    if (g === undefined) return false;
    if (w.startsWith(':')) continue;
    if (w !== g) return false;
  }
  return want.length === got.length;
}

/** The faults of one simulator. @internal */
export class FaultRegistry {
  readonly #entries: FaultEntry[] = [];

  add(rule: FaultRule): FaultHandle {
    validateFault(rule);
    const entry = new FaultEntry(rule);
    this.#entries.push(entry);
    return entry;
  }

  clear(): void {
    for (const e of this.#entries) e.removed = true;
    this.#entries.length = 0;
  }

  /**
   * The faults that apply to a request: the total latency, and the first other fault. Counts a
   * hit on each fault used.
   */
  take(method: string, path: string): { latencyMs: number; fault: Exclude<Fault, { type: 'latency' }> | undefined } {
    // Asked per request; most simulators have no faults.
    if (this.#entries.length === 0) return NO_FAULT;
    let latencyMs = 0;
    let fault: Exclude<Fault, { type: 'latency' }> | undefined;
    for (const e of this.#entries) {
      if (!e.active) continue;
      const r = e.rule;
      if (r.method && r.method.toUpperCase() !== method.toUpperCase()) continue;
      if (!pathMatches(r.path, path)) continue;
      if (r.fault.type !== 'latency' && fault) continue;
      e.seen++;
      if (e.seen <= (r.skip ?? 0)) continue;
      e.hits++;
      if (r.fault.type === 'latency') latencyMs += r.fault.ms;
      else fault = r.fault;
    }
    for (let i = this.#entries.length - 1; i >= 0; i--) if (!(this.#entries[i] as FaultEntry).active) this.#entries.splice(i, 1);
    return { latencyMs, fault };
  }
}

/** What {@link FaultRegistry.take} answers while no fault is registered. */
const NO_FAULT = Object.freeze({ latencyMs: 0, fault: undefined });

function validateFault(rule: FaultRule): void {
  if (!rule || typeof rule !== 'object' || !rule.fault || typeof rule.fault !== 'object') throw new TypeError('a fault rule needs a `fault`');
  const f = rule.fault;
  const types = ['latency', 'leader-election', 'error', 'reset', 'truncate', 'malformed-json'];
  if (!types.includes(f.type)) throw new TypeError(`unknown fault type ${JSON.stringify((f as { type?: unknown }).type)}`);
  if (f.type === 'latency' && !(typeof f.ms === 'number' && f.ms >= 0)) throw new RangeError('latency.ms must be a number >= 0');
  if (f.type === 'error' && f.status !== undefined && !(Number.isInteger(f.status) && f.status >= 400 && f.status <= 599)) throw new RangeError('error.status must be 400-599');
  if (rule.times !== undefined && !(rule.times >= 0)) throw new RangeError('times must be >= 0');
  if (rule.skip !== undefined && !(rule.skip >= 0)) throw new RangeError('skip must be >= 0');
}

/** Fault injection (`sim.faults`). */
export interface SimulatorFaults {
  /** Adds a fault rule; see {@link FaultRule}. */
  add(rule: FaultRule): FaultHandle;
  /** Delays matching answers by `ms` real milliseconds. */
  latency(ms: number, match?: FaultMatch): FaultHandle;
  /** Answers matching requests with Flink's 503 leader-election body. */
  leaderElection(match?: FaultMatch): FaultHandle;
  /** Answers matching requests with an error status (default 500 with Flink's internal-error body). */
  error(status?: number, match?: FaultMatch & { errors?: string[] }): FaultHandle;
  /** Resets the connection of matching requests (before processing, or after with `afterProcessing`). */
  reset(match?: FaultMatch & { afterProcessing?: boolean }): FaultHandle;
  /** Cuts matching answers mid-body. */
  truncate(match?: FaultMatch): FaultHandle;
  /** Answers matching requests with 200 and a body that is not JSON. */
  malformedJson(match?: FaultMatch): FaultHandle;
  /** Removes every fault. */
  clear(): void;
  /**
   * Takes the JobManager down for `downMs` real milliseconds (connections refused or reset) and
   * brings it back, with or without its state. Resolves once it is back up.
   * @throws Error (rejects) when it is already down or the simulator is closed.
   */
  restartJobManager(options?: JobManagerRestartOptions): Promise<void>;
  /** Whether the JobManager is down right now. */
  readonly jobManagerDown: boolean;
}

/** `sim.faults`, over the registry and the simulator's JobManager restart. @internal */
export function faultsView(faults: FaultRegistry, host: { restart(options?: JobManagerRestartOptions): Promise<void>; isDown(): boolean }): SimulatorFaults {
  const add = (fault: Fault, match: FaultMatch = {}): FaultHandle => faults.add({ ...match, fault });
  return {
    add: (rule) => faults.add(rule),
    latency: (ms, match) => add({ type: 'latency', ms }, match),
    leaderElection: (match) => add({ type: 'leader-election' }, match),
    error: (status, match = {}) => {
      const { errors, ...rest } = match;
      return add({ type: 'error', status, errors }, rest);
    },
    reset: (match = {}) => {
      const { afterProcessing, ...rest } = match;
      return add({ type: 'reset', afterProcessing }, rest);
    },
    truncate: (match) => add({ type: 'truncate' }, match),
    malformedJson: (match) => add({ type: 'malformed-json' }, match),
    clear: () => faults.clear(),
    restartJobManager: (opts) => host.restart(opts),
    get jobManagerDown() {
      return host.isDown();
    },
  };
}
