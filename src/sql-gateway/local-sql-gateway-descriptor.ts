import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ClusterDeploymentError } from '../errors/cluster-deployment-error.js';
import { FlinkArgumentError } from '../errors/flink-argument-error.js';
import { FlinkConnectionError } from '../errors/flink-connection-error.js';
import { FlinkTimeoutError } from '../errors/flink-timeout-error.js';
import { sleep } from '../internal/abort.js';
import { pollUntil } from '../operations/poll.js';
import { SqlGatewayClient, type SqlGatewayClientOptions } from './sql-gateway-client.js';

/** Options of a {@link LocalSqlGatewayDescriptor}. */
export interface LocalSqlGatewayOptions {
  /** The Flink distribution, with `opt/flink-sql-gateway-<version>.jar` in it. @default process.env.FLINK_HOME */
  flinkHome?: string;
  /** The REST URL of the session cluster statements run on, such as a LocalClusterDescriptor's `restUrl`. */
  clusterUrl: string;
  /** The gateway's REST port; 0 picks a free one. @default 0 */
  port?: number;
  /** Extra Flink configuration for the gateway (`-Dkey=value`), winning over the descriptor's. */
  configuration?: Record<string, string>;
  /** Working directory (logs); a temporary one is made and removed on shutdown when not given. */
  workDir?: string;
  /** The JDK. @default process.env.JAVA_HOME */
  javaHome?: string;
  /** How long `deploy()` waits for the gateway to answer. @default 120 000 */
  startupTimeoutMs?: number;
  /** How long `shutdown()` waits after SIGTERM before SIGKILL. @default 10 000 */
  stopTimeoutMs?: number;
  /** Options of the SqlGatewayClient `deploy()` returns (everything but the URL). */
  client?: Omit<SqlGatewayClientOptions, 'url'>;
}

const live = new Set<LocalSqlGatewayDescriptor>();
let hooked = false;

/** Stops the gateway JVM if the Node process dies without exit hooks: it polls the parent and exits with the JVM. */
const WATCHDOG = `
const [parent, jvm] = process.argv.slice(1).map(Number);
const up = (p) => { try { process.kill(p, 0); return true; } catch { return false; } };
setInterval(() => {
  if (!up(jvm)) process.exit(0);
  if (!up(parent)) { try { process.kill(jvm, 'SIGTERM'); } catch {} setTimeout(() => { try { process.kill(jvm, 'SIGKILL'); } catch {} process.exit(0); }, 10000); }
}, 500);
`;

/**
 * Runs a real SQL Gateway on this machine (`bin/sql-gateway.sh start-foreground`), bound to
 * 127.0.0.1 on a free port, next to a session cluster: statements run there
 * (`execution.target: remote` at `clusterUrl`).
 *
 * `deploy()` waits until the gateway answers and returns a connected SqlGatewayClient;
 * `shutdown()` closes the client and stops the JVM (SIGTERM, then SIGKILL), leaving nothing
 * behind; the JVM is also stopped when the Node process exits or is killed.
 *
 * @example
 * ```ts
 * const cluster = new LocalClusterDescriptor({ flinkHome });
 * await cluster.deploy();
 * const local = new LocalSqlGatewayDescriptor({ flinkHome, clusterUrl: cluster.restUrl! });
 * const gateway = await local.deploy();
 * // ...
 * await local.shutdown();
 * await cluster.shutdown();
 * ```
 */
export class LocalSqlGatewayDescriptor {
  readonly #options: LocalSqlGatewayOptions;
  #child: ChildProcess | undefined;
  #exited: Promise<void> | undefined;
  #watchdog: ChildProcess | undefined;
  #client: SqlGatewayClient | undefined;
  #url: string | undefined;
  #workDir: string | undefined;
  #ownsWorkDir = false;

  /** Keeps the options; starts nothing. */
  constructor(options: LocalSqlGatewayOptions) {
    if (typeof options?.clusterUrl !== 'string') throw new FlinkArgumentError('options.clusterUrl', 'expected the REST URL of the session cluster');
    this.#options = options;
  }

  /** The gateway's REST URL, once deployed. */
  get url(): string | undefined {
    return this.#url;
  }

  /** The gateway JVM's process id while it runs. */
  get pid(): number | undefined {
    return this.#child && this.#child.exitCode === null && this.#child.signalCode === null ? this.#child.pid : undefined;
  }

