import { createConnection } from 'node:net';
import { getResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlinkSimulator, type FlinkSimulator } from 'flink-client/testing';

// The simulator's own server finds routes in a compiled table instead of asking msw per request.
// Its answers must be the msw handlers' answers, request for request (same state, virtual clock).

let sim: FlinkSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

interface Seen {
  status: number;
  cors: string | null;
  contentType: string | null;
  body: string;
}

async function viaServer(s: FlinkSimulator, method: string, path: string): Promise<Seen> {
  const res = await fetch(`${s.url}${path}`, { method, redirect: 'manual' });
  return { status: res.status, cors: res.headers.get('access-control-allow-origin'), contentType: res.headers.get('content-type'), body: await res.text() };
}

async function viaMsw(s: FlinkSimulator, method: string, path: string): Promise<Seen> {
  let res: Response | undefined;
  try {
    res = await getResponse(s.handlers, new Request(`${s.url}${path}`, { method }));
  } catch (err) {
    // What the server's msw bridge answers when matching throws (a parameter that does not decode).
    return { status: 500, cors: null, contentType: 'application/json', body: JSON.stringify({ errors: [`request handler threw: ${(err as Error).message}`] }) };
  }
  if (!res) throw new Error(`msw answered nothing for ${method} ${path}`);
  return { status: res.status, cors: res.headers.get('access-control-allow-origin'), contentType: res.headers.get('content-type'), body: method === 'HEAD' ? '' : await res.text() };
}

/** Raw response head of one request on a fresh connection. */
function rawHead(url: string, path: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: hostname, port: Number(port) }, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
    });
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\r\n\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(text.slice(0, end));
      }
    });
    socket.on('error', reject);
  });
}

describe('the simulator server fast path', () => {
  it('answers exactly what the msw handlers answer, with their precedence and matching', async () => {
    sim = await createFlinkSimulator({ clock: 'virtual' });
    const running = sim.jobs.submit({ name: 'running', durationMs: 'unbounded' });
    const done = sim.jobs.submit({ name: 'done', durationMs: 100 });
    sim.clock.advance(5_000);
    const id = running.id;
    const paths: Array<[string, string]> = [
      ['GET', '/v1/overview'],
      ['GET', '/overview'],
      ['GET', '/V1/Overview'],
      ['GET', '/v1/overview/'],
      ['GET', '/v1/overview//'],
      ['GET', '/v1/jobs/overview'],
      ['GET', '/jobs/overview'],
      ['GET', '/v1/jobs/metrics'],
      ['GET', '/v1/taskmanagers/metrics'],
      ['GET', `/v1/jobs/${id}`],
      ['GET', `/v1/jobs/${id.toUpperCase()}/status`],
      ['GET', `/v1/jobs/${done.id}/execution-result`],
      ['GET', `/v1/jobs/%7a${id.slice(1)}/status`],
      ['GET', '/v1/jobs/%E0%A4%A/status'],
      ['GET', '/v1/jobs/not-an-id/status'],
      ['GET', '/v1/jobs//status'],
      ['GET', '/v1/jobs/overview/extra/parts'],
      ['GET', '/v2/config'],
      ['GET', '/'],
      ['HEAD', '/v1/config'],
      ['POST', '/v1/overview?x=1'],
      ['OPTIONS', '/v1/jobs'],
      ['GET', '/v1/config?a=1&a=2'],
    ];
    for (const [method, path] of paths) {
      const fast = await viaServer(sim, method, path);
      const msw = await viaMsw(sim, method, path);
      expect({ method, path, ...fast }).toEqual({ method, path, ...msw });
    }
    expect(sim.requests.filter((r) => r.path.includes('execution-result')).map((r) => r.route)).toEqual(['/jobs/:jobid/execution-result', '/jobs/:jobid/execution-result']);
  });

  it('keeps the overview entries current as jobs and the clock move (kept texts, fresh values)', async () => {
    sim = await createFlinkSimulator({ clock: 'virtual' });
    const jobs = Array.from({ length: 12 }, (_, i) => sim!.jobs.submit({ name: `job "${i}" \u2713`, durationMs: i % 3 === 0 ? 200 : 'unbounded' }));
    const json = async (path: string): Promise<Record<string, unknown>> => JSON.parse((await viaServer(sim!, 'GET', path)).body) as Record<string, unknown>;
    for (const step of [0, 1, 50, 500, 5_000]) {
      sim.clock.advance(step);
      if (step === 500) jobs[1]?.cancel();
      const text = (await viaServer(sim, 'GET', '/v1/jobs/overview')).body;
      expect(JSON.stringify(JSON.parse(text))).toBe(text);
      const entries = (JSON.parse(text) as { jobs: Array<Record<string, unknown>> }).jobs;
      expect(entries.map((e) => e.jid).sort()).toEqual(jobs.map((j) => j.id).sort());
      for (const e of entries) {
        // The execution graph route renders the same fields from scratch.
        const details = await json(`/v1/jobs/${String(e.jid)}`);
        expect({ name: e.name, state: e.state, start: e['start-time'], end: e['end-time'], duration: e.duration }).toEqual({
          name: details.name,
          state: details.state,
          start: details['start-time'],
          end: details['end-time'],
          duration: details.duration,
        });
        const tasks = e.tasks as Record<string, number>;
        expect(tasks.total).toBe(1);
        expect(Object.entries(tasks).reduce((sum, [k, n]) => (k === 'total' ? sum : sum + n), 0)).toBe(1);
      }
    }
    // The request log still holds the JSON sent.
    const last = (await viaServer(sim, 'GET', '/v1/jobs/overview')).body;
    const logged = sim.requests.filter((r) => r.route === '/jobs/overview').at(-1);
    expect(logged?.responseBody).toEqual(JSON.parse(last));
  });

  it('sends the headers Flink sends: no Date, no Keep-Alive, connection: keep-alive', async () => {
    sim = await createFlinkSimulator({ clock: 'virtual' });
    const head = (await rawHead(sim.url, '/v1/config')).toLowerCase().split('\r\n');
    expect(head[0]).toBe('http/1.1 200 ok');
    const names = head.slice(1).map((line) => line.slice(0, line.indexOf(':')));
    expect(names.sort()).toEqual(['access-control-allow-origin', 'connection', 'content-length', 'content-type']);
    expect(head).toContain('connection: keep-alive');
  });

  it('keeps fault behaviour on the fast path: truncate cuts the body, reset drops the connection', async () => {
    sim = await createFlinkSimulator({ clock: 'virtual' });
    sim.faults.truncate({ path: '/overview', times: 1 });
    await expect(fetch(`${sim.url}/v1/overview`).then((r) => r.text())).rejects.toThrow();
    sim.faults.reset({ path: '/overview', times: 1 });
    await expect(fetch(`${sim.url}/v1/overview`)).rejects.toThrow();
    expect((await fetch(`${sim.url}/v1/overview`)).status).toBe(200);
    expect(sim.requests.map((r) => r.fault)).toEqual(['truncate', 'reset', undefined]);
  });
});
