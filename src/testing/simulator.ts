import { EventEmitter } from 'node:events';
import type { RequestHandler } from 'msw';
import { RealClock, type SchedulingClock, type SimulatorClock, VirtualClock } from './clock.js';
import { FaultRegistry, faultsView, type JobManagerRestartOptions, type SimulatorFaults } from './faults.js';
import { buildHandlers, buildSimulatorHandlers, type HandlerHost, type SimulatorHandlers } from './handlers.js';
import { createIdSource } from './ids.js';
import { ClusterModel, type ModelConfig, normalizeLocation } from './model.js';
import { applicationsView, type SimulatedApplications } from './resources/applications.js';
import { jarsView, type SimulatedJars } from './resources/jars.js';
import { jobsView, type SimulatedJobs } from './resources/jobs.js';
import { operationsView, type SimulatedOperations } from './resources/operations.js';
import { savepointsView, type SimulatedSavepoints } from './resources/savepoints.js';
import { type SimulatorFlinkVersion, versionProfile } from './profiles.js';
import { type ProgramDefinition, ProgramRegistry, type ProgramSource } from './programs.js';
import type { RouteSettings } from './route-kit.js';
import { RequestLog } from './request-log.js';
import { HandlerServer } from './server.js';
import type { SimulatorEvents, SimulatorRequest } from './state.js';
import { resolveTiming, type SimulatorTiming } from './timing.js';
import { type WaitFor, waitForMatch } from './wait-for.js';
import { SimulatedHistoryServer, type SimulatedHistoryServerOptions } from './history/history-server.js';
import { isGloballyTerminal } from './job-model.js';
import { isTerminalApplication } from './application-model.js';

/** Options of {@link createFlinkSimulator}. */
export interface FlinkSimulatorOptions {
  /**
   * The Flink version to imitate: `'2.3.0'` (applications, 2.x body shapes) or `'1.20.5'` (no
   * application routes, older body shapes).
   * @default '2.3.0'
   */
  flinkVersion?: SimulatorFlinkVersion;
  /**
   * `'real'`: simulated time is wall time. `'virtual'`: time stands still until the test calls
   * `sim.clock.advance(ms)` or `runFor(ms)`; every state change then happens at its exact
   * simulated moment. Network faults (latency, JobManager downtime, leader-election windows)
   * always run on wall time, since they act on real sockets.
   * @default 'real'
   */
  clock?: 'real' | 'virtual';
  /**
   * Where the virtual clock starts (epoch ms).
   * @default Date.now()
   */
  startTime?: number;
  /** Seed for ids (job, trigger, application ids, jar uuids): the same seed gives the same ids. Random when omitted. */
  seed?: number;
  /**
   * How long each step takes: `'realistic'` (as recorded on real clusters), `'fast'`, or overrides.
   * @default 'realistic'
   */
  timing?: 'realistic' | 'fast' | Partial<SimulatorTiming>;
  /** Programs to register at start, such as {@link fixturePrograms}. */
  programs?: Iterable<ProgramDefinition>;
  /**
   * The program run for a jar's own `Main-Class` (or another class in the jar) that has no
   * registered program.
   * @default one unbounded streaming job named after the class
   */
  defaultProgram?: ProgramSource;
  /**
   * `jobmanager.scheduler`: with `'adaptive'`, `GET`/`PUT /jobs/:id/resource-requirements` work;
   * with `'default'` they answer 500 as real Flink does.
   * @default 'default'
   */
  scheduler?: 'default' | 'adaptive';
  /**
   * `execution.checkpointing.savepoint-dir`; `null` leaves it unset, so savepoints and stops
   * without a target directory get Flink's 400.
   * @default 'file:///tmp/flink-simulator/savepoints'
   */
  savepointDir?: string | null;
  /** `execution.checkpointing.dir`. @default 'file:///tmp/flink-simulator/checkpoints' */
  checkpointDir?: string;
  /** `web.upload.dir` (jars are "stored" under `<dir>/flink-web-upload`). @default '/tmp/flink-simulator' */
  uploadDir?: string;
  /**
   * `rest.async.store-duration`: how long a completed operation's result stays readable.
   * @default 300000
   */
  asyncOperationStoreMs?: number;
  /**
   * `web.refresh-interval`, reported by `/config`, and the lifetime of cached job bodies when
   * `jobDetailsCache` is on.
   * @default 3000
   */
  refreshIntervalMs?: number;
  /**
   * Model Flink's REST caches: the first read of a job's execution graph (`GET /jobs/:id`,
   * `/accumulators`, `/exceptions`, `/config`, `/plan`, `/checkpoints/config`) takes a snapshot
   * that every one of these routes answers from for `refreshIntervalMs`, and `/checkpoints` is
   * cached the same way on its own (`rest.cache.checkpoint-statistics.timeout`); `/jobs/:id/status`,
   * `/jobs/overview` and `/execution-result` stay fresh. So a job read while RUNNING can still look
   * RUNNING, without its final accumulators, right after it finished, as on a real cluster.
   * @default false
   */
  jobDetailsCache?: boolean;
  /** Task managers. @default 1 */
  taskManagers?: number;
  /** `taskmanager.numberOfTaskSlots`. @default 2 */
  slotsPerTaskManager?: number;
  /** `parallelism.default`. @default 1 */
  defaultParallelism?: number;
  /** Extra cluster configuration, shown by `/jobmanager/config`. */
  configuration?: Record<string, string>;
  /**
   * Start a real loopback HTTP server. With `false` nothing listens: use `sim.handlers` in msw's
   * `setupServer` (fetch-based code only).
   * @default true
   */
  server?: boolean;
  /** The interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** The port; 0 picks a free one. @default 0 */
  port?: number;
  /** The base URL the handlers answer when `server` is false. @default 'http://flink-simulator.test:8081' */
  baseUrl?: string;
  /** How many requests `sim.requests` keeps. @default 1000 */
  requestLogSize?: number;
  /**
   * Archive ended jobs and applications (`jobmanager.archive.fs.dir`) and serve them from a
   * simulated HistoryServer on its own URL, `sim.historyServer.url`; `true` for the defaults
   * (a 10 s `historyserver.archive.fs.refresh-interval`). See {@link SimulatedHistoryServer}.
   * @default false
   */
  historyServer?: boolean | SimulatedHistoryServerOptions;
}