  /**
   * Starts the gateway and returns a client connected to it (the same client while deployed).
   *
   * @throws ClusterDeploymentError `FLINK_HOME_NOT_FOUND` (no gateway jar in `opt/` either),
   *   `PORT_IN_USE`, `PROCESS_EXITED` or `STARTUP_TIMEOUT` with the log lines that say why.
   */
  async deploy(options: { signal?: AbortSignal } = {}): Promise<SqlGatewayClient> {
    if (this.#client && !this.#client.closed) return this.#client;
    const o = this.#options;
    const home = resolve(o.flinkHome ?? process.env.FLINK_HOME ?? '');
    if (!existsSync(join(home, 'bin', 'sql-gateway.sh'))) throw new ClusterDeploymentError({ reason: 'FLINK_HOME_NOT_FOUND', message: `${home} has no bin/sql-gateway.sh: pass flinkHome or set FLINK_HOME` });
    const opt = join(home, 'opt');
    if (!existsSync(opt) || !readdirSync(opt).some((f) => /^flink-sql-gateway.*\.jar$/.test(f))) {
      throw new ClusterDeploymentError({ reason: 'FLINK_HOME_NOT_FOUND', message: `${opt} has no flink-sql-gateway jar: fetch org.apache.flink:flink-sql-gateway:<version> into it (scripts/provision-flink.mjs does)` });
    }
    const cluster = new URL(o.clusterUrl);
    if (o.workDir) {
      this.#workDir = resolve(o.workDir);
      await mkdir(this.#workDir, { recursive: true });
    } else {
      this.#workDir = await mkdtemp(join(tmpdir(), 'flink-sql-gateway-'));
      this.#ownsWorkDir = true;
    }
    const logDir = join(this.#workDir, 'log');
    await mkdir(logDir, { recursive: true });
    const port = o.port || (await freePort());
    const configuration: Record<string, string> = {
      'sql-gateway.endpoint.rest.address': '127.0.0.1',
      'sql-gateway.endpoint.rest.bind-address': '127.0.0.1',
      'sql-gateway.endpoint.rest.port': String(port),
      'execution.target': 'remote',
      'rest.address': cluster.hostname,
      'rest.port': cluster.port || (cluster.protocol === 'https:' ? '443' : '80'),
      ...o.configuration,
    };
    const args = ['start-foreground', ...Object.entries(configuration).map(([k, v]) => `-D${k}=${v}`)];
    const env: NodeJS.ProcessEnv = { ...process.env, FLINK_LOG_DIR: logDir, FLINK_PID_DIR: this.#workDir };
    if (o.javaHome) env.JAVA_HOME = o.javaHome;
    const fd = openSync(join(logDir, 'sql-gateway.out'), 'a');
    try {
      this.#child = spawn(join(home, 'bin', 'sql-gateway.sh'), args, { env, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    const child = this.#child;
    this.#exited = new Promise<void>((res) => {
      child.once('exit', () => res());
      child.once('error', () => res());
    });
    live.add(this);
    if (!hooked) {
      hooked = true;
      process.on('exit', () => {
        for (const g of live) g.#child?.kill('SIGTERM');
      });
    }
    if (child.pid) {
      this.#watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), String(child.pid)], { detached: true, stdio: 'ignore' });
      this.#watchdog.on('error', () => undefined);
      this.#watchdog.unref();
    }
    this.#url = `http://127.0.0.1:${port}`;
    const client = new SqlGatewayClient({ maxRetries: 0, ...o.client, url: this.#url });
    try {
      await this.#awaitReady(client, o.startupTimeoutMs ?? 120_000, options.signal);
    } catch (err) {
      await client.close();
      await this.#stop();
      throw err;
    }
    this.#client = client;
    return client;
  }

  async #awaitReady(client: SqlGatewayClient, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    const died = new AbortController();
    void this.#exited?.then(() => died.abort());
    try {
      await pollUntil((s) => client.info({ signal: s, timeoutMs: 5_000 }), () => true, {
        intervalMs: 200,
        maxIntervalMs: 500,
        timeoutMs,
        signal: AbortSignal.any([died.signal, ...(signal ? [signal] : [])]),
        target: 'local SQL Gateway start-up',
        tolerate: (err) => err instanceof FlinkConnectionError || (err instanceof FlinkTimeoutError && err.phase === 'attempt'),
      });
    } catch (err) {
      if (died.signal.aborted) {
        await sleep(200);
        const excerpt = this.#logExcerpt();
        throw new ClusterDeploymentError({
          reason: excerpt.some((l) => /BindException|Address already in use/.test(l)) ? 'PORT_IN_USE' : 'PROCESS_EXITED',
          message: `the SQL Gateway exited during start-up (exit code ${this.#child?.exitCode ?? this.#child?.signalCode}); logs in ${join(this.#workDir as string, 'log')}`,
          logExcerpt: excerpt,
          logDir: join(this.#workDir as string, 'log'),
        });
      }
      if (err instanceof FlinkTimeoutError) {
        throw new ClusterDeploymentError({ reason: 'STARTUP_TIMEOUT', message: `the SQL Gateway did not answer within ${timeoutMs} ms`, logExcerpt: this.#logExcerpt(), logDir: join(this.#workDir as string, 'log'), cause: err });
      }
      throw err;
    }
  }

  #logExcerpt(): string[] {
    const dir = this.#workDir && join(this.#workDir, 'log');
    if (!dir || !existsSync(dir)) return [];
    const lines = readdirSync(dir).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n')).filter((l) => l.trim());
    const relevant = lines.filter((l) => /\bERROR\b|Exception|Error:|Caused by|not found/.test(l));
    return (relevant.length ? relevant : lines).slice(-15).map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l));
  }

  /** Closes the client (and the sessions it holds), stops the JVM, removes a temporary working directory. Safe to repeat. */
  async shutdown(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.close();
    await this.#stop();
    if (this.#ownsWorkDir && this.#workDir) await rm(this.#workDir, { recursive: true, force: true });
  }

  async #stop(): Promise<void> {
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const stopped = await Promise.race([(this.#exited as Promise<void>).then(() => true), sleep(this.#options.stopTimeoutMs ?? 10_000).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await this.#exited;
      }
    }
    this.#child = undefined;
    if (this.#watchdog?.pid) {
      try {
        process.kill(this.#watchdog.pid, 'SIGKILL');
      } catch {
        // it saw the JVM gone and exited
      }
    }
    this.#watchdog = undefined;
    live.delete(this);
  }
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => res(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
