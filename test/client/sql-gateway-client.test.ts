import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlinkArgumentError, SqlGatewayClient, SqlStatementError, UnsupportedFeatureError, isFlinkError } from '../../src/index.js';

// The client's own logic against a small loopback gateway: negotiation, paths, paging, waiting out
// NOT_READY, errors, heartbeats. The real gateway runs the same calls in test/integration/sql-gateway.test.ts.

const S = '11111111-2222-3333-4444-555555555555';
const O = '66666666-7777-8888-9999-000000000000';
type Handler = (req: IncomingMessage, body: string) => { status?: number; body: unknown };

let server: Server | undefined;
let client: SqlGatewayClient | undefined;
afterEach(async () => {
  await client?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
  client = undefined;
});

async function gateway(handler: Handler, versions = ['V1', 'V2', 'V3', 'V4']): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const answer = req.url === '/v1/api_versions' ? { body: { versions } } : handler(req, body);
      res.statusCode = answer.status ?? 200;
      res.setHeader('content-type', 'application/json');
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const columns = [{ name: 'n', logicalType: { type: 'BIGINT', nullable: false } }, { name: 'd', logicalType: { type: 'DECIMAL', precision: 10, scale: 2 } }];
const page = (token: number, data: unknown[], eos = false): unknown =>
  eos ? { resultType: 'EOS', isQueryResult: true, resultKind: 'SUCCESS_WITH_CONTENT', results: { columns, data: [] } } : { resultType: 'PAYLOAD', isQueryResult: true, jobID: 'ab'.repeat(16), results: { columns, rowFormat: 'JSON', data }, nextResultUri: `/v4/sessions/${S}/operations/${O}/result/${token + 1}?rowFormat=JSON` };