export type { SimulatedApplications, SimulatedJars, SimulatedJobs, SimulatedOperations, SimulatedSavepoints, SimulatorFaults };

const handlerHosts = new WeakMap<FlinkSimulator, { host: HandlerHost; defaultBase: () => string }>();
const starters = new WeakMap<FlinkSimulator, (port: number) => Promise<void>>();

/**
 * A stateful, in-process Flink cluster that speaks Flink's REST API. Create one with
 * {@link createFlinkSimulator}; always `close()` it.
 */
export class FlinkSimulator {
  /** The Flink version imitated. */
  readonly flinkVersion: SimulatorFlinkVersion;
  /** The simulated clock. */
  readonly clock: SimulatorClock;
  /** Programs by entry class: what running a jar does. */
  readonly programs: ProgramRegistry;
  /** The jobs, to observe and drive them. */
  readonly jobs: SimulatedJobs;
  /** The applications (2.3 profile). */
  readonly applications: SimulatedApplications;
  /** The uploaded jars. */
  readonly jars: SimulatedJars;
  /** The savepoints written (and restorable). */
  readonly savepoints: SimulatedSavepoints;
  /** Asynchronous operations and their failure injection. */
  readonly operations: SimulatedOperations;
  /** Fault injection. */
  readonly faults: SimulatorFaults;
  /** The simulated HistoryServer over this cluster's archive, with the `historyServer` option. */
  readonly historyServer: SimulatedHistoryServer | undefined;

  readonly #clock: SchedulingClock;
  readonly #model: ClusterModel;
  readonly #faults = new FaultRegistry();
  readonly #events = new EventEmitter();
  readonly #server: HandlerServer | undefined;
  readonly #baseUrl: string;
  readonly #requests: RequestLog<SimulatorRequest>;
  readonly #realTimers = new Map<ReturnType<typeof setTimeout>, (alive: boolean) => void>();
  readonly #settings: RouteSettings;
  #routes: SimulatorHandlers | undefined;
  #host: HandlerHost | undefined;
  #closed = false;
  #gone = false;
  #down = false;
  #leaderElectionUntil = 0;
  #inFlight = 0;

