import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ApplicationClient } from '../context/handles.js';
import { ClusterDeploymentError } from '../errors/cluster-deployment-error.js';
import { FlinkArgumentError } from '../errors/flink-argument-error.js';
import { FlinkError } from '../errors/flink-error.js';
import { FlinkConnectionError } from '../errors/flink-connection-error.js';
import { FlinkServerError } from '../errors/flink-server-error.js';
import { FlinkTimeoutError } from '../errors/flink-timeout-error.js';
import { sleep } from '../internal/abort.js';
import { pollUntil } from '../operations/poll.js';
import type { ClusterClientOptions } from '../options/client-options.js';
import { ClusterClient } from './cluster-client.js';
import { createLocalTls, type LocalTlsMaterial } from './local-tls.js';
import { dynamicProperties, flinkConfigYaml, LOCAL_WORK_SUBDIRS, localFlinkConfiguration, zooKeeperConfig, zooKeeperHaConfiguration } from './local-flink-config.js';
import type { ClusterDescriptor, RetrieveOptions } from './cluster-descriptor.js';

/** Deploys with ports the descriptor picked, when one was taken before the JVM bound it. */
const PORT_ATTEMPTS = 3;

/** Options of a {@link LocalClusterDescriptor}. */
export interface LocalClusterOptions {
  /**
   * The Flink distribution to run (the directory with `bin/`, `conf/`, `lib/`).
   * @default process.env.FLINK_HOME
   */
  flinkHome?: string;
  /**
   * The REST port; 0 picks a free one.
   * @default 0
   */
  restPort?: number;
  /**
   * How many TaskManager processes to start.
   * @default 1
   */
  taskManagers?: number;
  /**
   * Task slots per TaskManager.
   * @default 2
   */
  slots?: number;
  /**
   * Extra Flink configuration, passed as `-D key=value` to every process; it wins over the
   * descriptor's own settings (`jobmanager.scheduler: adaptive`, memory sizes, ...).
   */
  configuration?: Record<string, string>;
  /**
   * The cluster's working directory (configuration copy, logs, savepoints, checkpoints, uploads).
   * A temporary directory is created and removed on shutdown when this is not given.
   */
  workDir?: string;
  /**
   * Where the processes write their logs.
   * @default `<workDir>/log`
   */
  logDir?: string;
  /**
   * The JDK to run Flink with.
   * @default process.env.JAVA_HOME, else `java` on the PATH
   */
  javaHome?: string;
  /**
   * How long `deploy()` waits for the REST API to answer with every slot registered.
   * @default 120 000
   */
  startupTimeoutMs?: number;
  /**
   * How long `shutdown()` waits for a process after SIGTERM before killing it.
   * @default 10 000
   */
  stopTimeoutMs?: number;
  /**
   * Keep a temporary working directory on shutdown (for its logs and savepoints).
   * @default false
   */
  keepWorkDir?: boolean;
  /** Options of the ClusterClient `deploy()` returns (everything but the URL). */
  client?: Omit<ClusterClientOptions, 'url'>;
  /**
   * How many JobManagers to start. More than one runs them under ZooKeeper high availability:
   * the descriptor starts (and stops) a ZooKeeper of its own on 127.0.0.1, keeps the HA data in
   * `<workDir>/ha`, and the client it returns knows every JobManager's URL and fails over
   * between them. Session clusters only.
   * @default 1
   */
  jobManagers?: number;
  /**
   * Run the JobManagers under ZooKeeper HA even when there is only one (so that it recovers
   * its jobs from the HA store after a restart).
   * @default jobManagers > 1
   */
  highAvailability?: boolean;
  /**
   * Start a HistoryServer over the cluster's archive directory: the JobManagers archive every
   * job (and, on Flink 2.3, every application) that ends into `archiveDir`, the HistoryServer
   * serves them at {@link LocalClusterDescriptor.historyServerUrl}. The client `deploy()` and
   * `deployApplication()` return gets it as its `historyServer`, so it reads the archive once the
   * cluster is gone (an application cluster that exited by itself).
   * @default false
   */
  historyServer?: boolean;
  /**
   * Where the JobManagers archive ended jobs (`jobmanager.archive.fs.dir`) and the HistoryServer
   * reads them. Several descriptors may share one.
   * @default `<workDir>/archive` when `historyServer` is set, else no archiving
   */
  archiveDir?: string;
  /**
   * Serve the REST API over TLS (`security.ssl.rest.*`) with a throwaway CA and a certificate
   * for 127.0.0.1 made in `<workDir>/tls` (openssl and the JDK's keytool; PKCS12 stores).
   * `{ mutual: true }` also makes Flink require a client certificate and makes one. The client
   * `deploy()` returns trusts that CA (and presents that certificate); {@link
   * LocalClusterDescriptor.tlsMaterial} gives the PEM for other clients.
   * @default false
   */
  tls?: boolean | LocalTlsOptions;
}

/** TLS settings of a local cluster (see {@link LocalClusterOptions.tls}). */
export interface LocalTlsOptions {
  /**
   * Also require a client certificate (`security.ssl.rest.authentication-enabled`).
   * @default false
   */
  mutual?: boolean;
}

