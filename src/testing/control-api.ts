import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatedJobSpec, SimulatedProgram } from './programs.js';
import type { FlinkSimulator } from './simulator.js';
import type { SimulatedJob } from './state.js';

/** One request to the control API, as {@link controlRequest} takes it. */
export interface ControlRequest {
  /** HTTP method: GET, POST or DELETE. */
  method: string;
  /** The path, with an optional query string (`/requests?limit=10`). */
  path: string;
  /** The parsed JSON body of a POST; absent or `{}` for none. */
  body?: unknown;
}

/** The control API's answer: a status and a JSON body (`{ "error": message }` when not 2xx). */
export interface ControlResponse {
  /** The HTTP status the control API answers with. */
  status: number;
  /** The JSON body it answers with. */
  body: unknown;
}

/** Options of {@link startControlApi}. */
export interface ControlApiOptions {
  /**
   * The interface to listen on. Keep it on loopback: the control API has no authentication and
   * can fail, cancel and restart every simulated job.
   * @default '127.0.0.1'
   */
  host?: string;
  /** The port; 0 picks a free one (read it from `url`). @default 0 */
  port?: number;
}

/** A running control API server: its URL, and `close()` to stop it (the simulator stays up). */
export interface ControlApiServer {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  /** Stops the server and drops its open connections. Never rejects; a second call does nothing. */
  close(): Promise<void>;
}

/** Thrown by a control route: answered with this status and `{ "error": message }`. */
class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Largest request body the control API reads. */
const MAX_BODY = 1024 * 1024;

/** How many recorded requests `GET /requests` returns without `limit`. */
const DEFAULT_REQUESTS = 100;

const JOB_ACTIONS = ['finish', 'fail', 'cancel', 'restart', 'suspend', 'recover'] as const;