  /** @internal Use {@link createFlinkSimulator}. */
  constructor(options: FlinkSimulatorOptions, server: boolean) {
    const profile = versionProfile(options.flinkVersion ?? '2.3.0');
    this.flinkVersion = profile.version;
    const onError = (err: unknown): void => {
      if (this.#events.listenerCount('error') > 0) this.#events.emit('error', err);
      else process.emitWarning(`flink-client/testing: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    };
    const clockKind = options.clock ?? 'real';
    if (clockKind !== 'real' && clockKind !== 'virtual') throw new RangeError(`clock must be 'real' or 'virtual', got ${JSON.stringify(clockKind)}`);
    this.#clock = clockKind === 'virtual' ? new VirtualClock(options.startTime ?? Date.now(), onError) : new RealClock(onError);
    this.clock = this.#clock;
    this.programs = new ProgramRegistry();
    if (options.programs) this.programs.registerAll(options.programs);
    this.#requests = new RequestLog(options.requestLogSize ?? 1000);
    this.#baseUrl = (options.baseUrl ?? 'http://flink-simulator.test:8081').replace(/\/+$/, '');
    this.#model = new ClusterModel(
      modelConfig(options, {
        profile,
        clock: this.#clock,
        programs: this.programs,
        address: () => this.url,
        emit: (event, ...args) => {
          if (this.#events.listenerCount(event) > 0) this.#events.emit(event, ...args);
        },
      }),
    );
    this.#settings = {
      refreshIntervalMs: options.refreshIntervalMs ?? 3000,
      jobDetailsCache: options.jobDetailsCache ?? false,
      realClock: clockKind === 'real',
      jobDetailsCacheStore: new Map(),
      checkpointStatsCacheStore: new Map(),
      onShutdown: () => this.#shutdown(),
    };
    this.#server = server ? new HandlerServer(() => this.handlers, { host: options.host ?? '127.0.0.1', fastPath: (req) => this.#compiledRoutes().fastPath(req) }) : undefined;

    const waitFor: WaitFor = (find, eventName, timeoutMs, what) => waitForMatch(this.#events, find, eventName, timeoutMs, what);
    this.jobs = jobsView(this.#model, waitFor);
    this.applications = applicationsView(this.#model, waitFor);
    this.jars = jarsView(this.#model, this.programs);
    this.savepoints = savepointsView(this.#model);
    this.operations = operationsView(this.#model.operations);
    this.faults = faultsView(this.#faults, { restart: (opts) => this.#restartJobManager(opts), isDown: () => this.#down });
    const history = options.historyServer;
    if (history !== undefined && typeof history !== 'boolean' && (typeof history !== 'object' || history === null)) throw new RangeError('historyServer must be a boolean or an options object');
    this.historyServer = history ? this.#historyServer(history === true ? {} : history, server, options.host ?? '127.0.0.1', onError) : undefined;

    this.#host = this.#handlerHost();
    handlerHosts.set(this, { host: this.#host, defaultBase: () => this.url });
    starters.set(this, async (port) => {
      await this.#server?.listen(port);
      await this.historyServer?.start();
    });
  }

  /**
   * The REST root to give clients: `http://127.0.0.1:<port>` (or the `baseUrl` option when no
   * server runs). Serves `/v1/...` and the unprefixed paths.
   */
  get url(): string {
    return this.#server ? this.#server.origin : this.#baseUrl;
  }

  /**
   * The simulator's routes as msw request handlers bound to {@link FlinkSimulator.url}; mount them
   * in msw's `setupServer` to serve fetch-based code without a socket. The simulator's own server
   * serves these very handlers. For another base URL use {@link createFlinkHandlers}.
   */
  get handlers(): RequestHandler[] {
    return this.#compiledRoutes().handlers;
  }

  /** The handlers and the server's fast path, built once `url` is known. */
  #compiledRoutes(): SimulatorHandlers {
    this.#routes ??= buildSimulatorHandlers(this.#host as HandlerHost, this.url);
    return this.#routes;
  }

  /** The requests answered so far (the last `requestLogSize`), oldest first. */
  get requests(): readonly SimulatorRequest[] {
    return this.#requests.toArray();
  }

  /** Forgets the logged requests. */
  clearRequests(): void {
    this.#requests.clear();
  }

  /**
   * Requests being handled right now, including those waiting for simulated time (a `/jars/:id/run`
   * whose `main()` sleeps before its first job). With a virtual clock, wait for a request to arrive
   * (this count to rise) before advancing the clock past the moment it should be answered.
   */
  get requestsInFlight(): number {
    return this.#inFlight;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Open client connections to the simulator's server (0 without a server). */
  get openConnections(): number {
    return this.#server?.openSockets ?? 0;
  }

  /** Listens to simulator events; see {@link SimulatorEvents}. */
  on<K extends keyof SimulatorEvents>(event: K, listener: (...args: SimulatorEvents[K]) => void): this {
    this.#events.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Removes an event listener. */
  off<K extends keyof SimulatorEvents>(event: K, listener: (...args: SimulatorEvents[K]) => void): this {
    this.#events.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Listens to the next occurrence of an event. */
  once<K extends keyof SimulatorEvents>(event: K, listener: (...args: SimulatorEvents[K]) => void): this {
    this.#events.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /**
   * Stops everything: closes the server and every open connection, cancels every timer (simulated
   * and real), removes listeners. Idempotent. Handlers mounted elsewhere answer with network errors
   * afterwards.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const [timer, resolve] of this.#realTimers) {
      clearTimeout(timer);
      resolve(false);
    }
    this.#realTimers.clear();
    this.#faults.clear();
    this.#model.dispose();
    this.#clock.dispose();
    await Promise.all([this.#server?.close(), this.historyServer?.close()]);
    this.#events.removeAllListeners();
  }

  /**
   * The cluster goes away, as after `DELETE /cluster` or when an application cluster's JobManager
   * exits: its port stops answering (connections refused), running jobs stop where they are (they
   * are not archived), and a `historyServer` keeps serving what was archived. Idempotent.
   * Unlike `close()`, the clock, the views and the HistoryServer stay usable.
   *
   * @example
   * ```ts
   * // An application cluster: exit 250 ms after the application ends.
   * sim.on('applicationStatus', (e) => {
   *   if (['FINISHED', 'FAILED', 'CANCELED'].includes(e.status)) void sim.clock.sleep(250).then(() => sim.shutdown());
   * });
   * ```
   */
  async shutdown(): Promise<void> {
    if (this.#closed || this.#gone) return;
    this.#gone = true;
    this.#model.dispose();
    await this.#server?.stopListening();
  }

  /** `await using sim = await createFlinkSimulator()` support. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** What the request handlers see of this simulator. */
  #handlerHost(): HandlerHost {
    return {
      model: this.#model,
      faults: this.#faults,
      settings: this.#settings,
      isGone: () => this.#closed || this.#gone,
      isDown: () => this.#down,
      inLeaderElection: () => {
        // Asked per request: the clock is read only while an election may still be going on.
        if (this.#leaderElectionUntil === 0) return false;
        if (Date.now() < this.#leaderElectionUntil) return true;
        this.#leaderElectionUntil = 0;
        return false;
      },
      realDelay: (ms) => this.#realDelay(ms),
      inFlight: (delta) => {
        this.#inFlight += delta;
      },
      log: (entry) => {
        this.#requests.push(entry);
        if (this.#events.listenerCount('request') > 0) this.#events.emit('request', entry);
      },
    };
  }

  /** The HistoryServer, and the archiving of every job and application that ends. */
  #historyServer(options: SimulatedHistoryServerOptions, server: boolean, host: string, onError: (err: unknown) => void): SimulatedHistoryServer {
    const history = new SimulatedHistoryServer(options, { model: this.#model, settings: this.#settings, clock: this.#clock, server, host, onError });
    this.#events.on('jobStatus', (e: SimulatorEvents['jobStatus'][0]) => {
      if (isGloballyTerminal(e.status)) history.archiveJob(e.jobId);
    });
    this.#events.on('applicationStatus', (e: SimulatorEvents['applicationStatus'][0]) => {
      if (isTerminalApplication(e.status)) history.archiveApplication(e.applicationId);
    });
    return history;
  }

  /** `DELETE /cluster`: the cluster goes away just after answering, as Flink's does. */
  #shutdown(): void {
    void this.#realDelay(20).then((alive) => {
      if (!alive) return;
      this.#gone = true;
      this.#model.dispose();
      void this.#server?.stopListening();
    });
  }

  #realDelay(ms: number): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#realTimers.delete(timer);
        resolve(!this.#closed);
      }, ms);
      this.#realTimers.set(timer, resolve);
    });
  }

  async #restartJobManager(options: JobManagerRestartOptions = {}): Promise<void> {
    if (this.#closed || this.#gone) throw new Error('flink-client/testing: the simulator is closed');
    if (this.#down) throw new Error('flink-client/testing: the JobManager is already down');
    const downMs = options.downMs ?? 1000;
    const keepState = options.keepState ?? true;
    const mode = options.mode ?? 'refuse';
    if (!(downMs >= 0)) throw new RangeError('downMs must be >= 0');
    this.#down = true;
    this.#model.crash(keepState);
    this.#settings.jobDetailsCacheStore.clear();
    this.#settings.checkpointStatsCacheStore.clear();
    if (this.#server) {
      if (mode === 'refuse') await this.#server.stopListening();
      else {
        this.#server.resetConnections = true;
        this.#server.destroySockets();
      }
    }
    const alive = await this.#realDelay(downMs);
    if (!alive) return;
    if (this.#server) {
      this.#server.resetConnections = false;
      await this.#server.resume();
    }
    this.#leaderElectionUntil = Date.now() + (options.leaderElectionMs ?? 0);
    this.#down = false;
    this.#model.recoverAfterRestart();
  }
}