/** A JobManager process of a local cluster and its REST URL. */
export interface LocalJobManager extends LocalProcess {
  /** The REST URL of this JobManager. */
  readonly restUrl: string;
}

/** What {@link LocalClusterDescriptor.deployApplication} runs. */
export interface LocalApplicationOptions {
  /** Path of the application's jar on this machine. */
  jar: string;
  /** The main class; taken from the jar's manifest when not given. */
  entryClass?: string;
  /** Program arguments passed to `main()`. */
  args?: readonly string[];
  /**
   * Default parallelism of the application's jobs (`parallelism.default`).
   * @default 1
   */
  parallelism?: number;
  /** Restore the application's job from this savepoint (`execution.savepoint.path`); use an absolute path or `file://` URI. */
  savepointPath?: string;
  /**
   * Extra configuration for this application cluster; wins over the descriptor's
   * `configuration`. The descriptor sets `execution.shutdown-on-application-finish: false` so
   * that the application's end state and result stay readable until `shutdown()`; set it to
   * `'true'` here to have the cluster exit by itself when the application ends (then only a
   * HistoryServer can tell the result).
   */
  config?: Record<string, string>;
}

/** One running Flink process of a local cluster. */
export interface LocalProcess {
  /**
   * `jobmanager` (`jobmanager-<n>` with several), `taskmanager-<n>`, `zookeeper` or
   * `historyserver`.
   */
  readonly name: string;
  /** The JVM's process id (the start script execs into java). */
  readonly pid: number;
}

const live = new Set<LocalClusterDescriptor>();
let exitHookInstalled = false;

/** On exit, nothing can be awaited: send SIGTERM so the JVMs shut down behind us; the reaper follows up. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const cluster of live) cluster.killNow();
  });
}

/**
 * A small detached watchdog that stops the cluster's JVMs when the Node process that started them
 * dies without running its exit hooks (SIGKILL, a crashed test worker), and then removes the
 * cluster's temporary working directory. It exits by itself once the JVMs are gone.
 */
const REAPER = `
const [parentArg, workDir, ...pidArgs] = process.argv.slice(1);
const parent = Number(parentArg);
const pids = pidArgs.map(Number);
const alive = (p) => { try { process.kill(p, 0); return true; } catch { return false; } };
const done = () => {
  // Only after the deployer died: a live deployer removes its own directory in shutdown().
  if (workDir && !alive(parent)) { try { require('node:fs').rmSync(workDir, { recursive: true, force: true }); } catch {} }
  process.exit(0);
};
const tick = setInterval(() => {
  const left = pids.filter(alive);
  if (left.length === 0) done();
  if (alive(parent)) return;
  clearInterval(tick);
  for (const p of left) { try { process.kill(p, 'SIGTERM'); } catch {} }
  const last = setInterval(() => { if (pids.filter(alive).length === 0) done(); }, 250);
  setTimeout(() => { clearInterval(last); for (const p of pids.filter(alive)) { try { process.kill(p, 'SIGKILL'); } catch {} } setTimeout(done, 500); }, 10000);
}, 500);
`;

/**
 * Deploys a real Flink cluster on this machine, as child processes bound to 127.0.0.1 on free
 * ports, each cluster in its own working directory with its own configuration, logs, savepoints
 * and checkpoints: a session cluster with one JobManager, or several under ZooKeeper HA (with a
 * ZooKeeper of its own) (`deploy()`); an application cluster running one jar's `main()`
 * (`deployApplication()`); optionally a HistoryServer over the archive directory, and REST over
 * TLS or mutual TLS with a throwaway CA.
 *
 * `deploy()` waits until the REST API answers and every slot is registered, then returns a
 * connected ClusterClient. `shutdown()` stops the processes (SIGTERM, then SIGKILL) and leaves no
 * JVM behind. JVMs are also stopped when the Node process exits, and a detached watchdog stops
 * them if the process is killed outright.
 *
 * @example
 * ```ts
 * const local = new LocalClusterDescriptor({ flinkHome: '/opt/flink', slots: 4 });
 * const cluster = await local.deploy();
 * try {
 *   console.log(await cluster.overview());
 * } finally {
 *   await local.shutdown();
 * }
 * ```
 */
export class LocalClusterDescriptor implements ClusterDescriptor {
  readonly #options: LocalClusterOptions;
  #workDir: string | undefined;
  #ownsWorkDir = false;
  #processes: { name: string; child: ChildProcess; exited: Promise<void> }[] = [];
  /** How each JobManager was started, by process name, so that one can be started again. */
  #jmLaunches = new Map<string, { script: string; args: string[]; env: NodeJS.ProcessEnv; logDir: string }>();
  #reaper: ChildProcess | undefined;
  #client: ClusterClient | undefined;
  #restUrls: string[] = [];
  #historyServerUrl: string | undefined;
  #tls: LocalTlsMaterial | undefined;
  #deploying: Promise<ClusterClient> | undefined;

  /** Keeps the options; starts nothing. */
  constructor(options: LocalClusterOptions = {}) {
    this.#options = options;
  }

  /** The REST URL of the deployed cluster (of its first JobManager when there are several). */
  get restUrl(): string | undefined {
    return this.#restUrls[0];
  }