const jobJson = (j: SimulatedJob): Record<string, unknown> => ({
  id: j.id,
  name: j.name,
  status: j.status,
  applicationId: j.applicationId ?? null,
  jarId: j.jarId ?? null,
  entryClass: j.entryClass ?? null,
  parallelism: j.parallelism,
  restoredFrom: j.restoredFrom ?? null,
  savepoints: j.savepoints,
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Answers one control API request against `sim`, in process: the routing and validation that
 * {@link startControlApi} serves over HTTP, for Node harnesses that want the same JSON without a
 * socket. Never throws: a bad request is a 4xx answer with `{ "error": message }`.
 *
 * Routes (JSON bodies; every answer is JSON):
 * - `GET /state`: Flink version, REST URL, clock kind and time, jobs, jars, applications, savepoints
 * - `GET /jobs`, `GET /jobs/:id`; `POST /jobs` `{ "spec": { "name", "durationMs"?, ... }, "jobId"?, "parallelism"? }` submits a job without a jar
 * - `POST /jobs/:id/{finish,fail,cancel,restart,suspend,recover}` (`{ "error": "..." }` for fail and restart)
 * - `POST /jars` `{ "name", "mainClass"? }`: a jar as if uploaded
 * - `POST /programs` `{ "entryClass", "program" }`: what running that class does
 * - `POST /faults` `{ "type": "leader-election" | "error" | "latency" | "reset", "path"?, "method"?, "times"?, "status"?, "ms"? }`; `DELETE /faults`
 * - `POST /operations/fail-next` `{ "kind": "savepoint" | "stop" | "checkpoint", "message"? }`
 * - `POST /clock/advance` `{ "ms" }` (virtual clock only; 409 on a real one)
 * - `GET /requests?limit=n`: the last REST requests the simulator answered (method, path, route, status, fault, at), oldest first
 *
 * @example
 * ```ts
 * const sim = await createFlinkSimulator({ clock: 'virtual' });
 * const job = sim.jobs.submit({ name: 'etl', durationMs: 'unbounded' });
 * const answer = await controlRequest(sim, { method: 'POST', path: `/jobs/${job.id}/fail`, body: { error: 'boom' } });
 * // answer: { status: 200, body: { id, name: 'etl', status: 'FAILING' | 'RESTARTING' | ..., ... } }
 * ```
 */
export async function controlRequest(sim: FlinkSimulator, request: ControlRequest): Promise<ControlResponse> {
  try {
    return { status: 200, body: route(sim, request) };
  } catch (err) {
    return { status: err instanceof ControlError ? err.status : 500, body: { error: err instanceof Error ? err.message : String(err) } };
  }
}

function route(sim: FlinkSimulator, request: ControlRequest): unknown {
  const url = new URL(request.path, 'http://control');
  const parts = url.pathname.split('/').filter(Boolean);
  const method = request.method.toUpperCase();
  const rawBody = request.body ?? {};
  if (!isObject(rawBody)) throw new ControlError(400, 'the body must be a JSON object');
  const body = rawBody;
  const [head, id, verb] = parts;
  if (method === 'GET' && head === 'state' && parts.length === 1) {
    return {
      flinkVersion: sim.flinkVersion,
      url: sim.url,
      clock: { kind: sim.clock.kind, now: sim.clock.now() },
      jobs: sim.jobs.list().map(jobJson),
      jars: sim.jars.list(),
      applications: sim.flinkVersion.startsWith('1.') ? [] : sim.applications.list().map((a) => ({ id: a.id, name: a.name, status: a.status, jobIds: a.jobIds })),
      savepoints: sim.savepoints.list(),
    };
  }
  if (head === 'jobs') {
    if (method === 'GET' && parts.length === 1) return sim.jobs.list().map(jobJson);
    if (method === 'POST' && parts.length === 1) return jobJson(submit(sim, body));
    const job = id === undefined ? undefined : sim.jobs.find(id);
    if (id !== undefined && !job) throw new ControlError(404, `no job ${id}`);
    if (method === 'GET' && job && parts.length === 2) return jobJson(job);
    if (method === 'POST' && job && verb && parts.length === 3) {
      if (!(JOB_ACTIONS as readonly string[]).includes(verb)) throw new ControlError(404, `no job action ${verb}: one of ${JOB_ACTIONS.join(', ')}`);
      const error = typeof body.error === 'string' ? body.error : undefined;
      if (verb === 'fail') job.fail(error);
      else if (verb === 'restart') job.restart(error);
      else job[verb as 'finish' | 'cancel' | 'suspend' | 'recover']();
      return jobJson(job);
    }
  }
  if (method === 'POST' && head === 'jars' && parts.length === 1) {
    if (typeof body.name !== 'string' || body.name === '') throw new ControlError(400, 'name (the jar file name) is required');
    if (body.mainClass !== undefined && typeof body.mainClass !== 'string') throw new ControlError(400, 'mainClass must be a string');
    return sim.jars.add({ name: body.name, ...(typeof body.mainClass === 'string' ? { mainClass: body.mainClass } : {}) });
  }
  if (method === 'POST' && head === 'programs' && parts.length === 1) {
    if (typeof body.entryClass !== 'string' || body.entryClass === '' || !isObject(body.program)) throw new ControlError(400, 'entryClass (a string) and program (an object) are required');
    sim.programs.register(body.entryClass, body.program as unknown as SimulatedProgram);
    return { registered: body.entryClass };
  }
  if (head === 'faults' && parts.length === 1) {
    if (method === 'DELETE') {
      sim.faults.clear();
      return { cleared: true };
    }
    if (method === 'POST') return addFault(sim, body);
  }
  if (method === 'POST' && head === 'operations' && id === 'fail-next' && parts.length === 2) {
    if (body.kind !== 'savepoint' && body.kind !== 'stop' && body.kind !== 'checkpoint') throw new ControlError(400, 'kind must be savepoint, stop or checkpoint');
    sim.operations.failNext(body.kind, typeof body.message === 'string' ? body.message : undefined);
    return { failNext: body.kind };
  }
  if (method === 'POST' && head === 'clock' && id === 'advance' && parts.length === 2) {
    if (sim.clock.kind !== 'virtual') throw new ControlError(409, 'the clock is real: start the simulator with a virtual clock');
    if (typeof body.ms !== 'number' || !Number.isFinite(body.ms) || body.ms < 0) throw new ControlError(400, 'ms must be a finite number of milliseconds, at least 0');
    sim.clock.advance(body.ms);
    return { now: sim.clock.now() };
  }
  if (method === 'GET' && head === 'requests' && parts.length === 1) {
    const limitParam = url.searchParams.get('limit');
    const limit = limitParam === null ? DEFAULT_REQUESTS : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 0) throw new ControlError(400, `limit must be a non-negative integer, got ${JSON.stringify(limitParam)}`);
    const requests = sim.requests;
    return (limit === 0 ? [] : requests.slice(-limit)).map((r) => ({ method: r.method, path: r.path, route: r.route ?? null, status: r.status, fault: r.fault ?? null, at: r.at }));
  }
  throw new ControlError(404, `no control route ${method} ${url.pathname}`);
}

function submit(sim: FlinkSimulator, body: Record<string, unknown>): SimulatedJob {
  const spec = body.spec;
  if (!isObject(spec) || typeof spec.name !== 'string' || spec.name === '') throw new ControlError(400, 'spec (an object with a name) is required');
  if (spec.durationMs !== undefined && spec.durationMs !== 'unbounded' && !(typeof spec.durationMs === 'number' && spec.durationMs >= 0)) throw new ControlError(400, 'spec.durationMs must be a number of milliseconds or "unbounded"');
  if (body.jobId !== undefined && (typeof body.jobId !== 'string' || !/^[0-9a-f]{32}$/i.test(body.jobId))) throw new ControlError(400, 'jobId must be 32 hex characters');
  if (body.parallelism !== undefined && !(Number.isInteger(body.parallelism) && (body.parallelism as number) > 0)) throw new ControlError(400, 'parallelism must be a positive integer');
  if (typeof body.jobId === 'string' && sim.jobs.find(body.jobId)) throw new ControlError(409, `job ${body.jobId} exists already`);
  return sim.jobs.submit(spec as unknown as SimulatedJobSpec, {
    ...(typeof body.jobId === 'string' ? { jobId: body.jobId.toLowerCase() } : {}),
    ...(typeof body.parallelism === 'number' ? { parallelism: body.parallelism } : {}),
  });
}

function addFault(sim: FlinkSimulator, body: Record<string, unknown>): unknown {
  if (body.times !== undefined && !(Number.isInteger(body.times) && (body.times as number) > 0)) throw new ControlError(400, 'times must be a positive integer');
  const match = {
    ...(typeof body.path === 'string' ? { path: body.path } : {}),
    ...(typeof body.method === 'string' ? { method: body.method.toUpperCase() } : {}),
    ...(typeof body.times === 'number' ? { times: body.times } : {}),
  };
  if (body.type === 'leader-election') sim.faults.leaderElection(match);
  else if (body.type === 'error') {
    if (body.status !== undefined && !(Number.isInteger(body.status) && (body.status as number) >= 400 && (body.status as number) <= 599)) throw new ControlError(400, 'status must be an HTTP error status (400-599)');
    sim.faults.error(typeof body.status === 'number' ? body.status : 500, match);
  } else if (body.type === 'latency') {
    if (body.ms !== undefined && !(typeof body.ms === 'number' && Number.isFinite(body.ms) && body.ms >= 0)) throw new ControlError(400, 'ms must be a finite number of milliseconds, at least 0');
    sim.faults.latency(typeof body.ms === 'number' ? body.ms : 1000, match);
  } else if (body.type === 'reset') sim.faults.reset(match);
  else throw new ControlError(400, 'type must be leader-election, error, latency or reset');
  return { added: body.type };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new ControlError(413, 'body larger than 1 MiB');
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new ControlError(400, `the body must be a JSON object: ${(err as Error).message}`);
  }
}