/**
 * Starts a simulated Flink cluster: a stateful model of jars, jobs, applications, savepoints and
 * asynchronous operations behind Flink's REST API, served on a loopback port (`sim.url`) and as
 * msw handlers (`sim.handlers`).
 *
 * Jobs move through Flink's states with realistic timing on the simulated clock; tests drive them
 * through the REST API (any HTTP client) or directly (`sim.jobs.get(id).finish()`), inject faults
 * (`sim.faults`), and on a virtual clock move time with `sim.clock.advance(ms)`.
 *
 * @throws RangeError for invalid options; rejects when the port cannot be bound.
 * @example
 * ```ts
 * import { ClusterClient } from 'flink-client';
 * import { createFlinkSimulator, fixturePrograms, buildJar } from 'flink-client/testing';
 *
 * const sim = await createFlinkSimulator({ clock: 'virtual', programs: fixturePrograms });
 * const cluster = new ClusterClient({ url: sim.url });
 * const jar = sim.jars.add({ name: 'bounded-accumulator.jar', mainClass: 'flinkclient.fixtures.BoundedAccumulatorJob' });
 * const job = await cluster.runJar(jar.id);
 * sim.clock.advance(1_000);
 * console.log(await job.result()); // FINISHED, accumulators records=1000, sum=500500
 * await cluster.close();
 * await sim.close();
 * ```
 */