  /** The REST URL of every JobManager of the deployed cluster, in the order they were started. */
  get restUrls(): readonly string[] {
    return [...this.#restUrls];
  }

  /**
   * The PEM a client needs for a `tls` cluster: the CA certificate, and for mutual TLS the client
   * certificate and key. Undefined before `deploy()` and without `tls`.
   */
  get tlsMaterial(): LocalTlsMaterial | undefined {
    return this.#tls;
  }

  /** The URL of the HistoryServer, when `historyServer` is set and the cluster is deployed. */
  get historyServerUrl(): string | undefined {
    return this.#historyServerUrl;
  }

  /** The cluster's working directory, once deployed. */
  get workDir(): string | undefined {
    return this.#workDir;
  }

  /** The default savepoint directory of the cluster (`execution.checkpointing.savepoint-dir`). */
  get savepointDir(): string | undefined {
    return this.#workDir && join(this.#workDir, 'savepoints');
  }

  /** Where ended jobs are archived (`jobmanager.archive.fs.dir`), when archiving is on. */
  get archiveDir(): string | undefined {
    if (this.#options.archiveDir) return resolve(this.#options.archiveDir);
    return this.#options.historyServer && this.#workDir ? join(this.#workDir, 'archive') : undefined;
  }

  /** The directory the processes log to. */
  get logDir(): string | undefined {
    return this.#options.logDir ?? (this.#workDir && join(this.#workDir, 'log'));
  }

  /** The running processes. */
  get processes(): readonly LocalProcess[] {
    return this.#processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null).map((p) => ({ name: p.name, pid: p.child.pid as number }));
  }

  /**
   * The JobManager that leads now, under HA: the live one whose REST endpoint was granted
   * leadership last, as its log says (`<url> was granted leadership`). Undefined before the first
   * election and while an election is under way (the last leader is gone and no new one has
   * been granted leadership yet). With one JobManager, that one.
   *
   * @example
   * ```ts
   * const leader = local.leaderJobManager();
   * if (leader) process.kill(leader.pid, 'SIGKILL'); // a failover drill
   * ```
   */
  leaderJobManager(): LocalJobManager | undefined {
    const dir = this.logDir;
    if (!dir || !existsSync(dir) || this.#restUrls.length === 0) return undefined;
    let latest: { at: string; url: string } | undefined;
    for (const f of readdirSync(dir).filter((n) => /standalonesession|standalonejob/.test(n) && n.endsWith('.log'))) {
      for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/^(\S+ \S+) INFO .*? - (https?:\/\/\S+) was granted leadership/gm)) {
        const at = m[1] as string;
        if (!latest || at > latest.at) latest = { at, url: m[2] as string };
      }
    }
    const index = latest ? this.#restUrls.indexOf(latest.url) : -1;
    if (index < 0) return undefined;
    const name = this.#restUrls.length > 1 ? `jobmanager-${index + 1}` : 'jobmanager';
    const process = this.processes.find((p) => p.name === name);
    return process && { ...process, restUrl: this.#restUrls[index] as string };
  }

  /**
   * Starts a JobManager of an HA session cluster again after it died (a failover drill's
   * `SIGKILL`, a crash), with the same ports and configuration, and resolves once its REST
   * endpoint answers. It joins the leader election as a standby while another JobManager leads,
   * so the cluster can survive the next failover; its REST URL is the one it had.
   *
   * @param index The JobManager's position in {@link LocalClusterDescriptor.restUrls} (0-based).
   * @throws FlinkArgumentError when there is no JobManager at `index`.
   * @throws FlinkError with code `FLINK_CLUSTER_NOT_DEPLOYED` before `deploy()`, or
   *   `FLINK_INVALID_ARGUMENT` when that JobManager still runs or the cluster has one JobManager
   *   without HA (nothing would recover its jobs).
   * @throws ClusterDeploymentError with code `PROCESS_EXITED` (or `PORT_IN_USE`) when it exits
   *   while starting, `STARTUP_TIMEOUT` when its REST endpoint does not answer within
   *   `startupTimeoutMs`.
   * @example
   * ```ts
   * const leader = local.leaderJobManager();
   * process.kill(leader.pid, 'SIGKILL');
   * // ... the other JobManager takes over ...
   * await local.restartJobManager(local.restUrls.indexOf(leader.restUrl)); // back as a standby
   * ```
   */
  async restartJobManager(index: number, options: { signal?: AbortSignal } = {}): Promise<LocalJobManager> {
    if (!this.#client || this.#client.closed) throw new FlinkError('the local cluster is not deployed; call deploy() first', 'FLINK_CLUSTER_NOT_DEPLOYED');
    if (!Number.isInteger(index) || index < 0 || index >= this.#restUrls.length) {
      throw new FlinkArgumentError('index', `expected a JobManager index from 0 to ${this.#restUrls.length - 1}`);
    }
    const name = this.#restUrls.length > 1 ? `jobmanager-${index + 1}` : 'jobmanager';
    const launch = this.#jmLaunches.get(name);
    if (!launch || !(this.#options.highAvailability ?? this.#restUrls.length > 1)) {
      throw new FlinkError('only a JobManager of an HA session cluster can be restarted', 'FLINK_INVALID_ARGUMENT');
    }
    if (this.processes.some((p) => p.name === name)) throw new FlinkError(`${name} is still running`, 'FLINK_INVALID_ARGUMENT');
    this.#processes = this.#processes.filter((p) => p.name !== name);
    this.#start(name, launch.script, launch.args, launch.env, launch.logDir);
    // The watchdog knows pids: give it the new one.
    this.#stopReaper();
    this.#startReaper();
    const restUrl = this.#restUrls[index] as string;
    const own = new ClusterClient({ ...this.#options.client, maxRetries: 0, ...(this.#tls ? { tls: { ca: this.#tls.ca, ...(this.#tls.cert ? { cert: this.#tls.cert, key: this.#tls.key } : {}), ...this.#options.client?.tls } } : {}), url: restUrl });
    const started = this.#processes.filter((p) => p.name === name);
    try {
      // Any answer, even a 503 during an election, means its REST endpoint is up.
      await pollUntil(
        async (s) => {
          await own.request({ method: 'GET', path: '/config' }, { signal: s, timeoutMs: 5_000 });
          return true;
        },
        (ok) => ok,
        {
          intervalMs: 200,
          maxIntervalMs: 500,
          timeoutMs: this.#options.startupTimeoutMs ?? 120_000,
          signal: AbortSignal.any([exitSignalOf(started), ...(options.signal ? [options.signal] : [])]),
          target: `${name} restart`,
          tolerate: isStartupNoise,
        },
      );
    } catch (err) {
      throw await this.#explainStartupFailure(err, `${name}'s REST endpoint to answer`);
    } finally {
      await own.close();
    }
    const process = this.processes.find((p) => p.name === name) as LocalProcess;
    return { ...process, restUrl };
  }

  /**
   * Starts a session cluster and returns a client connected to it (to every JobManager, with
   * several). Calling it again while deployed returns the same client.
   *
   * @throws ClusterDeploymentError with code `FLINK_HOME_NOT_FOUND`, `JAVA_NOT_FOUND`,
   *   `PORT_IN_USE`, `PROCESS_EXITED` or `STARTUP_TIMEOUT`, quoting the relevant log lines; any
   *   process already started is stopped first.
   * @throws FlinkArgumentError for an invalid option, before anything starts.
   */
  deploy(options: { signal?: AbortSignal } = {}): Promise<ClusterClient> {
    if (this.#client && !this.#client.closed) return Promise.resolve(this.#client);
    this.#deploying ??= this.#deploy(options.signal, undefined).finally(() => {
      this.#deploying = undefined;
    });
    return this.#deploying;
  }

  /**
   * Starts an application cluster (`bin/standalone-job.sh`, Flink's application mode) whose
   * JobManager runs the jar's `main()`, plus the TaskManagers, and returns the handle of that
   * application once the cluster knows it (on Flink before 2.3, the emulated single-job view:
   * the application id is the job id). `retrieve()` gives the cluster's client.
   *
   * The cluster stays up after the application ends (`execution.shutdown-on-application-finish:
   * false`) so `result()` and `describe()` can read the end state; call `shutdown()` when done.
   *
   * @throws ClusterDeploymentError as `deploy()` does; `PROCESS_EXITED` also when `main()`
   *   fails before the application is registered.
   * @throws FlinkArgumentError for an invalid option, before anything starts.
   * @example
   * ```ts
   * const local = new LocalClusterDescriptor({ flinkHome: '/opt/flink' });
   * try {
   *   const app = await local.deployApplication({ jar: 'pipeline.jar', args: ['--day', '2026-11-21'] });
   *   console.log((await app.result()).status);
   * } finally {
   *   await local.shutdown();
   * }
   * ```
   */
  async deployApplication(application: LocalApplicationOptions, options: { signal?: AbortSignal } = {}): Promise<ApplicationClient> {
    checkApplication(application);
    if (this.#deploying || (this.#client && !this.#client.closed)) {
      throw new FlinkError('this descriptor has a cluster deployed already; shut it down or use another descriptor', 'FLINK_INVALID_ARGUMENT');
    }
    const deploying = this.#deploy(options.signal, application);
    this.#deploying = deploying.finally(() => {
      this.#deploying = undefined;
    });
    const client = await this.#deploying;
    try {
      const [app] = await pollUntil((s) => client.listApplications({ signal: s, timeoutMs: 5_000 }), (apps) => apps.length > 0, {
        intervalMs: 200,
        maxIntervalMs: 500,
        timeoutMs: this.#options.startupTimeoutMs ?? 120_000,
        signal: AbortSignal.any([this.#exitSignal(), ...(options.signal ? [options.signal] : [])]),
        target: 'application registration',
        tolerate: isStartupNoise,
      });
      return client.application((app as { applicationId: string }).applicationId);
    } catch (err) {
      const failure = await this.#explainStartupFailure(err, 'the application to be registered');
      await this.shutdown();
      throw failure;
    }
  }

  /**
   * The client of the deployed cluster.
   *
   * @throws FlinkError with code `FLINK_CLUSTER_NOT_DEPLOYED` before `deploy()`.
   */
  async retrieve(_options?: RetrieveOptions): Promise<ClusterClient> {
    if (this.#deploying) return this.#deploying;
    if (!this.#client || this.#client.closed) throw new FlinkError('the local cluster is not deployed; call deploy() first', 'FLINK_CLUSTER_NOT_DEPLOYED');
    return this.#client;
  }

  /**
   * Stops every process (HistoryServer and TaskManagers first, then the JobManagers, ZooKeeper
   * last; SIGTERM then SIGKILL after `stopTimeoutMs`), closes the client and removes a temporary
   * working directory. Safe to call more than once.
   */
  async shutdown(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.close();
    await this.#stopProcesses();
    this.#restUrls = [];
    this.#historyServerUrl = undefined;
    this.#tls = undefined;
    await this.#removeWorkDir();
  }

  /**
   * Sends SIGTERM to every process at once, without waiting: for the process exit hook, where
   * nothing can be awaited.
   * @internal
   */
  killNow(): void {
    for (const p of this.#processes) {
      try {
        p.child.kill('SIGTERM');
      } catch {
        // already gone
      }
    }
  }

  async #deploy(signal: AbortSignal | undefined, application: LocalApplicationOptions | undefined): Promise<ClusterClient> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#deployProcesses(signal, application);
      } catch (err) {
        // A failed deploy leaves nothing behind either: the error already quotes the log lines that matter.
        await this.#removeWorkDir();
        // A port the descriptor picked as free can be taken by another process in the seconds before
        // the JVM binds it (seen in CI: a standby JobManager's REST port, 20 s into its start-up):
        // with ports of its own choosing it deploys again on new ones. A port the caller fixed is
        // the caller's to change.
        const portTaken = err instanceof ClusterDeploymentError && err.reason === 'PORT_IN_USE';
        if (portTaken && attempt < PORT_ATTEMPTS && !this.#options.restPort && !signal?.aborted) continue;
        throw err;
      }
    }
  }

  /** Removes the working directory when the descriptor made it (a temp dir) and `keepWorkDir` is off. */
  async #removeWorkDir(): Promise<void> {
    if (this.#ownsWorkDir && this.#workDir && !this.#options.keepWorkDir) {
      await rm(this.#workDir, { recursive: true, force: true });
    }
  }

  async #deployProcesses(signal: AbortSignal | undefined, application: LocalApplicationOptions | undefined): Promise<ClusterClient> {
    const o = this.#options;
    const flinkHome = checkFlinkHome(o.flinkHome ?? process.env.FLINK_HOME);
    const javaHome = o.javaHome ?? process.env.JAVA_HOME;
    checkJava(javaHome);
    const taskManagers = positiveInt('taskManagers', o.taskManagers ?? 1);
    const slots = positiveInt('slots', o.slots ?? 2);
    const jobManagers = positiveInt('jobManagers', o.jobManagers ?? 1);
    const ha = o.highAvailability ?? jobManagers > 1;
    if (jobManagers > 1 && !ha) throw new FlinkArgumentError('highAvailability', 'several JobManagers need high availability; leave it unset or true');
    if (jobManagers > 1 && application) throw new FlinkArgumentError('jobManagers', 'an application cluster runs one JobManager');
    const restPort = o.restPort ?? 0;
    if (restPort !== 0 && !(await portIsFree(restPort))) {
      throw new ClusterDeploymentError({ reason: 'PORT_IN_USE', message: `REST port ${restPort} on 127.0.0.1 is already in use` });
    }

    if (o.workDir) {
      this.#workDir = resolve(o.workDir);
      await mkdir(this.#workDir, { recursive: true });
    } else {
      this.#workDir = await mkdtemp(join(tmpdir(), 'flink-local-'));
      this.#ownsWorkDir = true;
    }
    const workDir = this.#workDir;
    const logDir = this.logDir as string;
    const confDir = join(workDir, 'conf');
    await rm(confDir, { recursive: true, force: true });
    // A private copy keeps the shipped JVM flags and log4j files but isolates this cluster.
    await cp(join(flinkHome, 'conf'), confDir, { recursive: true });
    for (const d of [logDir, ...LOCAL_WORK_SUBDIRS.map((sub) => join(workDir, sub))]) await mkdir(d, { recursive: true });

    const jmPorts: { rest: number; rpc: number }[] = [];
    for (let i = 0; i < jobManagers; i++) jmPorts.push({ rest: i === 0 && restPort ? restPort : await freePort(), rpc: await freePort() });
    const first = jmPorts[0] as { rest: number; rpc: number };
    const configuration: Record<string, string> = { ...localFlinkConfiguration({ workDir, restPort: first.rest, rpcPort: first.rpc, slots }) };
    const env: NodeJS.ProcessEnv = { ...process.env, FLINK_CONF_DIR: confDir, FLINK_LOG_DIR: logDir, FLINK_PID_DIR: workDir };
    if (javaHome) env.JAVA_HOME = javaHome;

    const launches: { name: string; script: string; args: string[]; env: NodeJS.ProcessEnv }[] = [];
    if (ha) {
      const zkPort = await freePort();
      const zkConf = join(confDir, 'zoo.cfg');
      await mkdir(join(workDir, 'zookeeper'), { recursive: true });
      await writeFile(zkConf, zooKeeperConfig({ dataDir: join(workDir, 'zookeeper'), clientPort: zkPort }));
      Object.assign(configuration, zooKeeperHaConfiguration({ workDir, quorum: `127.0.0.1:${zkPort}`, clusterId: randomBytes(8).toString('hex') }));
      // zookeeper.sh forks flink-console.sh instead of exec'ing it; starting flink-console.sh
      // directly keeps the JVM our child, so a signal reaches it.
      launches.push({
        name: 'zookeeper',
        script: join(flinkHome, 'bin', 'flink-console.sh'),
        args: ['zookeeper', '--zkConfigFile', zkConf, '--peerId', '1'],
        env: { ...env, JVM_ARGS: '-Xms32m -Xmx256m -Dzookeeper.jmx.log4j.disable=true' },
      });
    }
    const archiveDir = this.archiveDir;
    if (archiveDir) {
      await mkdir(archiveDir, { recursive: true });
      configuration['jobmanager.archive.fs.dir'] = pathToFileURL(archiveDir).href;
    }
    if (application) {
      configuration['execution.shutdown-on-application-finish'] = 'false';
      configuration['parallelism.default'] = String(application.parallelism ?? 1);
      if (application.savepointPath) configuration['execution.savepoint.path'] = application.savepointPath;
    }
    if (o.tls) {
      const { config, ...material } = await createLocalTls(join(workDir, 'tls'), { mutual: typeof o.tls === 'object' && o.tls.mutual === true, javaHome });
      Object.assign(configuration, config);
      this.#tls = material;
    }
    Object.assign(configuration, o.configuration, application?.config);

    jmPorts.forEach((ports, i) => {
      const own = i === 0 ? configuration : { ...configuration, 'rest.port': String(ports.rest), 'jobmanager.rpc.port': String(ports.rpc) };
      const name = jobManagers > 1 ? `jobmanager-${i + 1}` : 'jobmanager';
      if (application) {
        // `--jars` takes any number of values: `--` ends them, so program arguments that look
        // like options (`--day 2026-11-21`) reach main() instead of becoming jar paths.
        const programArgs = [...(application.entryClass ? ['--job-classname', application.entryClass] : []), '--jars', resolve(application.jar), '--', ...(application.args ?? [])];
        launches.push({ name, script: join(flinkHome, 'bin', 'standalone-job.sh'), args: ['start-foreground', ...dynamicProperties(own), ...programArgs], env });
      } else {
        launches.push({ name, script: join(flinkHome, 'bin', 'jobmanager.sh'), args: ['start-foreground', ...dynamicProperties(own)], env });
      }
    });
    const tmArgs = ['start-foreground', ...dynamicProperties(configuration)];
    for (let i = 0; i < taskManagers; i++) launches.push({ name: `taskmanager-${i + 1}`, script: join(flinkHome, 'bin', 'taskmanager.sh'), args: tmArgs, env });
    if (o.historyServer) {
      if (!archiveDir) throw new FlinkArgumentError('historyServer', 'needs an archive directory');
      const hsPort = await freePort();
      const hsConf = join(workDir, 'conf-historyserver');
      await rm(hsConf, { recursive: true, force: true });
      await cp(join(flinkHome, 'conf'), hsConf, { recursive: true });
      // historyserver.sh passes no dynamic properties: its settings go into its own config.yaml.
      const shipped = await readFile(join(flinkHome, 'conf', 'config.yaml'), 'utf8').catch(() => '');
      await writeFile(
        join(hsConf, 'config.yaml'),
        flinkConfigYaml(shipped, {
          'historyserver.web.address': '127.0.0.1',
          'historyserver.web.port': String(hsPort),
          'historyserver.archive.fs.dir': pathToFileURL(archiveDir).href,
          'historyserver.archive.fs.refresh-interval': '1000',
          'historyserver.web.tmpdir': join(workDir, 'tmp', 'historyserver'),
          'io.tmp.dirs': join(workDir, 'tmp'),
        }),
      );
      launches.push({ name: 'historyserver', script: join(flinkHome, 'bin', 'historyserver.sh'), args: ['start-foreground'], env: { ...env, FLINK_CONF_DIR: hsConf } });
      this.#historyServerUrl = `http://127.0.0.1:${hsPort}`;
    }

    live.add(this);
    installExitHook();
    try {
      for (const l of launches) this.#start(l.name, l.script, l.args, l.env, logDir);
      this.#jmLaunches = new Map(launches.filter((l) => l.name.startsWith('jobmanager')).map((l) => [l.name, { script: l.script, args: l.args, env: l.env, logDir }]));
      this.#startReaper();
      const scheme = this.#tls ? 'https' : 'http';
      this.#restUrls = jmPorts.map((p) => `${scheme}://127.0.0.1:${p.rest}`);
      const tls = this.#tls && { ca: this.#tls.ca, ...(this.#tls.cert ? { cert: this.#tls.cert, key: this.#tls.key } : {}), ...o.client?.tls };
      // With a HistoryServer the client follows an application cluster into the archive once it exits.
      const client = new ClusterClient({ maxRetries: 0, ...(this.#historyServerUrl ? { historyServer: this.#historyServerUrl } : {}), ...o.client, ...(tls ? { tls } : {}), url: this.#restUrls.length === 1 ? (this.#restUrls[0] as string) : this.#restUrls });
      try {
        await this.#awaitReady(client, taskManagers * slots, o.startupTimeoutMs ?? 120_000, signal);
      } catch (err) {
        await client.close();
        throw err;
      }
      this.#client = client;
      return client;
    } catch (err) {
      await this.#stopProcesses();
      this.#restUrls = [];
      this.#historyServerUrl = undefined;
      throw err;
    }
  }

  #start(name: string, script: string, args: string[], env: NodeJS.ProcessEnv, logDir: string): void {
    const fd = openSync(join(logDir, `${name}.out`), 'a');
    let child: ChildProcess;
    try {
      child = spawn(script, args, { env, stdio: ['ignore', fd, fd], detached: false });
    } finally {
      closeSync(fd);
    }
    const exited = new Promise<void>((res) => {
      child.once('exit', () => res());
      child.once('error', () => res());
    });
    this.#processes.push({ name, child, exited });
  }

  #startReaper(): void {
    const pids = this.#processes.map((p) => p.child.pid).filter((p): p is number => typeof p === 'number');
    const workDir = this.#ownsWorkDir && this.#workDir && !this.#options.keepWorkDir ? this.#workDir : '';
    const reaper = spawn(process.execPath, ['-e', REAPER, String(process.pid), workDir, ...pids.map(String)], { detached: true, stdio: 'ignore' });
    reaper.on('error', () => undefined);
    reaper.unref();
    this.#reaper = reaper;
  }

  #stopReaper(): void {
    if (this.#reaper?.pid) {
      try {
        process.kill(this.#reaper.pid, 'SIGKILL');
      } catch {
        // it already saw the JVMs gone and exited
      }
    }
    this.#reaper = undefined;
  }

  /** Aborts with the process as reason when any process started so far exits. */
  #exitSignal(): AbortSignal {
    return exitSignalOf(this.#processes);
  }

  async #awaitReady(client: ClusterClient, expectedSlots: number, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    const signals = [this.#exitSignal(), signal].filter((s): s is AbortSignal => s !== undefined);
    try {
      await pollUntil(
        async (s) => {
          const overview = await client.overview({ signal: s, timeoutMs: 5_000 });
          return overview['slots-total'] ?? 0;
        },
        (slots) => slots >= expectedSlots,
        { intervalMs: 200, maxIntervalMs: 500, timeoutMs, signal: AbortSignal.any(signals), target: 'local cluster start-up', tolerate: isStartupNoise },
      );
      const hs = this.#historyServerUrl;
      if (hs) {
        await pollUntil(
          async (s) => (await fetch(`${hs}/config`, { signal: AbortSignal.any([s, AbortSignal.timeout(5_000)]) })).status,
          (status) => status === 200,
          { intervalMs: 200, maxIntervalMs: 500, timeoutMs, signal: AbortSignal.any(signals), target: 'HistoryServer start-up', tolerate: () => true },
        );
      }
    } catch (err) {
      throw await this.#explainStartupFailure(err, `${expectedSlots} slots to register`);
    }
  }

  /** Turns a failed start-up wait into a ClusterDeploymentError quoting the right log. */
  async #explainStartupFailure(err: unknown, waitingFor: string): Promise<unknown> {
    const dead = this.#processes.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
    if (dead) {
      // Give the process's last log lines a moment to reach the disk.
      await sleep(200);
      const excerpt = this.#logExcerpt(dead.name);
      const portClash = excerpt.some((l) => /BindException|Address already in use/.test(l));
      return new ClusterDeploymentError({
        reason: portClash ? 'PORT_IN_USE' : 'PROCESS_EXITED',
        message: `the ${dead.name} process exited during start-up (exit code ${dead.child.exitCode ?? dead.child.signalCode}); logs in ${this.logDir}`,
        logExcerpt: excerpt,
        logDir: this.logDir,
      });
    }
    if (err instanceof FlinkTimeoutError) {
      const timeoutMs = this.#options.startupTimeoutMs ?? 120_000;
      return new ClusterDeploymentError({
        reason: 'STARTUP_TIMEOUT',
        message: `the cluster did not get ${waitingFor} within ${timeoutMs} ms (last seen: ${String(err.lastValue ?? 'no answer')}); logs in ${this.logDir}`,
        logExcerpt: this.#logExcerpt('jobmanager'),
        logDir: this.logDir,
        cause: err,
      });
    }
    return err;
  }

  /** The lines of a process's logs that explain a failure: errors and exceptions, else the tail. */
  #logExcerpt(name: string): string[] {
    const dir = this.logDir;
    if (!dir || !existsSync(dir)) return [];
    const service = name.startsWith('jobmanager')
      ? /standalonesession|standalonejob|jobmanager/
      : name.startsWith('taskmanager')
        ? /taskexecutor|taskmanager/
        : new RegExp(name);
    const files = readdirSync(dir)
      .filter((f) => f.startsWith(name) || (f.startsWith('flink-') && service.test(f)))
      .map((f) => join(dir, f))
      .filter((f) => statSync(f).isFile());
    const lines = files.flatMap((f) => readFileSync(f, 'utf8').split('\n')).filter((l) => l.trim().length > 0);
    const relevant = lines.filter((l) => /\bERROR\b|Exception|Error:|Caused by|JAVA_HOME|not found|Address already in use/.test(l));
    return (relevant.length > 0 ? relevant : lines).slice(-15).map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l));
  }

  async #stopProcesses(): Promise<void> {
    const timeout = this.#options.stopTimeoutMs ?? 10_000;
    const stop = async (p: { child: ChildProcess; exited: Promise<void> }): Promise<void> => {
      if (p.child.exitCode !== null || p.child.signalCode !== null) return;
      p.child.kill('SIGTERM');
      const stopped = await Promise.race([p.exited.then(() => true), sleep(timeout).then(() => false)]);
      if (!stopped) {
        p.child.kill('SIGKILL');
        await p.exited;
      }
    };
    // TaskManagers before JobManagers (a JobManager stopped first makes them log reconnect
    // noise), ZooKeeper last (JobManagers stopping while it is gone wait on it).
    const rank = (name: string): number => (name === 'zookeeper' ? 2 : name.startsWith('jobmanager') ? 1 : 0);
    for (const r of [0, 1, 2]) await Promise.all(this.#processes.filter((p) => rank(p.name) === r).map(stop));
    this.#processes = [];
    this.#jmLaunches.clear();
    this.#stopReaper();
    live.delete(this);
  }
}

/** Aborts with the process as reason when any of `processes` exits. */
function exitSignalOf(processes: readonly { exited: Promise<void> }[]): AbortSignal {
  const died = new AbortController();
  for (const p of processes) {
    void p.exited.then(() => {
      if (!died.signal.aborted) died.abort(p);
    });
  }
  return died.signal;
}

function isStartupNoise(err: unknown): boolean {
  return err instanceof FlinkConnectionError || err instanceof FlinkServerError || (err instanceof FlinkTimeoutError && err.phase === 'attempt');
}

function checkApplication(application: LocalApplicationOptions): void {
  if (typeof application !== 'object' || application === null) throw new FlinkArgumentError('application', 'expected an object with at least `jar`');
  if (typeof application.jar !== 'string' || !existsSync(application.jar)) throw new FlinkArgumentError('application.jar', `no such file: ${JSON.stringify(String(application.jar))}`);
  if (application.entryClass !== undefined && (typeof application.entryClass !== 'string' || !/^[\w$.]+$/.test(application.entryClass))) {
    throw new FlinkArgumentError('application.entryClass', 'expected a Java class name');
  }
  if (application.args !== undefined && (!Array.isArray(application.args) || application.args.some((a) => typeof a !== 'string'))) {
    throw new FlinkArgumentError('application.args', 'expected an array of strings');
  }
  if (application.parallelism !== undefined) positiveInt('application.parallelism', application.parallelism);
  if (application.savepointPath !== undefined && (typeof application.savepointPath !== 'string' || application.savepointPath.length === 0)) {
    throw new FlinkArgumentError('application.savepointPath', 'expected a non-empty path or URI');
  }
  if (application.config !== undefined && (typeof application.config !== 'object' || application.config === null || Object.values(application.config).some((v) => typeof v !== 'string'))) {
    throw new FlinkArgumentError('application.config', 'expected an object of string values');
  }
}

function checkFlinkHome(home: string | undefined): string {
  if (!home) {
    throw new ClusterDeploymentError({ reason: 'FLINK_HOME_NOT_FOUND', message: 'no Flink distribution given: pass flinkHome or set FLINK_HOME' });
  }
  const dir = resolve(home);
  const missing = ['bin/jobmanager.sh', 'bin/taskmanager.sh', 'conf', 'lib'].filter((p) => !existsSync(join(dir, p)));
  const hasDist = existsSync(join(dir, 'lib')) && readdirSync(join(dir, 'lib')).some((f) => /^flink-dist.*\.jar$/.test(f));
  if (missing.length > 0 || !hasDist) {
    throw new ClusterDeploymentError({
      reason: 'FLINK_HOME_NOT_FOUND',
      message: `${dir} is not a Flink distribution (missing: ${[...missing, ...(hasDist ? [] : ['lib/flink-dist*.jar'])].join(', ')})`,
    });
  }
  return dir;
}

function checkJava(javaHome: string | undefined): void {
  const java = javaHome ? join(javaHome, 'bin', 'java') : 'java';
  const probe = spawnSync(java, ['-version'], { stdio: 'ignore', timeout: 30_000 });
  if (probe.error || probe.status !== 0) {
    throw new ClusterDeploymentError({
      reason: 'JAVA_NOT_FOUND',
      message: `cannot run ${java}${javaHome ? ' (from JAVA_HOME)' : ' (not on the PATH)'}: Flink needs a JDK 11 or 17, e.g. apt-get install openjdk-17-jdk-headless`,
      cause: probe.error,
    });
  }
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new FlinkArgumentError(name, 'expected a positive integer');
  return value;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
