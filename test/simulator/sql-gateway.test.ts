import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { isFlinkError, SqlGatewayClient, SqlStatementError } from 'flink-client';
import { createSqlGatewaySimulator, type SqlGatewaySimulator } from 'flink-client/testing';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.close();
});

async function setup(options: Parameters<typeof createSqlGatewaySimulator>[0] = {}): Promise<{ sim: SqlGatewaySimulator; gateway: SqlGatewayClient }> {
  const sim = await createSqlGatewaySimulator({ seed: 7, ...options });
  open.push(sim);
  const gateway = new SqlGatewayClient({ url: sim.url, retry: { initialDelayMs: 5, maxDelayMs: 20 } });
  open.push(gateway);
  return { sim, gateway };
}

/**
 * Advances a virtual clock by `stepMs` after each request the simulator answered, until `done`
 * settles: simulated time moves with the client's polls, never ahead of them (a clock run freely
 * would outrun the client's real-time backoff and expire its session).
 */
async function driveClock<T>(sim: SqlGatewaySimulator, stepMs: number, done: Promise<T>): Promise<T> {
  let settled = false;
  const result = done.finally(() => {
    settled = true;
  });
  let seen = sim.requests.length;
  while (!settled) {
    const now = sim.requests.length;
    if (now > seen) {
      seen = now;
      await sim.clock.runFor(stepMs);
    } else {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  return result;
}

describe('SQL Gateway simulator through SqlGatewayClient', () => {
  it('negotiates v4 and reports info()', async () => {
    const { gateway } = await setup({ flinkVersion: '2.3.0' });
    expect(await gateway.apiVersion()).toBe(4);
    expect(await gateway.info()).toEqual({ productName: 'Apache Flink', version: '2.3.0' });
  });

  it('types every column of a registered bounded result', async () => {
    const { sim, gateway } = await setup();
    sim.statements.register('SELECT * FROM everything', {
      columns: [
        { name: 't', type: 'TINYINT' },
        { name: 'i', type: 'INT NOT NULL' },
        { name: 'b', type: 'BIGINT' },
        { name: 'd', type: 'DECIMAL(10, 2)' },
        { name: 'dbl', type: 'DOUBLE' },
        { name: 'bo', type: 'BOOLEAN' },
        { name: 's', type: 'STRING' },
        { name: 'bin', type: 'BYTES' },
        { name: 'ts', type: 'TIMESTAMP(3)' },
        { name: 'arr', type: 'ARRAY<INT>' },
        { name: 'm', type: 'MAP<STRING, BIGINT>' },
        { name: 'r', type: 'ROW<a INT, b STRING>' },
        { name: 'n', type: 'INT' },
      ],
      rows: [[1, 2, 9007199254740993n, '12.1', 1.5, true, 'x', new Uint8Array([97, 98]), '2024-01-02 03:04:05.123', [1, 2], new Map([['k', 5n]]), { a: 1, b: 'z' }, null]],
    });
    const session = await gateway.openSession();
    const op = await session.execute('SELECT * FROM everything');
    expect((await op.columns()).map((c) => [c.name, c.logicalType.type])).toEqual([
      ['t', 'TINYINT'],
      ['i', 'INTEGER'],
      ['b', 'BIGINT'],
      ['d', 'DECIMAL'],
      ['dbl', 'DOUBLE'],
      ['bo', 'BOOLEAN'],
      ['s', 'VARCHAR'],
      ['bin', 'VARBINARY'],
      ['ts', 'TIMESTAMP_WITHOUT_TIME_ZONE'],
      ['arr', 'ARRAY'],
      ['m', 'MAP'],
      ['r', 'ROW'],
      ['n', 'INTEGER'],
    ]);
    const [row] = await op.collect();
    expect(row?.kind).toBe('INSERT');
    expect(row?.values).toEqual({
      t: 1,
      i: 2,
      b: 9007199254740993n,
      d: '12.10',
      dbl: 1.5,
      bo: true,
      s: 'x',
      bin: new Uint8Array([97, 98]),
      ts: '2024-01-02 03:04:05.123',
      arr: [1, 2],
      m: new Map([['k', 5n]]),
      r: { a: 1, b: 'z' },
      n: null,
    });
    expect(await op.jobId()).toMatch(/^[0-9a-f]{32}$/);
    expect(await op.status()).toBe('FINISHED');
  });

  it('serves PLAIN_TEXT rows as Flink prints them', async () => {
    const { sim, gateway } = await setup();
    sim.statements.register(/^SELECT i, ok/, { columns: { i: 'INT', ok: 'BOOLEAN', n: 'STRING' }, rows: [[1, true, null]] });
    const session = await gateway.openSession();
    const rows = await (await session.execute('SELECT i, ok, n FROM t', { rowFormat: 'PLAIN_TEXT' })).collect();
    expect(rows).toEqual([{ kind: 'INSERT', values: { i: '1', ok: 'TRUE', n: 'NULL' } }]);
  });

  it('pages by nextResultUri: NOT_READY, PAYLOAD pages of pageSize, then EOS', async () => {
    const { sim, gateway } = await setup();
    const rows = Array.from({ length: 25 }, (_, i) => [i]);
    sim.statements.register('SELECT n FROM numbers', { columns: { n: 'INT' }, rows, pageSize: 10 });
    const session = await gateway.openSession();
    const op = await session.execute('SELECT n FROM numbers');
    const got: number[] = [];
    for await (const row of op) got.push(row.values.n as number);
    expect(got).toEqual(rows.map(([n]) => n));
    const fetches = sim.requests.filter((r) => r.path.includes('/result/'));
    expect(fetches.map((r) => r.path.replace(/.*\/result\//, ''))).toEqual(['0', '0', '1', '2', '3']);
    // The raw wire: the first answer is NOT_READY to the same token.
    const op2 = await session.execute('SELECT n FROM numbers');
    const base = `${sim.url}/v4/sessions/${session.handle}/operations/${op2.handle}/result`;
    const first = (await (await request(`${base}/0?rowFormat=JSON`)).body.json()) as Record<string, unknown>;
    expect(first).toEqual({ resultType: 'NOT_READY', nextResultUri: `/v4/sessions/${session.handle}/operations/${op2.handle}/result/0?rowFormat=JSON` });
    const payload = (await (await request(`${base}/0?rowFormat=JSON`)).body.json()) as Record<string, unknown>;
    expect(Object.keys(payload)).toEqual(['resultType', 'isQueryResult', 'jobID', 'resultKind', 'results', 'nextResultUri']);
    expect(payload).toMatchObject({ resultType: 'PAYLOAD', isQueryResult: true, resultKind: 'SUCCESS_WITH_CONTENT', results: { rowFormat: 'JSON', columns: [{ name: 'n', logicalType: { type: 'INTEGER', nullable: true }, comment: null }] } });
    // The last page again (token - 1) is allowed, anything else is the gateway's token error.
    const again = (await (await request(`${base}/0?rowFormat=JSON`)).body.json()) as { results: { data: unknown[] } };
    expect(again.results.data).toHaveLength(10);
    const bad = await request(`${base}/7?rowFormat=JSON`);
    expect(bad.statusCode).toBe(500);
    expect(JSON.stringify(await bad.body.json())).toContain('Expecting token to be 1 or 0, but found 7.');
  });

  it('waits out notReadyMs on the virtual clock', async () => {
    const { sim, gateway } = await setup({ clock: 'virtual' });
    sim.statements.register('SELECT slow', { columns: { x: 'INT' }, rows: [[1]], notReadyMs: 5_000 });
    const session = await gateway.openSession({ heartbeatIntervalMs: Infinity });
    const op = await session.execute('SELECT slow');
    expect(await op.status()).toBe('RUNNING');
    const rows = await driveClock(sim, 1_000, op.collect());
    expect(rows).toEqual([{ kind: 'INSERT', values: { x: 1 } }]);
    expect(sim.clock.now() - (sim.requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(5_000);
  });

  it('streams a continuous changelog over simulated time until break, which closes the operation', async () => {
    const { sim, gateway } = await setup({ clock: 'virtual' });
    sim.statements.register(/GROUP BY k/, {
      columns: { k: 'INT', c: 'BIGINT NOT NULL' },
      rows: [
        { kind: 'INSERT', values: [1, 1n] },
        { kind: 'UPDATE_BEFORE', values: [1, 1n] },
        { kind: 'UPDATE_AFTER', values: [1, 2n] },
        { kind: 'DELETE', values: [1, 2n] },
      ],
      rowIntervalMs: 100,
      continuous: true,
    });
    const session = await gateway.openSession({ heartbeatIntervalMs: Infinity });
    const op = await session.execute('SELECT k, COUNT(*) AS c FROM gen GROUP BY k');
    const read = (async () => {
      const seen: string[] = [];
      for await (const row of op) {
        seen.push(`${row.kind}:${String(row.values.c)}`);
        if (seen.length === 4) break;
      }
      return seen;
    })();
    expect(await driveClock(sim, 50, read)).toEqual(['INSERT:1', 'UPDATE_BEFORE:1', 'UPDATE_AFTER:2', 'DELETE:2']);
    expect(sim.sessions[0]?.operations).toEqual([]);
  });

  it('fails a statement with Flink’s error shape: SqlStatementError with the root cause, status ERROR', async () => {
    const { sim, gateway } = await setup();
    sim.statements.register(/FROM broken/, { error: { className: 'org.apache.flink.table.api.TableException', message: 'Sink does not support consuming update changes' } });
    const session = await gateway.openSession();
    const op = await session.execute('SELECT * FROM broken');
    const err = (await op.collect().catch((e: unknown) => e)) as SqlStatementError;
    expect(err).toBeInstanceOf(SqlStatementError);
    expect(err.rootCause).toEqual({ className: 'org.apache.flink.table.api.TableException', message: 'Sink does not support consuming update changes' });
    expect(err.message).toMatch(/^SQL statement failed: org.apache.flink.table.api.TableException: Sink does not support/);
    const raw = await session.execute('SELECT * FROM broken');
    expect(await raw.status()).toBe('ERROR');
  });

  it('answers an unregistered statement like the real gateway answers an unknown table, with its position', async () => {
    const { gateway } = await setup();
    const session = await gateway.openSession();
    const err = (await (await session.execute('SELECT * FROM nosuch_table')).collect().catch((e: unknown) => e)) as SqlStatementError;
    expect(err).toBeInstanceOf(SqlStatementError);
    expect(err.rootCause).toEqual({ className: 'org.apache.calcite.sql.validate.SqlValidatorException', message: "Object 'nosuch_table' not found" });
    expect(err.position).toBe('From line 1, column 15 to line 1, column 26');
  });

  it('remembers DDL: CREATE TABLE, SHOW TABLES, SET, completion; configure() refuses an unknown table', async () => {
    const { gateway } = await setup();
    const session = await gateway.openSession({ name: 'ddl', properties: { 'table.local-time-zone': 'UTC' } });
    await session.configure("CREATE TABLE orders (id INT) WITH ('connector' = 'datagen')");
    await session.configure("SET 'pipeline.name' = 'reports'");
    const created = await (await session.execute('CREATE TABLE users (id INT)')).collect();
    expect(created).toEqual([{ kind: 'INSERT', values: { result: 'OK' } }]);
    expect((await (await session.execute('SHOW TABLES')).collect()).map((r) => r.values['table name'])).toEqual(['orders', 'users']);
    expect(await session.config()).toMatchObject({ 'table.local-time-zone': 'UTC', 'pipeline.name': 'reports', 'execution.target': 'remote' });
    expect(await session.complete('SELECT * FROM ord', 17)).toEqual(['ORDER', 'default_catalog.default_database.orders']);
    await expect(session.configure('SELECT * FROM nosuch')).rejects.toSatisfy((e) => isFlinkError(e) && /Object 'nosuch' not found/.test((e as Error).message + JSON.stringify((e as { errors?: unknown }).errors)));
  });

  it('cancels a running statement; a FINISHED one is closed instead; close is idempotent', async () => {
    const { sim, gateway } = await setup({ clock: 'virtual' });
    sim.statements.register('SELECT slow', { columns: { x: 'INT' }, rows: [[1]], notReadyMs: 60_000 });
    sim.statements.register('SELECT fast', { columns: { x: 'INT' }, rows: [[1]] });
    const session = await gateway.openSession({ heartbeatIntervalMs: Infinity });
    const slow = await session.execute('SELECT slow');
    expect(await slow.cancel()).toBe('CANCELED');
    expect(await slow.status()).toBe('CANCELED');
    await expect(slow.collect()).rejects.toThrow(/in CANCELED status/);
    const fast = await session.execute('SELECT fast');
    expect(await fast.cancel()).toBe('CLOSED');
    await expect(fast.status()).rejects.toThrow(/Can not find the submitted operation/);
    await fast.close();
  });

  it('expires an idle session on the virtual clock; heartbeats keep it alive', async () => {
    const { sim, gateway } = await setup({ clock: 'virtual', sessionIdleTimeoutMs: 60_000 });
    const kept = await gateway.openSession({ heartbeatIntervalMs: Infinity });
    const idle = await gateway.openSession({ heartbeatIntervalMs: Infinity });
    for (let i = 0; i < 3; i++) {
      sim.clock.advance(40_000);
      await kept.heartbeat();
    }
    expect(sim.sessions.map((s) => s.handle)).toEqual([kept.handle]);
    await expect(idle.config()).rejects.toThrow(/Session '.*' does not exist/);
    await kept.close();
    expect(sim.sessions).toEqual([]);
  });

  it('serves v3-only refresh and the v1 surface; v1 has no configure-session', async () => {
    const { sim } = await setup();
    const v3 = new SqlGatewayClient({ url: sim.url, apiVersion: 3 });
    open.push(v3);
    const s3 = await v3.openSession();
    await expect((await s3.refreshMaterializedTable('cat.db.mt')).collect()).rejects.toBeInstanceOf(SqlStatementError);
    const v1 = new SqlGatewayClient({ url: sim.url, apiVersion: 1 });
    open.push(v1);
    const s1 = await v1.openSession();
    await expect(s1.configure('SET x')).rejects.toThrow(/v2/);
    const raw = await request(`${sim.url}/v1/sessions/${s1.handle}/configure-session`, { method: 'POST', body: '{}' });
    expect(raw.statusCode).toBe(404);
    await raw.body.dump();
  });

  it('checks registrations at once', async () => {
    const { sim } = await setup();
    expect(() => sim.statements.register('x', { columns: { a: 'NOPE' } })).toThrow(/unknown type NOPE/);
    expect(() => sim.statements.register('x', { columns: { a: 'INT' }, rows: [[1, 2]] })).toThrow(/2 values for 1 columns/);
    expect(() => sim.statements.register('x', { columns: { a: 'BIGINT' }, rows: [[1.5]] })).toThrow(/no integer/);
    expect(() => sim.statements.register('x', { pageSize: 0 })).toThrow(RangeError);
    const handle = sim.statements.register(() => true, (text) => ({ columns: { echo: 'STRING' }, rows: [[text]] }));
    expect(handle.calls).toBe(0);
    handle.unregister();
  });
});
