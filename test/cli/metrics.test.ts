import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlinkSimulator } from 'flink-client/testing';
import { cli } from './support.js';
import { sendJson, startStub, type Stub } from './stub-server.js';

// `jobs metrics` against a loopback stub of Flink's metric routes (the simulator does not serve
// the per-job and per-vertex ones yet). Values come as strings, as Flink sends them.

let JOB: string;
let SOURCE: string;
let SINK: string;
// The job's details (`GET /jobs/:id`, for --vertex all) as the simulator renders them.
let details: { jid: string; vertices: { id: string; name: string }[] };
const JOB_METRICS: Record<string, string> = { numRestarts: '0', uptime: '12345', 'lastCheckpointDuration': '17' };
const SUBTASK: Record<string, { min: number; max: number; avg: number; sum: number; skew: number }> = {
  busyTimeMsPerSecond: { min: 10, max: 30, avg: 20.123456, sum: 40, skew: 33.3 },
  numRecordsIn: { min: 5, max: 7, avg: 6, sum: 12, skew: 14.2 },
};

let stub: Stub;
beforeAll(async () => {
  const sim = await createFlinkSimulator({ timing: 'fast' });
  try {
    JOB = sim.jobs.submit({ name: 'demo', durationMs: 'unbounded', vertices: [{ name: 'Source' }, { name: 'Sink' }] }).id;
    details = (await (await fetch(`${sim.url}/v1/jobs/${JOB}`)).json()) as typeof details;
    [SOURCE, SINK] = details.vertices.map((v) => v.id) as [string, string];
  } finally {
    await sim.close();
  }
  stub = await startStub((_req, res, url) => {
    const get = url.searchParams.get('get')?.split(',');
    const agg = url.searchParams.get('agg')?.split(',') ?? ['min', 'max', 'avg', 'sum', 'skew'];
    if (url.pathname === `/jobs/${JOB}/metrics`) {
      return sendJson(res, get ? get.filter((n) => n in JOB_METRICS).map((id) => ({ id, value: JOB_METRICS[id] })) : Object.keys(JOB_METRICS).map((id) => ({ id })));
    }
    if (url.pathname === `/jobs/${JOB}`) {
      return sendJson(res, details);
    }
    const m = /^\/jobs\/[0-9a-f]{32}\/vertices\/([0-9a-f]{32})\/subtasks\/metrics$/.exec(url.pathname);
    if (m) {
      if (!get) return sendJson(res, Object.keys(SUBTASK).map((id) => ({ id })));
      return sendJson(
        res,
        get.filter((n) => n in SUBTASK).map((id) => ({ id, ...Object.fromEntries(agg.map((a) => [a, (SUBTASK[id] as Record<string, number>)[a]! * (m[1] === SINK ? 2 : 1)])) })),
      );
    }
    return sendJson(res, { errors: ['Not found: ' + url.pathname] }, 404);
  });
});
afterAll(async () => {
  await stub.close();
});

const run = (argv: string[]) => cli(['--url', stub.url, ...argv]);

describe('jobs metrics', () => {
  it('without --get lists the job metric names; with --get reads the values as numbers', async () => {
    const names = await run(['-o', 'json', 'jobs', 'metrics', JOB]);
    expect(names.code, names.stderr).toBe(0);
    expect(JSON.parse(names.stdout)).toEqual(['lastCheckpointDuration', 'numRestarts', 'uptime']);

    const values = await run(['-o', 'json', 'jobs', 'metrics', JOB, '--get', 'numRestarts,uptime', '--get', 'nope']);
    expect(values.code, values.stderr).toBe(0);
    expect(JSON.parse(values.stdout)).toEqual({ numRestarts: 0, uptime: 12345 });

    const nd = await run(['-o', 'ndjson', 'jobs', 'metrics', JOB, '--get', 'uptime']);
    expect(nd.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([{ id: 'uptime', value: 12345 }]);

    const table = await run(['jobs', 'metrics', JOB, '--get', 'uptime']);
    expect(table.stdout.split('\n')[0]).toMatch(/^METRIC\s+VALUE$/);
    expect(table.stdout).toMatch(/uptime\s+12345/);
  });

  it('--vertex lists subtask metric names, or aggregates them with --agg; --vertex all covers every vertex', async () => {
    const names = await run(['-o', 'json', 'jobs', 'metrics', JOB, '--vertex', SOURCE]);
    expect(JSON.parse(names.stdout)).toEqual(['busyTimeMsPerSecond', 'numRecordsIn']);

    const agg = await run(['-o', 'json', 'jobs', 'metrics', JOB, '--vertex', SOURCE, '--get', 'busyTimeMsPerSecond', '--agg', 'max,AVG']);
    expect(agg.code, agg.stderr).toBe(0);
    expect(JSON.parse(agg.stdout)).toEqual({ busyTimeMsPerSecond: { max: 30, avg: 20.123456 } });
    expect(stub.requests.at(-1)).toMatch(/agg=max%2Cavg|agg=max,avg/);

    const table = await run(['jobs', 'metrics', JOB, '--vertex', SOURCE, '--get', 'busyTimeMsPerSecond,numRecordsIn']);
    const [header, ...rows] = table.stdout.trim().split('\n');
    expect(header).toMatch(/^METRIC\s+MIN\s+MAX\s+AVG\s+SUM\s+SKEW$/);
    expect(rows[0]).toMatch(/busyTimeMsPerSecond\s+10\s+30\s+20\.123\s+40\s+33\.3/);

    const all = await run(['-o', 'ndjson', 'jobs', 'metrics', JOB, '--vertex', 'all', '--get', 'numRecordsIn', '--agg', 'sum']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { vertexId: SOURCE, vertex: 'Source', id: 'numRecordsIn', sum: 12 },
      { vertexId: SINK, vertex: 'Sink', id: 'numRecordsIn', sum: 24 },
    ]);
  });

  it('usage errors: --agg without --vertex, a bad aggregation, --vertex all without --get, a bad vertex id', async () => {
    const before = stub.requests.length;
    expect((await run(['jobs', 'metrics', JOB, '--get', 'uptime', '--agg', 'max'])).code).toBe(2);
    const bad = await run(['jobs', 'metrics', JOB, '--vertex', SOURCE, '--agg', 'median']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--agg takes min, max, avg, sum, skew/);
    expect((await run(['jobs', 'metrics', JOB, '--vertex', 'all'])).code).toBe(2);
    expect((await run(['jobs', 'metrics', JOB, '--vertex', '../x'])).code).toBe(2);
    expect(stub.requests.length).toBe(before);
    expect((await run(['jobs', 'metrics', 'ffffffffffffffffffffffffffffffff'])).code).toBe(3);
  });
});