export async function createFlinkSimulator(options: FlinkSimulatorOptions = {}): Promise<FlinkSimulator> {
  const sim = new FlinkSimulator(options, options.server ?? true);
  try {
    await starters.get(sim)?.(options.port ?? 0);
  } catch (err) {
    await sim.close();
    throw err;
  }
  return sim;
}

/** Options of {@link createFlinkHandlers}. */
export interface FlinkHandlersOptions {
  /**
   * The base URL the handlers answer (a path prefix is allowed: `http://gw.test/flink`).
   * @default sim.url
   */
  baseUrl?: string;
}

/**
 * The simulator's routes as msw request handlers for a base URL (`http.get(...)` and friends, one
 * per route at `/v1/...` and unprefixed, plus a catch-all answering unknown paths like Flink).
 * They share the simulator's state, faults and clock with its server.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * const sim = await createFlinkSimulator({ server: false });
 * const server = setupServer(...createFlinkHandlers(sim, { baseUrl: 'http://flink.test' }));
 * server.listen();
 * const res = await fetch('http://flink.test/v1/overview');
 * ```
 * @throws TypeError when `sim` is not a simulator made by {@link createFlinkSimulator}, or the base URL is not absolute.
 */
export function createFlinkHandlers(sim: FlinkSimulator, options: FlinkHandlersOptions = {}): RequestHandler[] {
  const entry = handlerHosts.get(sim);
  if (!entry) throw new TypeError('createFlinkHandlers needs a simulator made by createFlinkSimulator');
  const base = options.baseUrl ?? entry.defaultBase();
  try {
    new URL(base);
  } catch {
    throw new TypeError(`baseUrl must be an absolute URL, got ${JSON.stringify(base)}`);
  }
  return buildHandlers(entry.host, base);
}

/** The cluster model's configuration from the simulator's options (validated). */
function modelConfig(
  options: FlinkSimulatorOptions,
  parts: Pick<ModelConfig, 'profile' | 'clock' | 'programs' | 'address' | 'emit'>,
): ModelConfig {
  const positive = (name: string, value: number | undefined, fallback: number): number => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer`);
    return v;
  };
  return {
    ...parts,
    timing: resolveTiming(options.timing),
    ids: createIdSource(options.seed),
    defaultProgram: options.defaultProgram,
    scheduler: options.scheduler ?? 'default',
    savepointDir: options.savepointDir === undefined ? 'file:///tmp/flink-simulator/savepoints' : options.savepointDir,
    checkpointDir: normalizeLocation(options.checkpointDir ?? 'file:///tmp/flink-simulator/checkpoints'),
    uploadDir: options.uploadDir ?? '/tmp/flink-simulator',
    asyncStoreMs: options.asyncOperationStoreMs ?? 300_000,
    taskManagers: positive('taskManagers', options.taskManagers, 1),
    slotsPerTaskManager: positive('slotsPerTaskManager', options.slotsPerTaskManager, 2),
    defaultParallelism: positive('defaultParallelism', options.defaultParallelism, 1),
    configuration: {
      ...(options.historyServer ? { 'jobmanager.archive.fs.dir': 'file:///tmp/flink-simulator/archive' } : {}),
      ...(options.configuration ?? {}),
    },
  };
}