/**
 * Serves the simulator's control API ({@link controlRequest}'s routes) over HTTP on its own port,
 * beside the Flink REST API the simulator serves: test harnesses in any language drive the
 * simulated cluster (finish or fail jobs, inject faults, move a virtual clock) with plain JSON
 * requests. `flink-client simulate` runs it.
 *
 * @throws Error (rejects) when the port cannot be listened on (in use, no permission).
 * @example
 * ```ts
 * const sim = await createFlinkSimulator({ clock: 'virtual' });
 * const control = await startControlApi(sim);
 * await fetch(`${control.url}/clock/advance`, { method: 'POST', body: JSON.stringify({ ms: 5_000 }) });
 * await control.close();
 * await sim.close();
 * ```
 */
export async function startControlApi(sim: FlinkSimulator, options: ControlApiOptions = {}): Promise<ControlApiServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (typeof host !== 'string' || host === '') throw new TypeError('flink-client/testing: startControlApi host must be a non-empty string');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`flink-client/testing: startControlApi port must be 0-65535, got ${String(port)}`);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const body = method === 'GET' || method === 'DELETE' || method === 'HEAD' ? Promise.resolve(undefined) : readJson(req);
    body
      .then((parsed) => controlRequest(sim, { method, path: req.url ?? '/', body: parsed }))
      .catch((err: unknown): ControlResponse => ({ status: err instanceof ControlError ? err.status : 500, body: { error: err instanceof Error ? err.message : String(err) } }))
      .then((answer) => send(res, answer));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

function send(res: ServerResponse, answer: ControlResponse): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
