import { EventEmitter } from 'node:events';
import { http, HttpResponse, type RequestHandler } from 'msw';
import type { SchedulingClock, TimerId } from '../clock.js';
import type { ClusterModel } from '../model.js';
import { renderDashboardConfig } from '../resources/cluster.js';
import type { RouteSettings } from '../route-kit.js';
import { HandlerServer } from '../server.js';
import { DEFAULT_WAIT_MS } from '../wait-for.js';
import { archiveApplication, archiveJob, type ArchiveRecord } from './archive.js';

/** Options of the simulated HistoryServer (`createFlinkSimulator({ historyServer: { ... } })`). */
export interface SimulatedHistoryServerOptions {
  /**
   * `historyserver.archive.fs.refresh-interval`: how often the HistoryServer looks for new archives,
   * in simulated milliseconds. An ended job or application is served from the first look after
   * the cluster archived it, so it appears up to this long after it ended. The first look is when
   * the simulator starts.
   * @default 10000
   */
  refreshIntervalMs?: number;
  /** `historyserver.web.refresh-interval`, reported as `refresh-interval` by its `/config`. @default 10000 */
  webRefreshIntervalMs?: number;
  /** The port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /**
   * The base URL its handlers answer when the simulator runs without a server (`server: false`).
   * @default 'http://flink-history-server.test:8082'
   */
  baseUrl?: string;
}

/** One archive the simulated cluster wrote, as `sim.historyServer.archives` lists it. */
export interface SimulatedArchive {
  /** A job's archive, or (Flink 2.3) an application's. */
  readonly kind: 'job' | 'application';
  /** The job or application id. */
  readonly id: string;
  /** Simulated time the cluster archived it: when the job or application ended. */
  readonly archivedAt: number;
  /** Simulated time the HistoryServer started serving it; undefined until its next refresh. */
  readonly servedFrom: number | undefined;
  /** The paths it serves for this archive (without `/v1`, which a HistoryServer does not serve). */
  readonly paths: readonly string[];
}

/** One request the simulated HistoryServer answered. */
export interface SimulatedHistoryRequest {
  /** HTTP method. */
  readonly method: string;
  /** The path as received, without the query string. */
  readonly path: string;
  /** The status sent; 0 for a POST it never answered. */
  readonly status: number;
  /** Simulated time of the request. */
  readonly at: number;
}

/** What the HistoryServer needs from its simulator. @internal */
export interface HistoryServerHost {
  readonly model: ClusterModel;
  readonly settings: RouteSettings;
  readonly clock: SchedulingClock;
  /** Whether to listen on a real port. */
  readonly server: boolean;
  /** The interface to listen on. */
  readonly host: string;
  /** Reports a failure to archive (a bug in the simulator, surfaced like a timer's). */
  onError(err: unknown): void;
}

const JSON_FILE = 'application/json';
const JSON_ERROR = 'application/json; charset=UTF-8';

interface Served {
  readonly record: ArchiveRecord;
  servedFrom: number | undefined;
}

/**
 * A simulated Flink HistoryServer over the simulator's own archive: every job that ends on the
 * simulated cluster (FINISHED, FAILED, CANCELED), and on the 2.3 profile every application, is
 * archived the moment it ends with the bodies the cluster's routes answer then, and served from
 * the HistoryServer's next refresh (`refreshIntervalMs`) on its own URL, as a real one serves
 * `historyserver.archive.fs.dir`:
 *
 * - `GET /config` (`features['web-history']: true`), `/jobs/overview`, `/applications/overview`
 *   (2.3), and per job `/jobs/:id`, `config`, `exceptions`, `accumulators` (serialized values
 *   included), `plan`, `checkpoints`, `checkpoints/config`, `checkpoints/details/:id[/subtasks/:vid]`,
 *   `jobmanager/config`, `jobmanager/environment`, `vertices/:vid`, `vertices/:vid/subtasktimes`,
 *   `vertices/:vid/taskmanagers`, `vertices/:vid/subtasks/:n/attempts/:a[/accumulators]`; per
 *   application `/applications/:id`, `exceptions`, `jobmanager/config`.
 * - Everything else is Flink's `404 {"errors":["File not found."]}`, `/v1/...` and
 *   `/jobs/:id/status` included. `DELETE` answers 404 `Not found: <path>`, `PUT`, `PATCH`, `HEAD`
 *   and `OPTIONS` a 500 `text/plain` `Unsupported HTTP method`, and a `POST` is never answered (the
 *   connection stays open until the client gives up or the simulator closes), all as Flink
 *   2.3.0's HistoryServer does.
 *
 * It outlives the cluster: after `DELETE /cluster` or `sim.shutdown()` it still serves what was
 * archived. It stops with `sim.close()`.
 *
 * @example
 * ```ts
 * const sim = await createFlinkSimulator({ clock: 'virtual', programs: fixturePrograms, historyServer: { refreshIntervalMs: 1_000 } });
 * const history = new HistoryServerClient({ url: sim.historyServer!.url });
 * // ... a job ends on the simulator ...
 * await sim.clock.runFor(1_000); // the HistoryServer's next refresh
 * console.log(await history.listJobs());
 * ```
 */
