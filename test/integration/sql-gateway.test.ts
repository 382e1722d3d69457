import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionSqlGateway } from '../../scripts/provision-flink.mjs';
import { ClusterClient, LocalSqlGatewayDescriptor, type SqlGatewayClient, SqlStatementError, type SqlRow, UnsupportedFeatureError, isFlinkError } from '../../src/index.js';
import { realClusters } from './support.js';
import { spawnCli } from '../cli/support.js';

// One gateway per Flink version, next to the version's shared session cluster. A version for which
// Maven Central publishes no flink-sql-gateway jar (1.20.5) gets no gateway tests: there is nothing
// to run them on (see README "SQL Gateway").
const targets = [];
for (const cluster of realClusters()) {
  const jar = await provisionSqlGateway({ flinkHome: cluster.flinkHome, version: cluster.version });
  if (jar) targets.push(cluster);
}

/** Waits for a row matching `ok` on an iterator, without sleeping: the gateway's pages pace it. */
async function firstRow(rows: AsyncIterable<SqlRow>, ok: (row: SqlRow) => boolean): Promise<SqlRow> {
  for await (const row of rows) if (ok(row)) return row;
  throw new Error('the result ended before a matching row');
}

describe.each(targets)('SQL Gateway on Flink $version', (target) => {
  let local: LocalSqlGatewayDescriptor;
  let gateway: SqlGatewayClient;
  let cluster: ClusterClient;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sql-gateway-test-'));
    local = new LocalSqlGatewayDescriptor({ flinkHome: target.flinkHome, clusterUrl: target.url, configuration: { 'parallelism.default': '1' } });
    gateway = await local.deploy();
    cluster = new ClusterClient({ url: target.url });
  });

  afterAll(async () => {
    await cluster?.close();
    await local?.shutdown();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('negotiates the newest REST API version and reports info()', async () => {
    expect(await gateway.apiVersion()).toBe(4);
    expect(await gateway.info()).toMatchObject({ productName: 'Apache Flink', version: target.version });
    const raw = await request(`${local.url}/v1/api_versions`);
    expect(await raw.body.json()).toEqual({ versions: ['V1', 'V2', 'V3', 'V4'] });
  });

  it('opens a session with a name and properties, configures it, completes statements and closes it', async () => {
    const session = await gateway.openSession({ name: 'it-session', properties: { 'table.local-time-zone': 'UTC', 'pipeline.name': 'it' } });
    expect((await session.config())['table.local-time-zone']).toBe('UTC');
    await session.configure("CREATE TABLE cfg_t (a INT) WITH ('connector' = 'datagen', 'number-of-rows' = '3')");
    const tables = await (await session.execute('SHOW TABLES')).collect();
    expect(tables.map((r) => Object.values(r.values)[0])).toContain('cfg_t');
    const candidates = await session.complete('SELECT * FROM cfg', 17);
    expect(Array.isArray(candidates)).toBe(true);
    await session.heartbeat();
    await session.close();
    expect(session.closed).toBe(true);
    const again = gateway.session(session.handle, { heartbeatIntervalMs: Infinity });
    await expect(again.config()).rejects.toSatisfy((e) => isFlinkError(e));
  });

  it('heartbeats an open session by itself and stops on close', async () => {
    const beats: string[] = [];
    const onRequest = (e: { path: string }): void => {
      if (e.path.endsWith('/heartbeat')) beats.push(e.path);
    };
    gateway.on('request', onRequest);
    try {
      const session = await gateway.openSession({ heartbeatIntervalMs: 100 });
      const mine = `/sessions/${session.handle}/heartbeat`;
      const clock = await gateway.openSession({ heartbeatIntervalMs: 100 });
      const ticks = (n: number, path: string): Promise<void> =>
        new Promise((resolve) => {
          const check = (): void => {
            if (beats.filter((b) => b === path).length >= n) {
              gateway.off('request', check);
              resolve();
            }
          };
          gateway.on('request', check);
        });
      await ticks(2, mine);
      await session.close();
      const seen = beats.filter((b) => b === mine).length;
      const clockPath = `/sessions/${clock.handle}/heartbeat`;
      await ticks(beats.filter((b) => b === clockPath).length + 3, clockPath);
      expect(beats.filter((b) => b === mine).length).toBe(seen);
      await clock.close();
    } finally {
      gateway.off('request', onRequest);
    }
  });

  it('types every column of a bounded result and pages to EOS', async () => {
    const session = await gateway.openSession({ properties: { 'execution.runtime-mode': 'batch', 'table.local-time-zone': 'UTC' } });
    const op = await session.execute(
      "SELECT CAST(1 AS TINYINT) t, 2 i, CAST(9007199254740993 AS BIGINT) b, CAST(12.10 AS DECIMAL(10,2)) d, CAST(1.5 AS DOUBLE) dbl, TRUE bo, 'x' s, CAST('ab' AS VARBINARY) bin, DATE '2024-01-02' dt, TIMESTAMP '2024-01-02 03:04:05.123' ts, ARRAY[1,2] arr, MAP['k', 1] m, ROW(1, 'a') r, CAST(NULL AS INT) n",
    );
    const columns = await op.columns();
    expect(columns.map((c) => c.name)).toEqual(['t', 'i', 'b', 'd', 'dbl', 'bo', 's', 'bin', 'dt', 'ts', 'arr', 'm', 'r', 'n']);
    const rows = await op.collect();
    expect(rows).toHaveLength(1);
    const [row] = rows as [SqlRow];
    expect(row.kind).toBe('INSERT');
    const v = row.values;
    expect(v.t).toBe(1);
    expect(v.i).toBe(2);
    expect(v.b).toBe(9007199254740993n);
    expect(v.d).toBe('12.10');
    expect(v.dbl).toBe(1.5);
    expect(v.bo).toBe(true);
    expect(v.s).toBe('x');
    expect(Buffer.from(v.bin as Uint8Array).toString()).toBe('ab');
    expect(v.dt).toBe('2024-01-02');
    expect(String(v.ts)).toMatch(/^2024-01-02[ T]03:04:05\.123/);
    expect(v.arr).toEqual([1, 2]);
    expect(v.m).toEqual(new Map([['k', 1]]));
    expect(v.r).toEqual({ EXPR$0: 1, EXPR$1: 'a' });
    expect(v.n).toBeNull();
    expect(await op.jobId()).toMatch(/^[0-9a-f]{32}$/);
    expect(await op.status()).toBe('FINISHED');
    await op.close();
    // The same paging a page per await: the rows in order, no empty page.
    const pages: number[][] = [];
    for await (const page of (await session.execute('SELECT n FROM (VALUES (1), (2), (3)) AS t(n)')).pages()) pages.push(page.map((r) => r.values.n as number));
    expect(pages.every((p) => p.length > 0)).toBe(true);
    expect(pages.flat()).toEqual([1, 2, 3]);
    await session.close();
  });

  it('answers with isQueryResult and results.columns, NOT_READY → PAYLOAD → EOS (wire observation)', async () => {
    const session = await gateway.openSession({ properties: { 'execution.runtime-mode': 'batch' } });
    const op = await session.execute('SELECT 1 AS x');
    const version = `/v${await gateway.apiVersion()}`;
    let uri: string | undefined = `${version}/sessions/${session.handle}/operations/${op.handle}/result/0?rowFormat=JSON`;
    const kinds: string[] = [];
    let payload: Record<string, unknown> | undefined;
    for (let i = 0; uri && i < 10_000; i++) {
      const res = await request(`${local.url}${uri}`);
      const body = (await res.body.json()) as Record<string, unknown> & { resultType: string; nextResultUri?: string };
      if (res.statusCode !== 200) throw new Error(`${uri} → ${res.statusCode}: ${(JSON.stringify(body).match(/Caused by: [^\\]*/g) ?? []).join(' | ')}`);
      if (kinds[kinds.length - 1] !== body.resultType) kinds.push(body.resultType);
      if (body.resultType === 'NOT_READY') {
        expect(Object.keys(body).sort()).toEqual(['nextResultUri', 'resultType']);
        expect(body.nextResultUri).toBe(uri);
        // The gateway paces this: the next call returns once it has more to say or its poll ends.
        await new Promise((r) => setImmediate(r));
      }
      if (body.resultType === 'PAYLOAD') payload ??= body;
      uri = body.nextResultUri;
    }
    expect(kinds[kinds.length - 1]).toBe('EOS');
    expect(kinds).toContain('PAYLOAD');
    expect(payload).toHaveProperty('isQueryResult', true);
    expect(payload).not.toHaveProperty('queryResult');
    expect(payload?.results).toHaveProperty('columns');
    expect(payload?.results).not.toHaveProperty('columnInfos');
    await session.close();
  });

  it('throws SqlStatementError with the SQL error line for an unknown table and a parse error', async () => {
    const session = await gateway.openSession();
    const unknown = await session.execute('SELECT * FROM nosuch_table');
    const err = await unknown.collect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqlStatementError);
    expect((err as SqlStatementError).message).toMatch(/nosuch_table/);
    expect((err as SqlStatementError).message).not.toMatch(/→ 500/);
    const parse = await session.execute('SELECT * FROM WHERE');
    const perr = (await parse.collect().catch((e: unknown) => e)) as SqlStatementError;
    expect(perr).toBeInstanceOf(SqlStatementError);
    expect(perr.message).toMatch(/WHERE/);
    expect(perr.position).toMatch(/line 1, column 15/);
    // The failed operation was closed by the iterator (nothing is left on the gateway).
    await expect(parse.status()).rejects.toSatisfy((e) => isFlinkError(e));
    await session.close();
  });

  it('streams a continuous query as a changelog until break, which closes the operation', async () => {
    const session = await gateway.openSession();
    await session.configure("CREATE TABLE gen (k INT) WITH ('connector' = 'datagen', 'rows-per-second' = '20', 'fields.k.min' = '1', 'fields.k.max' = '2')");
    const op = await session.execute('SELECT k, COUNT(*) AS c FROM gen GROUP BY k');
    const kinds = new Set<string>();
    const update = await firstRow(op, (row) => {
      kinds.add(row.kind);
      return row.kind === 'UPDATE_AFTER';
    });
    expect(kinds.has('INSERT')).toBe(true);
    expect(kinds.has('UPDATE_BEFORE')).toBe(true);
    expect(typeof update.values.c).toBe('bigint');
    await expect(op.status()).rejects.toSatisfy((e) => isFlinkError(e));
    await session.close();
  });

  it('cancels a running statement', async () => {
    const session = await gateway.openSession();
    await session.configure("CREATE TABLE gen2 (k INT) WITH ('connector' = 'datagen', 'rows-per-second' = '5')");
    // Cancelled at once, while the gateway still plans it: the operation ends CANCELED.
    const early = await session.execute('SELECT k FROM gen2');
    const status = await early.cancel();
    expect(['CANCELED', 'CLOSED']).toContain(status);
    // Once its job runs the gateway calls a query's operation FINISHED and refuses a cancel; the
    // handle closes it instead, which cancels the job.
    const op = await session.execute('SELECT k FROM gen2');
    const job = await op.job(cluster);
    expect(await op.status()).toBe('FINISHED');
    expect(await op.cancel()).toBe('CLOSED');
    await job?.waitFor('CANCELED', { timeoutMs: 60_000 });
    await session.close();
  });

  it('gives the job of an INSERT INTO as a JobClient that stops with a savepoint', async () => {
    const session = await gateway.openSession();
    await session.configure("CREATE TABLE src (k INT) WITH ('connector' = 'datagen', 'rows-per-second' = '5')");
    await session.configure("CREATE TABLE sink (k INT) WITH ('connector' = 'blackhole')");
    const op = await session.execute('INSERT INTO sink SELECT k FROM src');
    const job = await op.job(cluster);
    expect(job).toBeDefined();
    await job?.waitFor('RUNNING');
    const location = await (await job!.stopWithSavepoint({ targetDirectory: pathToFileURL(join(dir, 'sp')).href })).result();
    expect(location).toContain('savepoint-');
    expect(await job!.status()).toBe('FINISHED');
    await session.close();
  });

  it('refuses v3-only and v4 features where the wire has none, and reports the gateway’s answer', async () => {
    const session = await gateway.openSession();
    await expect(session.refreshMaterializedTable('default_catalog.default_database.mt')).rejects.toBeInstanceOf(UnsupportedFeatureError);
    const v3 = new (gateway.constructor as typeof SqlGatewayClient)({ url: local.url as string, apiVersion: 3 });
    try {
      const s3 = await v3.openSession();
      // No catalog here supports materialized tables: the gateway refuses the refresh itself.
      const refresh = await s3.refreshMaterializedTable('default_catalog.default_database.mt');
      await expect(refresh.collect()).rejects.toBeInstanceOf(SqlStatementError);
      await expect(s3.deployScript({ script: 'SELECT 1;' })).rejects.toBeInstanceOf(UnsupportedFeatureError);
      await s3.close();
    } finally {
      await v3.close();
    }
    // deployScript needs an application execution.target; against this session cluster the gateway refuses it.
    await expect(session.deployScript({ script: 'SELECT 1;' })).rejects.toSatisfy((e) => isFlinkError(e));
    await session.close();
  });
  it('flink-client sql: a bounded query as JSON; a continuous one as NDJSON until Ctrl-C cancels its job', async () => {
    const bounded = spawnCli(['-o', 'json', 'sql', '--gateway', local.url as string, '--set', 'execution.runtime-mode=batch', '-e', "SELECT 1 AS n, 'x' AS s"]);
    expect(await bounded.exited, bounded.stderr()).toBe(0);
    expect(JSON.parse(bounded.stdout())).toMatchObject({ columns: ['n', 's'], rows: [{ kind: 'INSERT', values: { n: 1, s: 'x' } }] });

    const script = join(dir, 'cli.sql');
    await writeFile(script, "CREATE TABLE cli_gen (k INT) WITH ('connector' = 'datagen', 'rows-per-second' = '5');\nSELECT k FROM cli_gen;\n");
    const streaming = spawnCli(['-o', 'ndjson', 'sql', '--gateway', local.url as string, '--set', 'pipeline.name=cli-ctrl-c', '-f', script]);
    await streaming.line(/"kind":"INSERT","values":\{"k":/, 120_000);
    streaming.process.kill('SIGINT');
    expect(await streaming.exited, streaming.stderr()).toBe(130);
    expect(streaming.stderr()).toMatch(/statement canceled/);
    const job = (await cluster.listJobs()).find((j) => j.name === 'cli-ctrl-c');
    expect(job, 'the query job').toBeDefined();
    await cluster.job(job!.jid).waitFor('CANCELED', { timeoutMs: 60_000 });
  }, 240_000);
});
