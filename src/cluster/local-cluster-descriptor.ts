import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
import { dynamicProperties, LOCAL_WORK_SUBDIRS, localFlinkConfiguration } from './local-flink-config.js';
import type { ClusterDescriptor, RetrieveOptions } from './cluster-descriptor.js';

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
}

/** One running Flink process of a local cluster. */
export interface LocalProcess {
  /** `jobmanager` or `taskmanager-<n>`. */
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
 * dies without running its exit hooks (SIGKILL, a crashed test worker). It exits by itself once
 * the JVMs are gone.
 */
const REAPER = `
const [parent, ...pids] = process.argv.slice(1).map(Number);
const alive = (p) => { try { process.kill(p, 0); return true; } catch { return false; } };
const tick = setInterval(() => {
  const left = pids.filter(alive);
  if (left.length === 0) process.exit(0);
  if (alive(parent)) return;
  clearInterval(tick);
  for (const p of left) { try { process.kill(p, 'SIGTERM'); } catch {} }
  setTimeout(() => { for (const p of pids.filter(alive)) { try { process.kill(p, 'SIGKILL'); } catch {} } process.exit(0); }, 10000);
}, 500);
`;

/**
 * Deploys a real Flink session cluster on this machine: one JobManager and one or more
 * TaskManagers as child processes, bound to 127.0.0.1 on free ports, each cluster in its own
 * working directory with its own configuration, logs, savepoints and checkpoints.
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
  #reaper: ChildProcess | undefined;
  #client: ClusterClient | undefined;
  #restUrl: string | undefined;
  #deploying: Promise<ClusterClient> | undefined;

  /** Keeps the options; starts nothing. */
  constructor(options: LocalClusterOptions = {}) {
    this.#options = options;
  }

  /** The REST URL of the deployed cluster. */
  get restUrl(): string | undefined {
    return this.#restUrl;
  }

  /** The cluster's working directory, once deployed. */
  get workDir(): string | undefined {
    return this.#workDir;
  }

