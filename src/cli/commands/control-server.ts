import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FlinkSimulator, SimulatedJob, SimulatedProgram } from 'flink-client/testing';

/** Thrown by a control route: answered with this status and `{ "error": message }`. */
class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new ControlError(413, 'body larger than 1 MiB');
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new ControlError(400, `the body must be a JSON object: ${(err as Error).message}`);
  }
}

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

const JOB_ACTIONS = ['finish', 'fail', 'cancel', 'restart', 'suspend', 'recover'] as const;

/**
 * The simulator's control API for test harnesses in any language: JSON over HTTP on its own port,
 * beside the Flink REST API it simulates.
 *
 * - `GET /state`: version, URLs, jobs, jars, applications, savepoints
 * - `GET /jobs`, `GET /jobs/:id`; `POST /jobs/:id/{finish,fail,cancel,restart,suspend,recover}` (`{ "error": "..." }` for fail and restart)
 * - `POST /jars` `{ "name", "mainClass" }`: a jar as if uploaded
 * - `POST /programs` `{ "entryClass", "program" }`: what running that class does
 * - `POST /faults` `{ "type": "leader-election" | "error" | "latency" | "reset", "path"?, "times"?, "status"?, "ms"? }`, `DELETE /faults`
 * - `POST /operations/fail-next` `{ "kind": "savepoint" | "stop" | "checkpoint", "message"? }`
 * - `POST /clock/advance` `{ "ms" }` (virtual clock only)
 */
export async function startControlServer(sim: FlinkSimulator, options: { host: string; port: number }): Promise<{ url: string; close(): Promise<void> }> {
  const route = async (req: IncomingMessage): Promise<unknown> => {
    const url = new URL(req.url ?? '/', 'http://control');
    const parts = url.pathname.split('/').filter(Boolean);
    const method = req.method ?? 'GET';
    const body = method === 'GET' || method === 'DELETE' ? {} : await readJson(req);
    const [head, id, verb] = parts;
    if (method === 'GET' && head === 'state' && parts.length === 1) {
      return {
        flinkVersion: sim.flinkVersion,
        url: sim.url,
        jobs: sim.jobs.list().map(jobJson),
        jars: sim.jars.list(),
        applications: sim.flinkVersion.startsWith('1.') ? [] : sim.applications.list().map((a) => ({ id: a.id, name: a.name, status: a.status, jobIds: a.jobIds })),
        savepoints: sim.savepoints.list(),
      };
    }
    if (head === 'jobs') {
      if (method === 'GET' && parts.length === 1) return sim.jobs.list().map(jobJson);
      const job = id === undefined ? undefined : sim.jobs.find(id);
      if (id !== undefined && !job) throw new ControlError(404, `no job ${id}`);
      if (method === 'GET' && job && parts.length === 2) return jobJson(job);
      if (method === 'POST' && job && verb && parts.length === 3 && (JOB_ACTIONS as readonly string[]).includes(verb)) {
        const error = typeof body.error === 'string' ? body.error : undefined;
        if (verb === 'fail') job.fail(error);
        else if (verb === 'restart') job.restart(error);
        else job[verb as 'finish' | 'cancel' | 'suspend' | 'recover']();
        return jobJson(job);
      }
    }
    if (method === 'POST' && head === 'jars' && parts.length === 1) {
      if (typeof body.name !== 'string') throw new ControlError(400, 'name (the jar file name) is required');
      return sim.jars.add({ name: body.name, ...(typeof body.mainClass === 'string' ? { mainClass: body.mainClass } : {}) });
    }
    if (method === 'POST' && head === 'programs' && parts.length === 1) {
      if (typeof body.entryClass !== 'string' || typeof body.program !== 'object' || body.program === null) throw new ControlError(400, 'entryClass and program are required');
      sim.programs.register(body.entryClass, body.program as SimulatedProgram);
      return { registered: body.entryClass };
    }
    if (head === 'faults' && parts.length === 1) {
      if (method === 'DELETE') {
        sim.faults.clear();
        return { cleared: true };
      }
      if (method === 'POST') {
        const match = { ...(typeof body.path === 'string' ? { path: body.path } : {}), ...(typeof body.method === 'string' ? { method: body.method } : {}), ...(typeof body.times === 'number' ? { times: body.times } : {}) };
        if (body.type === 'leader-election') sim.faults.leaderElection(match);
        else if (body.type === 'error') sim.faults.error(typeof body.status === 'number' ? body.status : 500, match);
        else if (body.type === 'latency') sim.faults.latency(typeof body.ms === 'number' ? body.ms : 1000, match);
        else if (body.type === 'reset') sim.faults.reset(match);
        else throw new ControlError(400, 'type must be leader-election, error, latency or reset');
        return { added: body.type };
      }
    }
    if (method === 'POST' && head === 'operations' && id === 'fail-next' && parts.length === 2) {
      if (body.kind !== 'savepoint' && body.kind !== 'stop' && body.kind !== 'checkpoint') throw new ControlError(400, 'kind must be savepoint, stop or checkpoint');
      sim.operations.failNext(body.kind, typeof body.message === 'string' ? body.message : undefined);
      return { failNext: body.kind };
    }
    if (method === 'POST' && head === 'clock' && id === 'advance' && parts.length === 2) {
      if (sim.clock.kind !== 'virtual') throw new ControlError(409, 'the clock is real: start the simulator with --clock virtual');
      if (typeof body.ms !== 'number' || !(body.ms >= 0)) throw new ControlError(400, 'ms must be a number of milliseconds');
      sim.clock.advance(body.ms);
      return { now: sim.clock.now() };
    }
    throw new ControlError(404, `no control route ${method} ${url.pathname}`);
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    route(req).then(
      (value) => send(res, 200, value),
      (err: unknown) => send(res, err instanceof ControlError ? err.status : 500, { error: err instanceof Error ? err.message : String(err) }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