export class SimulatedHistoryServer {
  /** `historyserver.archive.fs.refresh-interval` in simulated milliseconds. */
  readonly refreshIntervalMs: number;
  readonly #host: HistoryServerHost;
  readonly #webRefreshIntervalMs: number;
  readonly #server: HandlerServer | undefined;
  readonly #baseUrl: string;
  readonly #port: number;
  readonly #archives: Served[] = [];
  readonly #requests: SimulatedHistoryRequest[] = [];
  readonly #events = new EventEmitter();
  /** POSTs held open, answered with a connection error at close. */
  readonly #held = new Set<() => void>();
  #handlers: RequestHandler[] | undefined;
  #timer: TimerId | undefined;
  #closed = false;

  /** @internal Made by the simulator with the `historyServer` option. */
  constructor(options: SimulatedHistoryServerOptions, host: HistoryServerHost) {
    const positive = (name: string, value: number | undefined, fallback: number): number => {
      const v = value ?? fallback;
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`historyServer.${name} must be a positive integer (milliseconds)`);
      return v;
    };
    this.refreshIntervalMs = positive('refreshIntervalMs', options.refreshIntervalMs, 10_000);
    this.#webRefreshIntervalMs = positive('webRefreshIntervalMs', options.webRefreshIntervalMs, 10_000);
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError('historyServer.port must be an integer from 0 to 65535');
    this.#port = port;
    this.#baseUrl = (options.baseUrl ?? 'http://flink-history-server.test:8082').replace(/\/+$/, '');
    try {
      new URL(this.#baseUrl);
    } catch {
      throw new RangeError(`historyServer.baseUrl must be an absolute URL, got ${JSON.stringify(options.baseUrl)}`);
    }
    this.#host = host;
    this.#events.setMaxListeners(0);
    this.#server = host.server ? new HandlerServer(() => this.handlers, { host: host.host }) : undefined;
  }

  /** The HistoryServer's URL (`http://127.0.0.1:<port>`, or `baseUrl` without a server): give it to HistoryServerClient or as ClusterClient's `historyServer`. */
  get url(): string {
    return this.#server ? this.#server.origin : this.#baseUrl;
  }

  /** Its routes as msw request handlers bound to {@link SimulatedHistoryServer.url}; its own server serves these very handlers. */
  get handlers(): RequestHandler[] {
    this.#handlers ??= this.#buildHandlers(this.url);
    return this.#handlers;
  }

  /** Every archive the cluster wrote so far, oldest first, with whether the HistoryServer serves it yet. */
  get archives(): readonly SimulatedArchive[] {
    return this.#archives.map(({ record, servedFrom }) => ({ kind: record.kind, id: record.id, archivedAt: record.archivedAt, servedFrom, paths: [...record.files.keys()] }));
  }