  /** The default savepoint directory of the cluster (`execution.checkpointing.savepoint-dir`). */
  get savepointDir(): string | undefined {
    return this.#workDir && join(this.#workDir, 'savepoints');
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
   * Starts the cluster and returns a client connected to it. Calling it again while deployed
   * returns the same client.
   *
   * @throws ClusterDeploymentError with code `FLINK_HOME_NOT_FOUND`, `JAVA_NOT_FOUND`,
   *   `PORT_IN_USE`, `PROCESS_EXITED` or `STARTUP_TIMEOUT`, quoting the relevant log lines; any
   *   process already started is stopped first.
   */
  deploy(options: { signal?: AbortSignal } = {}): Promise<ClusterClient> {
    if (this.#client && !this.#client.closed) return Promise.resolve(this.#client);
    this.#deploying ??= this.#deploy(options.signal).finally(() => {
      this.#deploying = undefined;
    });
    return this.#deploying;
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
   * Stops every process (TaskManagers first, SIGTERM then SIGKILL after `stopTimeoutMs`), closes
   * the client and removes a temporary working directory. Safe to call more than once.
   */
  async shutdown(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.close();
    await this.#stopProcesses();
    if (this.#ownsWorkDir && this.#workDir && !this.#options.keepWorkDir) {
      await rm(this.#workDir, { recursive: true, force: true });
    }
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

  async #deploy(signal: AbortSignal | undefined): Promise<ClusterClient> {
    const o = this.#options;
    const flinkHome = checkFlinkHome(o.flinkHome ?? process.env.FLINK_HOME);
    const javaHome = o.javaHome ?? process.env.JAVA_HOME;
    checkJava(javaHome);
    const taskManagers = positiveInt('taskManagers', o.taskManagers ?? 1);
    const slots = positiveInt('slots', o.slots ?? 2);
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

    const port = restPort || (await freePort());
    const rpcPort = await freePort();
    const configuration: Record<string, string> = {
      ...localFlinkConfiguration({ workDir, restPort: port, rpcPort, slots }),
      ...o.configuration,
    };
    const args = dynamicProperties(configuration);
    const env: NodeJS.ProcessEnv = { ...process.env, FLINK_CONF_DIR: confDir, FLINK_LOG_DIR: logDir, FLINK_PID_DIR: workDir };
    if (javaHome) env.JAVA_HOME = javaHome;

    live.add(this);
    installExitHook();
    try {
      this.#start('jobmanager', join(flinkHome, 'bin', 'jobmanager.sh'), args, env, logDir);
      for (let i = 0; i < taskManagers; i++) this.#start(`taskmanager-${i + 1}`, join(flinkHome, 'bin', 'taskmanager.sh'), args, env, logDir);
      this.#startReaper();
      this.#restUrl = `http://127.0.0.1:${port}`;
      const client = new ClusterClient({ maxRetries: 0, ...o.client, url: this.#restUrl });
      await this.#awaitReady(client, taskManagers * slots, o.startupTimeoutMs ?? 120_000, signal);
      this.#client = client;
      return client;
    } catch (err) {
      await this.#stopProcesses();
      throw err;
    }
  }

  #start(name: string, script: string, args: string[], env: NodeJS.ProcessEnv, logDir: string): void {
    const fd = openSync(join(logDir, `${name}.out`), 'a');
    let child: ChildProcess;
    try {
      child = spawn(script, ['start-foreground', ...args], { env, stdio: ['ignore', fd, fd], detached: false });
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
    const reaper = spawn(process.execPath, ['-e', REAPER, String(process.pid), ...pids.map(String)], { detached: true, stdio: 'ignore' });
    reaper.on('error', () => undefined);
    reaper.unref();
    this.#reaper = reaper;
  }

  async #awaitReady(client: ClusterClient, expectedSlots: number, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    const died = new AbortController();
    const watchers = this.#processes.map((p) =>
      p.exited.then(() => {
        if (!died.signal.aborted) died.abort(p);
      }),
    );
    void watchers;
    const signals = [died.signal, signal].filter((s): s is AbortSignal => s !== undefined);
    try {
      await pollUntil(
        async (s) => {
          const overview = await client.overview({ signal: s, timeoutMs: 5_000 });
          return overview['slots-total'] ?? 0;
        },
        (slots) => slots >= expectedSlots,
        {
          intervalMs: 200,
          maxIntervalMs: 500,
          timeoutMs,
          signal: AbortSignal.any(signals),
          target: 'local cluster start-up',
          tolerate: (err) => err instanceof FlinkConnectionError || err instanceof FlinkServerError || (err instanceof FlinkTimeoutError && err.phase === 'attempt'),
        },
      );
    } catch (err) {
      await client.close();
      if (died.signal.aborted) {
        const p = died.signal.reason as { name: string; child: ChildProcess };
        // Give the process's last log lines a moment to reach the disk.
        await sleep(200);
        const excerpt = this.#logExcerpt(p.name);
        const portClash = excerpt.some((l) => /BindException|Address already in use/.test(l));
        throw new ClusterDeploymentError({
          reason: portClash ? 'PORT_IN_USE' : 'PROCESS_EXITED',
          message: `the ${p.name} process exited during start-up (exit code ${p.child.exitCode ?? p.child.signalCode}); logs in ${this.logDir}`,
          logExcerpt: excerpt,
          logDir: this.logDir,
        });
      }
      if (err instanceof FlinkTimeoutError) {
        throw new ClusterDeploymentError({
          reason: 'STARTUP_TIMEOUT',
          message: `the cluster did not register ${expectedSlots} slots within ${timeoutMs} ms (last seen: ${String(err.lastValue ?? 'no answer')}); logs in ${this.logDir}`,
          logExcerpt: this.#logExcerpt('jobmanager'),
          logDir: this.logDir,
          cause: err,
        });
      }
      throw err;
    }
  }

  /** The lines of a process's logs that explain a failure: errors and exceptions, else the tail. */
  #logExcerpt(name: string): string[] {
    const dir = this.logDir;
    if (!dir || !existsSync(dir)) return [];
    const service = name === 'jobmanager' ? /standalonesession|jobmanager/ : /taskexecutor|taskmanager/;
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
    // TaskManagers first: a JobManager stopped first makes them log reconnect noise.
    const order = [...this.#processes.filter((p) => p.name !== 'jobmanager'), ...this.#processes.filter((p) => p.name === 'jobmanager')];
    for (const p of order) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
      p.child.kill('SIGTERM');
      const stopped = await Promise.race([p.exited.then(() => true), sleep(timeout).then(() => false)]);
      if (!stopped) {
        p.child.kill('SIGKILL');
        await p.exited;
      }
    }
    this.#processes = [];
    if (this.#reaper?.pid) {
      try {
        process.kill(this.#reaper.pid, 'SIGKILL');
      } catch {
        // it already saw the JVMs gone and exited
      }
    }
    this.#reaper = undefined;
    live.delete(this);
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
