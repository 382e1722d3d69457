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

/**
 * One GET sent with this exact request target on a fresh connection (fetch would normalise it):
 * the raw response head, the status and the body (read up to its Content-Length).
 */
function rawGet(url: string, target: string): Promise<{ head: string; status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: hostname, port: Number(port) }, () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text.slice(0, end));
      if (end >= 0 && length && Buffer.byteLength(text.slice(end + 4)) >= Number(length[1])) {
        socket.destroy();
        resolve({ head: text.slice(0, end), status: Number(text.slice(9, 12)), body: text.slice(end + 4) });
      }
    });
    socket.on('error', reject);
  });
}

describe('the simulator server fast path', () => {
  it('reads request targets as the URL parser does (dot segments, escapes, empty queries)', async () => {
    sim = await createFlinkSimulator({ clock: 'virtual' });
    const job = sim.jobs.submit({ name: 'x', durationMs: 'unbounded' });
    sim.clock.advance(1_000);
    const targets = [
      '/v1/overview',
      '/v1/./overview',
      '/v1/jobs/../overview',
      '/v1/overview/.',
      '/v1/overview?',
      '/v1/overview?a=1&b=%20c',
      `/v1/jobs/${job.id}/status`,
      `/v1/jobs/${job.id}/%2e%2e/${job.id}/status`,
      `/v1/jobs/${job.id}/.hidden`,
      '/v1/jobs//status',
      '//v1/overview',
    ];
    for (const target of targets) {
      const fast = await rawGet(sim.url, target);
      const msw = await viaMsw(sim, 'GET', target);
      expect({ target, status: fast.status, body: fast.body }).toEqual({ target, status: msw.status, body: msw.body });
    }
    // Logged twice per target (the server, then msw): the same path and query both times.
    const logged = sim.requests.map((r) => [r.path, r.query]);
    for (let i = 0; i < logged.length; i += 2) expect(logged[i]).toEqual(logged[i + 1]);
    expect(logged[2]).toEqual(['/v1/overview', {}]);
    expect(logged[10]).toEqual(['/v1/overview', { a: '1', b: ' c' }]);
  });

  it('keeps every overview sent as sent while durations move across digit counts', async () => {
    sim = await createFlinkSimulator({ clock: 'virtual' });
    const jobs = Array.from({ length: 5 }, (_, i) => sim!.jobs.submit({ name: `job-${i}`, durationMs: 'unbounded' }));
    const durations = (text: string): unknown[] => (JSON.parse(text) as { jobs: Array<{ duration: unknown }> }).jobs.map((e) => e.duration);
    const sent: string[] = [];
    // 0 -> 9 -> 10 ms: a digit more; 10 -> 99 ms: same count; 9,999 -> 10,000 ms; the same instant twice.
    for (const step of [0, 9, 1, 89, 9_900, 0, 1, 0, 1_000_000]) {
      sim.clock.advance(step);
      const text = (await viaServer(sim, 'GET', '/v1/jobs/overview')).body;
      expect(JSON.stringify(JSON.parse(text))).toBe(text);
      const details = await Promise.all(jobs.map(async (j) => (JSON.parse((await viaServer(sim!, 'GET', `/v1/jobs/${j.id}`)).body) as { duration: number }).duration));
      expect(durations(text).sort()).toEqual(details.sort());
      sent.push(text);
    }
    // Each logged answer is still the body sent then (an answer is never rewritten afterwards).
    const logged = sim.requests.filter((r) => r.route === '/jobs/overview').map((r) => JSON.stringify(r.responseBody));
    expect(logged).toEqual(sent);
  });


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
    const head = (await rawGet(sim.url, '/v1/config')).head.toLowerCase().split('\r\n');
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
