import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ClusterClient, FeatureDisabledError, FlinkArgumentError, FlinkValidationError, TaskManagerNotFoundError, UnsupportedFeatureError } from '../../src/index.js';

// The new handles against a loopback server that answers as the recordings show real Flink does.
const JOB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const VERTEX = 'ea27fd291a97cca54a5118b66652a19f';
const LOG = Array.from({ length: 1000 }, (_, i) => `2026-12-02 17:09:00,${String(i).padStart(3, '0')} INFO line ${i}`).join('\n') + '\n';

let server: Server;
let cluster: ClusterClient;
let backpressureCalls = 0;
let flameCalls = 0;
const seen: string[] = [];

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  seen.push(`${req.method} ${url.pathname}${url.search}`);
  const p = url.pathname.replace(/^\/v1/, '');
  if (p === '/config') return json(res, 200, { 'refresh-interval': 3000, 'timezone-name': 'UTC', 'timezone-offset': 0, 'flink-version': '1.20.5', 'flink-revision': 'x', features: { 'web-submit': true, 'web-cancel': true, 'web-rescale': false, 'web-history': false } });
  if (p === '/jobmanager/log') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    // Streamed in odd-sized chunks, so lines cross chunk boundaries.
    for (let i = 0; i < LOG.length; i += 777) res.write(LOG.slice(i, i + 777));
    return void res.end();
  }
  if (p.endsWith('/stdout')) return res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end('The file STDOUT does not exist on the TaskExecutor.') as unknown as void;
  if (p === '/jobmanager/metrics') return json(res, 200, url.searchParams.has('get') ? url.searchParams.get('get')!.split(',').filter((n) => n !== 'missing').map((id) => ({ id, value: id === 'text' ? 'hello' : id === 'nan' ? 'NaN' : '1000.0' })) : [{ id: 'a' }, { id: 'b' }]);
  if (p === '/taskmanagers/no-such-tm') return json(res, 500, { errors: ['Internal server error.', '<Exception on server side:\norg.apache.flink.runtime.resourcemanager.exceptions.UnknownTaskExecutorException: No TaskExecutor registered under no-such-tm.\nEnd of exception on server side>'] });
  if (p === `/jobs/${JOB}/vertices/${VERTEX}/backpressure`) {
    backpressureCalls++;
    return json(res, 200, backpressureCalls === 1 ? { status: 'deprecated' } : { status: 'ok', backpressureLevel: 'low', 'end-timestamp': 1, subtasks: [{ subtask: 0, backpressureLevel: 'low', ratio: 0.2, idleRatio: 0, busyRatio: 0.8 }] });
  }
  if (p === `/jobs/${JOB}/vertices/${VERTEX}/flamegraph`) {
    flameCalls++;
    return json(res, 200, { endTimestamp: url.searchParams.get('type') === 'OFF_CPU' ? -2 : flameCalls === 1 ? -3 : 5, ...(flameCalls > 1 ? { data: { name: 'root', value: 1, children: [{ name: 'a', value: 1, children: [] }] } } : {}) });
  }
  if (p === `/jobs/${JOB}/vertices/${VERTEX}/watermarks`) return json(res, 200, [{ id: '1.currentInputWatermark', value: '1700000000000' }, { id: '0.currentInputWatermark', value: '-9223372036854775808' }]);
  // Jackson writes a non-finite double as a string: real 2.3.0 sent `"max": "NaN"`-like values for an idle vertex.
  if (p === `/jobs/${JOB}/vertices/${VERTEX}/subtasks/metrics`) return json(res, 200, [{ id: 'numRecordsOut', min: 1, max: 3, avg: 2, sum: 4, skew: 33.3 }, { id: 'idleGauge', min: 'NaN', max: '-Infinity', avg: 'NaN', sum: 0 }]);
  if (p === `/jobs/${JOB}/status`) return json(res, 200, { status: 'RUNNING' });
  json(res, 404, { errors: [`Not found: ${url.pathname}`] });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cluster = new ClusterClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, maxRetries: 0 });
});
afterAll(async () => {
  await cluster.close();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('log files', () => {
  it('stream as lines, whole or as a bounded tail', async () => {
    const lines: string[] = [];
    for await (const line of cluster.jobManager().log().lines()) lines.push(line);
    expect(lines).toHaveLength(1000);
    expect(lines[999]).toBe('2026-12-02 17:09:00,999 INFO line 999');
    expect(await cluster.jobManager().log().text({ tailLines: 2 })).toBe(`${lines[998]}\n${lines[999]}`);
  });

  it('stop at maxBytes with a typed error, and close when the loop breaks', async () => {
    await expect(cluster.jobManager().log().text({ maxBytes: 1000 })).rejects.toMatchObject({ code: 'FLINK_RESPONSE_TOO_LARGE' });
    for await (const line of cluster.jobManager().log().lines()) {
      expect(line).toContain('line 0');
      break;
    }
  });

  it('treat Flink 200-with-JSON for a missing TaskManager stdout as not found', async () => {
    await expect(cluster.taskManager('127.0.0.1:1-abc').stdout().text()).rejects.toMatchObject({ code: 'FLINK_LOG_FILE_NOT_FOUND' });
  });

  it('refuse file names that would leave the log directory', () => {
    expect(() => cluster.jobManager().logFile('../secret')).toThrow(FlinkArgumentError);
    expect(() => cluster.taskManager('a/b')).toThrow(FlinkArgumentError);
  });
});

describe('metrics', () => {
  it('turn Flink number strings into numbers and keep text', async () => {
    expect(await cluster.jobManager().metricNames()).toEqual(['a', 'b']);
    const values = await cluster.jobManager().metrics(['x', 'text', 'nan', 'missing']);
    expect(values).toEqual({ x: 1000, text: 'hello', nan: Number.NaN });
  });

  it('split a long list of names into several requests that each fit a request line', async () => {
    seen.length = 0;
    const names = Array.from({ length: 400 }, (_, i) => `Status.JVM.Memory.Metaspace.Used.${i}`);
    const values = await cluster.jobManager().metrics(names);
    expect(Object.keys(values)).toHaveLength(400);
    const calls = seen.filter((s) => s.startsWith('GET /v1/jobmanager/metrics'));
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.every((c) => c.length < 3_200)).toBe(true);
  });

  it('validate names and aggregations before sending', async () => {
    await expect(cluster.jobManager().metrics([])).rejects.toThrow(FlinkArgumentError);
    await expect(cluster.jobManager().metrics(['a,b'])).rejects.toThrow(FlinkArgumentError);
    await expect(cluster.job(JOB).vertex(VERTEX).aggregatedSubtaskMetrics(['x'], { agg: ['median' as never] })).rejects.toThrow(FlinkArgumentError);
    expect(await cluster.job(JOB).vertex(VERTEX).aggregatedSubtaskMetrics(['numRecordsOut'], { agg: ['sum'], subtasks: [0, 1] })).toEqual({
      numRecordsOut: { min: 1, max: 3, avg: 2, sum: 4, skew: 33.3 },
      idleGauge: { min: Number.NaN, max: Number.NEGATIVE_INFINITY, avg: Number.NaN, sum: 0 },
    });
    expect(seen.at(-1)).toContain('subtasks=0%2C1');
  });
});

describe('vertices', () => {
  it('wait through the "deprecated" back-pressure answer', async () => {
    const bp = await cluster.job(JOB).vertex(VERTEX).backpressure({ pollIntervalMs: 1, timeoutMs: 10_000 });
    expect(bp.backpressureLevel).toBe('low');
    expect(backpressureCalls).toBe(2);
  });

  it('wait for flame graph samples, and name the setting when flame graphs are off', async () => {
    const graph = await cluster.job(JOB).vertex(VERTEX).flameGraph({}, { pollIntervalMs: 1, timeoutMs: 10_000 });
    expect(graph.data?.children[0]?.name).toBe('a');
    await expect(cluster.job(JOB).vertex(VERTEX).flameGraph({ type: 'OFF_CPU' })).rejects.toBeInstanceOf(FeatureDisabledError);
  });

  it('report watermarks per subtask, null for Long.MIN_VALUE', async () => {
    expect(await cluster.job(JOB).vertex(VERTEX).watermarks()).toEqual([{ subtask: 0, watermark: null }, { subtask: 1, watermark: 1_700_000_000_000 }]);
  });

  it('check ids and indexes before they go into a path', () => {
    expect(() => cluster.job(JOB).vertex('nope')).toThrow(FlinkArgumentError);
    return expect(cluster.job(JOB).vertex(VERTEX).subtask(-1)).rejects.toThrow(FlinkArgumentError);
  });
});

describe('errors and version awareness', () => {
  it('map an unknown TaskManager to TaskManagerNotFoundError', async () => {
    await expect(cluster.taskManager('no-such-tm').describe()).rejects.toBeInstanceOf(TaskManagerNotFoundError);
  });

  it('refuse rescale routes before Flink 2.3 without sending them', async () => {
    seen.length = 0;
    await expect(cluster.job(JOB).rescaleHistory()).rejects.toBeInstanceOf(UnsupportedFeatureError);
    expect(seen.some((s) => s.includes('rescales'))).toBe(false);
  });
});

describe('cluster.request()', () => {
  it('returns parsed JSON, validates with a zod schema, and checks the path', async () => {
    expect(await cluster.request({ method: 'GET', path: `/jobs/${JOB}/status` })).toEqual({ status: 'RUNNING' });
    expect(await cluster.request({ method: 'GET', path: `/jobs/${JOB}/status`, schema: z.object({ status: z.literal('RUNNING') }) })).toEqual({ status: 'RUNNING' });
    await expect(cluster.request({ method: 'GET', path: `/jobs/${JOB}/status`, schema: z.object({ status: z.number() }) })).rejects.toBeInstanceOf(FlinkValidationError);
    await expect(cluster.request({ method: 'GET', path: '/../x' })).rejects.toThrow(FlinkArgumentError);
    await expect(cluster.request({ method: 'GET', path: 'jobs' })).rejects.toThrow(FlinkArgumentError);
    await expect(cluster.request({ method: 'GET', path: '/jobs?x=1' })).rejects.toThrow(FlinkArgumentError);
  });
});