  /** The requests it answered (the last 1000), oldest first: to check that a client read the archive. */
  get requests(): readonly SimulatedHistoryRequest[] {
    return [...this.#requests];
  }

  /**
   * Looks for new archives now, as if the refresh interval had elapsed (the periodic looks go on
   * as before). Archives still being written are picked up by the next look.
   */
  refresh(): void {
    if (this.#closed) return;
    const now = this.#host.clock.now();
    const fresh: Served[] = [];
    for (const served of this.#archives) {
      if (served.servedFrom !== undefined) continue;
      served.servedFrom = now;
      fresh.push(served);
    }
    for (const served of fresh) this.#events.emit('served', served);
  }

  /**
   * Resolves once the HistoryServer serves the archive of a job or application (after the
   * cluster archived it and the HistoryServer's next refresh). On a virtual clock, advance it.
   *
   * @throws Error (rejects) when it is not served within `timeoutMs` real milliseconds (a guard against hangs).
   * @example
   * ```ts
   * await sim.historyServer!.waitForArchive(job.jobId);
   * ```
   */
  waitForArchive(id: string, options: { timeoutMs?: number } = {}): Promise<SimulatedArchive> {
    const wanted = id.toLowerCase();
    const find = (): SimulatedArchive | undefined => this.archives.find((a) => a.id === wanted && a.servedFrom !== undefined);
    const found = find();
    if (found) return Promise.resolve(found);
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise((resolve, reject) => {
      const onServed = (): void => {
        const hit = find();
        if (!hit) return;
        cleanup();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`flink-client/testing: the HistoryServer did not serve the archive of ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#events.off('served', onServed);
      };
      this.#events.on('served', onServed);
    });
  }

  /** @internal The simulator's start: listen, and take the first look at the archive. */
  async start(): Promise<void> {
    await this.#server?.listen(this.#port);
    this.#schedule();
  }

  /** @internal The cluster archives an ended job (a no-op for one archived already). */
  archiveJob(jobId: string): void {
    this.#write(jobId, () => archiveJob(this.#host, jobId));
  }

  /** @internal The cluster archives an ended application (Flink 2.3). */
  archiveApplication(applicationId: string): void {
    this.#write(applicationId, () => archiveApplication(this.#host, applicationId));
  }

  /** @internal Stops serving: closes the server, answers held requests with a connection error. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#host.clock.cancel(this.#timer);
    for (const release of this.#held) release();
    this.#held.clear();
    this.#events.removeAllListeners();
    await this.#server?.close();
  }

  #write(id: string, render: () => Promise<ArchiveRecord>): void {
    if (this.#closed || this.#archives.some((a) => a.record.id === id)) return;
    render()
      .then((record) => {
        if (!this.#closed) this.#archives.push({ record, servedFrom: undefined });
      })
      .catch((err: unknown) => this.#host.onError(err));
  }

  /** The periodic look for new archives (Flink's fetcher runs with a fixed delay). */
  #schedule(): void {
    if (this.#closed) return;
    this.refresh();
    this.#timer = this.#host.clock.schedule(this.refreshIntervalMs, () => this.#schedule());
  }

  #served(kind: ArchiveRecord['kind']): ArchiveRecord[] {
    return this.#archives
      .filter((a) => a.servedFrom !== undefined && a.record.kind === kind && a.record.overview !== undefined)
      .map((a) => a.record)
      .sort((a, b) => b.archivedAt - a.archivedAt);
  }

  /** The body of a file the HistoryServer serves at `path`, if any. */
  #file(path: string): { body: unknown } | undefined {
    const model = this.#host.model;
    if (path === '/config') {
      const config = renderDashboardConfig(model, this.#webRefreshIntervalMs) as { features: Record<string, boolean> };
      return { body: { ...config, features: { ...config.features, 'web-submit': false, 'web-cancel': false, 'web-rescale': false, 'web-history': true } } };
    }
    if (path === '/jobs/overview') return { body: { jobs: this.#served('job').map((r) => r.overview) } };
    if (path === '/applications/overview' && model.profile.applications) return { body: { applications: this.#served('application').map((r) => r.overview) } };
    for (const served of this.#archives) {
      if (served.servedFrom === undefined || !served.record.files.has(path)) continue;
      return { body: served.record.files.get(path) };
    }
    return undefined;
  }

  #buildHandlers(baseUrl: string): RequestHandler[] {
    const base = baseUrl.replace(/\/+$/, '');
    const basePath = new URL(base).pathname.replace(/\/+$/, '');
    const serve = (request: Request): Response | Promise<Response> => {
      if (this.#closed) return HttpResponse.error();
      const url = new URL(request.url);
      const path = url.pathname.slice(basePath.length) || '/';
      const method = request.method.toUpperCase();
      const response = answer(request, url, path, method);
      this.#requests.push({ method, path, status: response instanceof Promise ? 0 : response.status, at: this.#host.clock.now() });
      if (this.#requests.length > 1000) this.#requests.splice(0, this.#requests.length - 1000);
      return response;
    };
    const answer = (request: Request, url: URL, path: string, method: string): Response | Promise<Response> => {
      if (method === 'POST') {
        // Flink's HistoryServer reads a POST as a web upload it never completes: no answer.
        return new Promise((resolve) => {
          const release = (): void => {
            this.#held.delete(release);
            resolve(HttpResponse.error());
          };
          this.#held.add(release);
          request.signal.addEventListener('abort', release, { once: true });
        });
      }
      if (method === 'DELETE') return json(404, { errors: [`Not found: ${path}${url.search}`] }, JSON_ERROR);
      if (method !== 'GET') return unsupportedMethod(method);
      if (path === '/' || path === '/index.html') {
        return new HttpResponse('<!doctype html><html><head><title>Apache Flink Web Dashboard</title></head><body></body></html>', { status: 200, headers: { 'content-type': 'text/html' } });
      }
      const file = this.#file(path);
      if (!file) return json(404, { errors: ['File not found.'] }, JSON_ERROR);
      return json(200, file.body, JSON_FILE, { 'cache-control': 'private, max-age=300' });
    };
    return [http.all(base, ({ request }) => serve(request)), http.all(`${base}/*`, ({ request }) => serve(request))];
  }
}

function json(status: number, body: unknown, contentType: string, extra: Record<string, string> = {}): Response {
  const text = JSON.stringify(body);
  return new HttpResponse(text, { status, headers: { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)), ...extra } });
}

/** Flink's HttpRequestHandler on a method it does not serve: a 500 with the Java stack trace as text. */
function unsupportedMethod(method: string): Response {
  const text = [
    `java.io.IOException: Unsupported HTTP method: ${method}`,
    '\tat org.apache.flink.runtime.webmonitor.HttpRequestHandler.channelRead0(HttpRequestHandler.java:123)',
    '\tat org.apache.flink.runtime.webmonitor.HttpRequestHandler.channelRead0(HttpRequestHandler.java:70)',
    '\tat org.apache.flink.shaded.netty4.io.netty.channel.SimpleChannelInboundHandler.channelRead(SimpleChannelInboundHandler.java:99)',
    '',
  ].join('\n');
  return new HttpResponse(method === 'HEAD' ? null : text, { status: 500, headers: { 'content-type': 'text/plain', 'content-length': String(Buffer.byteLength(text)) } });
}