describe('SqlGatewayClient', () => {
  it('negotiates the newest common version and sends every call under it', async () => {
    const { url, seen } = await gateway(() => ({ body: { productName: 'Apache Flink', version: '2.3.0' } }), ['V1', 'V2']);
    client = new SqlGatewayClient({ url });
    expect(await client.apiVersion()).toBe(2);
    expect((await client.info()).version).toBe('2.3.0');
    expect(seen).toContain('GET /v2/info');
  });

  it('refuses a pinned version the gateway does not speak, and v2+ calls on a v1 gateway', async () => {
    const { url } = await gateway((req) => (req.url === '/v1/sessions' ? { body: { sessionHandle: S } } : { body: { productName: 'Apache Flink', version: '1.16.0' } }), ['V1']);
    const pinned = new SqlGatewayClient({ url, apiVersion: 3 });
    await expect(pinned.info()).rejects.toBeInstanceOf(UnsupportedFeatureError);
    await pinned.close();
    client = new SqlGatewayClient({ url });
    const session = await client.openSession({ heartbeatIntervalMs: Infinity });
    await expect(session.configure('CREATE TABLE t (a INT)')).rejects.toBeInstanceOf(UnsupportedFeatureError);
    await expect(session.complete('SEL', 3)).rejects.toBeInstanceOf(UnsupportedFeatureError);
    expect(() => new SqlGatewayClient({ url, apiVersion: 7 as never })).toThrow(FlinkArgumentError);
  });

  it('pages by nextResultUri through NOT_READY and empty pages to EOS, typing exact numbers', async () => {
    let calls = 0;
    const { url } = await gateway((req) => {
      if (req.url?.endsWith('/statements')) return { body: { operationHandle: O } };
      const token = Number(/result\/(\d+)/.exec(req.url ?? '')?.[1]);
      if (token === 0 && calls++ < 3) return { body: { resultType: 'NOT_READY', nextResultUri: `/v4/sessions/${S}/operations/${O}/result/0?rowFormat=JSON` } };
      if (token === 0) return { body: page(0, []) };
      if (token === 1) return { body: `{"resultType":"PAYLOAD","isQueryResult":true,"results":{"columns":${JSON.stringify(columns)},"data":[{"kind":"INSERT","fields":[9007199254740993,12.10]},{"kind":"DELETE","fields":[1,2.5]}]},"nextResultUri":"/v4/sessions/${S}/operations/${O}/result/2?rowFormat=JSON"}` };
      return { body: page(2, [], true) };
    });
    client = new SqlGatewayClient({ url });
    const op = await client.session(S, { heartbeatIntervalMs: Infinity }).execute('SELECT n, d FROM t');
    expect(await op.jobId()).toBe('ab'.repeat(16));
    const rows = await op.collect();
    expect(rows).toEqual([
      { kind: 'INSERT', values: { n: 9007199254740993n, d: '12.10' } },
      { kind: 'DELETE', values: { n: 1n, d: '2.50' } },
    ]);
  });

  it('turns the 500 of a failed statement into SqlStatementError with the root cause and position', async () => {
    const trace = "<Exception on server side:\norg.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to fetchResults.\n\tat x.y(Z.java:1)\nCaused by: org.apache.flink.table.api.ValidationException: SQL validation failed. From line 1, column 15 to line 1, column 20: Object 'nosuch' not found\nCaused by: org.apache.calcite.sql.validate.SqlValidatorException: Object 'nosuch' not found\n\nEnd of exception on server side>";
    const { url } = await gateway((req) => (req.url?.endsWith('/statements') ? { body: { operationHandle: O } } : req.method === 'DELETE' ? { body: { status: 'CLOSED' } } : { status: 500, body: { errors: ['Internal server error.', trace] } }));
    client = new SqlGatewayClient({ url });
    const op = await client.session(S, { heartbeatIntervalMs: Infinity }).execute('SELECT * FROM nosuch');
    const err = (await op.collect().catch((e: unknown) => e)) as SqlStatementError;
    expect(err).toBeInstanceOf(SqlStatementError);
    expect(err.code).toBe('FLINK_SQL_STATEMENT_FAILED');
    expect(err.message).toContain("SqlValidatorException: Object 'nosuch' not found");
    expect(err.position).toBe('From line 1, column 15 to line 1, column 20');
  });

  it('refuses a nextResultUri that names another operation', async () => {
    const { url } = await gateway((req) => (req.url?.endsWith('/statements') ? { body: { operationHandle: O } } : req.method === 'DELETE' ? { body: { status: 'CLOSED' } } : { body: { resultType: 'PAYLOAD', results: { columns, data: [] }, nextResultUri: `/v4/sessions/${S}/operations/${S}/result/1` } }));
    client = new SqlGatewayClient({ url });
    const op = await client.session(S, { heartbeatIntervalMs: Infinity }).execute('SELECT 1');
    await expect(op.collect()).rejects.toSatisfy((e) => isFlinkError(e, 'FLINK_VALIDATION_ERROR'));
  });

  it('heartbeats open sessions by itself; close() closes them on the gateway', async () => {
    const { url, seen } = await gateway((req) => (req.url === '/v4/sessions' ? { body: { sessionHandle: S } } : { body: {} }));
    client = new SqlGatewayClient({ url });
    const session = await client.openSession({ heartbeatIntervalMs: 100 });
    // Two beats prove the heartbeat schedules itself again after each one.
    await new Promise<void>((resolve) => {
      const check = (e: { path: string }): void => {
        if (e.path.endsWith('/heartbeat') && seen.filter((s) => s.endsWith('/heartbeat')).length >= 2) {
          client?.off('response', check);
          resolve();
        }
      };
      client?.on('response', check);
    });
    await client.close();
    expect(session.closed).toBe(true);
    expect(seen).toContain(`DELETE /v4/sessions/${S}`);
    await expect(session.heartbeat()).rejects.toSatisfy((e) => isFlinkError(e, 'FLINK_CLIENT_CLOSED'));
  });

  it('reads the next page ahead while the rows of the current one are read; pages() hands out whole pages', async () => {
    const { url, seen } = await gateway((req) => {
      if (req.url?.endsWith('/statements')) return { body: { operationHandle: O } };
      const token = Number(/result\/(\d+)/.exec(req.url ?? '')?.[1]);
      return { body: token < 3 ? page(token, [{ kind: 'INSERT', fields: [token * 2, 1] }, { kind: 'INSERT', fields: [token * 2 + 1, 1] }]) : page(3, [], true) };
    });
    client = new SqlGatewayClient({ url });
    const session = client.session(S, { heartbeatIntervalMs: Infinity });
    const fetched = (): string[] => seen.filter((r) => r.includes('/result/')).map((r) => r.replace(/.*\/result\/(\d+).*/, '$1'));
    const it = (await session.execute('SELECT n, d FROM t'))[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual({ kind: 'INSERT', values: { n: 0n, d: '1.00' } });
    // Page 1 is asked for while row 2 of page 0 has not been read yet.
    await vi.waitFor(() => expect(fetched()).toEqual(['0', '1']), { timeout: 10_000 });
    const rest: bigint[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value.values.n as bigint);
    expect(rest).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(fetched()).toEqual(['0', '1', '2', '3']);

    const pages: bigint[][] = [];
    for await (const p of (await session.execute('SELECT n, d FROM t')).pages()) pages.push(p.map((r) => r.values.n as bigint));
    expect(pages).toEqual([
      [0n, 1n],
      [2n, 3n],
      [4n, 5n],
    ]);
  });

  it('a failure of the page read ahead surfaces after the rows before it; leaving early aborts the read-ahead and closes', async () => {
    const held: (() => void)[] = [];
    let aborted = 0;
    let statements = 0;
    const H = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
    const seen: string[] = [];
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const send = (status: number, body: unknown): void => {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body));
      };
      if (req.url === '/v1/api_versions') return send(200, { versions: ['V4'] });
      if (req.url?.endsWith('/statements')) return send(200, { operationHandle: statements++ === 0 ? O : H });
      if (req.method === 'DELETE') return send(200, { status: 'CLOSED' });
      const token = Number(/result\/(\d+)/.exec(req.url ?? '')?.[1]);
      if (token === 0) return send(200, { ...(page(0, [{ kind: 'INSERT', fields: [1, 1] }, { kind: 'INSERT', fields: [2, 1] }]) as object), nextResultUri: req.url?.replace('/result/0', '/result/1') });
      if (req.url?.includes(`/operations/${O}/`)) return send(500, { errors: ['Internal server error.', '<Exception on server side:\nCaused by: java.lang.RuntimeException: the source failed\n\nEnd of exception on server side>'] });
      // The other operation's page 1 is held until the test lets go.
      res.on('close', () => {
        if (!res.writableEnded) aborted++;
      });
      held.push(() => send(200, page(1, [], true)));
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    client = new SqlGatewayClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, maxRetries: 0 });
    const session = client.session(S, { heartbeatIntervalMs: Infinity });

    const got: number[] = [];
    const failed = await (async () => {
      for await (const row of await session.execute('SELECT n, d FROM t')) got.push(Number(row.values.n));
    })().catch((e: unknown) => e);
    expect(got).toEqual([1, 2]);
    expect(failed).toBeInstanceOf(SqlStatementError);
    expect((failed as SqlStatementError).message).toContain('the source failed');

    const op = await session.execute('SELECT hold');
    for await (const row of op) {
      expect(row.values.n).toBe(1n);
      await vi.waitFor(() => expect(held).toHaveLength(1), { timeout: 10_000 });
      break;
    }
    expect(seen.at(-1)).toBe(`DELETE /v4/sessions/${S}/operations/${H}/close`);
    await vi.waitFor(() => expect(aborted).toBe(1), { timeout: 10_000 });
    for (const release of held) release();
  });
});
