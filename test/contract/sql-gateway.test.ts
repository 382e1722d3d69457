import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSqlGatewayDescriptor, SqlGatewayClient, SqlStatementError } from 'flink-client';
import { createSqlGatewaySimulator, type SqlGatewaySimulator } from 'flink-client/testing';
import { provisionSqlGateway } from '../../scripts/provision-flink.mjs';
import { realClusters } from '../integration/support.js';
import { causedBy, errorSummary, keyPaths, normalizeText } from './observe.js';
import type { RawAnswer } from './targets.js';

/**
 * The SQL Gateway contract: the protocol scenarios (open, execute, page, NOT_READY, EOS, cancel,
 * close, errors) run against a real gateway (next to the global setup's session cluster) and the
 * SQL Gateway simulator at the same time; their observations (shapes, statuses, error classes,
 * root causes; no ids, tokens or timings) must be equal. The simulator is given the statements
 * the real gateway computes (registered with their columns and rows); unknown tables, parse
 * errors and DDL are its own defaults. Versions without a published gateway jar (1.20.5) have no
 * gateway to compare with.
 */

const versions: string[] = [];
for (const cluster of realClusters()) {
  if (await provisionSqlGateway({ flinkHome: cluster.flinkHome, version: cluster.version })) versions.push(cluster.version);
}

interface GatewayTarget {
  readonly label: string;
  readonly client: SqlGatewayClient;
  raw(method: string, path: string, body?: unknown): Promise<RawAnswer>;
}

const VALUES = "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(i, s)";
const BATCH = { 'execution.runtime-mode': 'batch' };

/** What the simulator must know to answer like the real gateway computes. */
function registerStatements(sim: SqlGatewaySimulator): void {
  sim.statements.register(VALUES, { columns: { i: 'INT NOT NULL', s: 'CHAR(1) NOT NULL' }, rows: [[1, 'a'], [2, 'b']] });
  // A streaming query that has not produced rows yet when it is cancelled.
  sim.statements.register('SELECT k FROM contract_gen', { columns: { k: 'INT' }, rows: [], notReadyMs: 60_000, continuous: true });
  sim.statements.register('SELECT k, COUNT(*) AS c FROM contract_gen GROUP BY k', {
    columns: { k: 'INT', c: 'BIGINT NOT NULL' },
    rows: [
      { kind: 'INSERT', values: [1, 1n] },
      { kind: 'INSERT', values: [2, 1n] },
      { kind: 'UPDATE_BEFORE', values: [1, 1n] },
      { kind: 'UPDATE_AFTER', values: [1, 2n] },
    ],
    rowIntervalMs: 50,
    continuous: true,
  });
}

function target(label: string, url: string): GatewayTarget {
  return {
    label,
    client: new SqlGatewayClient({ url, validation: 'strict', retry: { initialDelayMs: 20, maxDelayMs: 200 } }),
    raw: async (method, path, body) => {
      const res = await request(`${url}${path}`, { method: method as 'GET', body: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'content-type': 'application/json' } });
      const text = await res.body.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // keep the text
      }
      const type = res.headers['content-type'];
      return { status: res.statusCode, contentType: typeof type === 'string' ? type : null, cors: 'access-control-allow-origin' in res.headers, body: parsed };
    },
  };
}

/** The message of the innermost `Caused by:` of an error body, ids replaced. */
function rootMessage(answer: RawAnswer): string | undefined {
  const errors = (answer.body as { errors?: string[] }).errors ?? [];
  const trace = errors[errors.length - 1] ?? '';
  const lines = trace.split('\n').filter((l) => l.startsWith('Caused by: '));
  const last = lines[lines.length - 1];
  return last === undefined ? undefined : normalizeText(last.replace(/^Caused by: [\w.$]+: /, ''));
}

/** Polls without sleeping longer than a page fetch: the real gateway paces NOT_READY itself. */
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

async function openSession(t: GatewayTarget, properties: Record<string, string> = {}): Promise<string> {
  const answer = await t.raw('POST', '/v4/sessions', { properties });
  return (answer.body as { sessionHandle: string }).sessionHandle;
}

async function execute(t: GatewayTarget, session: string, statement: string): Promise<string> {
  const answer = await t.raw('POST', `/v4/sessions/${session}/statements`, { statement });
  expect(answer.status).toBe(200);
  return (answer.body as { operationHandle: string }).operationHandle;
}

/** Fetches until EOS or an error: every answer, in order (at most `max`). */
async function fetchAll(t: GatewayTarget, session: string, op: string, max = 3_000): Promise<RawAnswer[]> {
  const answers: RawAnswer[] = [];
  let uri: string | undefined = `/v4/sessions/${session}/operations/${op}/result/0?rowFormat=JSON`;
  while (uri && answers.length < max) {
    const answer = await t.raw('GET', uri);
    answers.push(answer);
    if (answer.status !== 200) break;
    const body = answer.body as { resultType: string; nextResultUri?: string };
    if (body.resultType === 'NOT_READY') await tick();
    uri = body.nextResultUri;
  }
  return answers;
}

const tokenOf = (uri: string | undefined): number => Number(/\/result\/(\d+)/.exec(uri ?? '')?.[1] ?? -1);

describe.each(versions)('SQL Gateway contract on Flink %s', (version) => {
  let local: LocalSqlGatewayDescriptor;
  let sim: SqlGatewaySimulator;
  let real: GatewayTarget;
  let simulated: GatewayTarget;

  beforeAll(async () => {
    const cluster = realClusters().find((c) => c.version === version);
    if (!cluster) throw new Error(`no real Flink ${version} cluster`);
    local = new LocalSqlGatewayDescriptor({ flinkHome: cluster.flinkHome, clusterUrl: cluster.url, configuration: { 'parallelism.default': '1' } });
    const [, started] = await Promise.all([local.deploy(), createSqlGatewaySimulator({ flinkVersion: version })]);
    sim = started;
    registerStatements(sim);
    real = target(`gateway ${version}`, local.url as string);
    simulated = target(`simulator ${version}`, sim.url);
  });

  afterAll(async () => {
    await Promise.allSettled([real?.client.close(), simulated?.client.close()]);
    await local?.shutdown();
    await sim?.close();
  });

  function scenario<T>(name: string, run: (t: GatewayTarget) => Promise<T>, timeoutMs = 120_000): void {
    it(
      name,
      async () => {
        const settled = await Promise.allSettled([run(real), run(simulated)]);
        const failed = settled.map((s, i) => (s.status === 'rejected' ? `[${i === 0 ? real.label : simulated.label}] ${(s.reason as Error)?.stack ?? String(s.reason)}` : undefined)).filter(Boolean);
        if (failed.length > 0) throw new Error(failed.join('\n'));
        const [r, s] = settled.map((x) => (x as PromiseFulfilledResult<T>).value);
        expect(s, `the simulator must answer like the real ${version} gateway`).toEqual(r);
      },
      timeoutMs,
    );
  }

  scenario('versions, info, and a session: open, config, heartbeat, close, and what follows a close', async (t) => {
    const versionsBody = (await t.raw('GET', '/v1/api_versions')).body;
    const info = (await t.raw('GET', '/info')).body as Record<string, unknown>;
    const opened = await t.raw('POST', '/v4/sessions', { sessionName: 'contract', properties: { 'table.local-time-zone': 'UTC', 'pipeline.name': 'contract' } });
    const handle = (opened.body as { sessionHandle: string }).sessionHandle;
    const config = (await t.raw('GET', `/v4/sessions/${handle}`)).body as { properties: Record<string, string> };
    const heartbeat = await t.raw('POST', `/v4/sessions/${handle}/heartbeat`);
    const closed = await t.raw('DELETE', `/v4/sessions/${handle}`);
    return {
      versions: versionsBody,
      info: { keys: Object.keys(info).sort(), productName: info.productName, version: info.version },
      open: { status: opened.status, keys: keyPaths(opened.body), uuid: /^[0-9a-f-]{36}$/.test(handle) },
      config: { keys: keyPaths(config, { opaque: ['properties'] }), zone: config.properties['table.local-time-zone'], name: config.properties['pipeline.name'], target: config.properties['execution.target'] },
      heartbeat: { status: heartbeat.status, body: heartbeat.body },
      close: { status: closed.status, body: closed.body },
      closeAgain: errorSummary(await t.raw('DELETE', `/v4/sessions/${handle}`)),
      heartbeatClosed: errorSummary(await t.raw('POST', `/v4/sessions/${handle}/heartbeat`)),
      configClosed: errorSummary(await t.raw('GET', `/v4/sessions/${handle}`)),
      badHandle: errorSummary(await t.raw('GET', '/v4/sessions/not-a-uuid')),
      unknownRoute: { status: (await t.raw('GET', '/v4/nosuch')).status },
    };
  });

  scenario('execute, NOT_READY to the same token, PAYLOAD pages by nextResultUri, EOS (raw wire)', async (t) => {
    const session = await openSession(t, BATCH);
    const op = await execute(t, session, VALUES);
    const answers = await fetchAll(t, session, op);
    const bodies = answers.map((a) => a.body as { resultType: string; nextResultUri?: string; results?: { data: unknown[]; columns: unknown } });
    const kinds: string[] = [];
    for (const b of bodies) {
      // Empty PAYLOAD pages come and go with the job's start-up time on the real gateway.
      const kind = b.resultType === 'PAYLOAD' && (b.results?.data.length ?? 0) === 0 ? undefined : b.resultType;
      if (kind && kinds[kinds.length - 1] !== kind) kinds.push(kind);
    }
    const notReady = bodies.find((b) => b.resultType === 'NOT_READY');
    const payload = bodies.find((b) => b.resultType === 'PAYLOAD' && (b.results?.data.length ?? 0) > 0);
    const eos = bodies[bodies.length - 1];
    const uris = answers.map((_, i) => (i === 0 ? 0 : tokenOf(bodies[i - 1]?.nextResultUri)));
    const lastToken = uris[uris.length - 1] ?? 0;
    const status = (await t.raw('GET', `/v4/sessions/${session}/operations/${op}/status`)).body;
    const badToken = await t.raw('GET', `/v4/sessions/${session}/operations/${op}/result/${lastToken + 5}?rowFormat=JSON`);
    const badFormat = await t.raw('GET', `/v4/sessions/${session}/operations/${op}/result/0?rowFormat=XML`);
    await t.raw('DELETE', `/v4/sessions/${session}`);
    return {
      statuses: [...new Set(answers.map((a) => a.status))],
      contentType: answers[0]?.contentType,
      kinds,
      notReady: { keys: Object.keys(notReady ?? {}).sort(), sameToken: tokenOf(notReady?.nextResultUri) === 0 },
      payload: { keys: Object.keys(payload ?? {}), paths: keyPaths(payload), columns: payload?.results?.columns, data: [...(payload?.results?.data ?? [])].map((d) => JSON.stringify(d)).sort() },
      tokensAdvance: bodies.every((b, i) => b.resultType !== 'PAYLOAD' || tokenOf(b.nextResultUri) === (uris[i] ?? 0) + 1 || tokenOf(b.nextResultUri) > (uris[i] ?? 0)),
      eos: { keys: Object.keys(eos ?? {}), paths: keyPaths(eos), data: eos?.results?.data },
      status,
      badToken: { ...errorSummary(badToken), root: rootMessage(badToken)?.replace(/\d+/g, 'N') },
      badFormat: errorSummary(badFormat),
    };
  });

  scenario('the SDK: typed rows, columns, job id and status through SqlGatewayClient', async (t) => {
    const session = await t.client.openSession({ properties: BATCH, heartbeatIntervalMs: Infinity });
    const op = await session.execute(VALUES);
    const columns = await op.columns();
    const rows = await op.collect();
    const jobId = await op.jobId();
    const status = await op.status();
    await op.close();
    await session.close();
    return { columns, rows: rows.sort((a, b) => Number(a.values.i) - Number(b.values.i)), job: /^[0-9a-f]{32}$/.test(jobId ?? ''), status };
  });

  scenario('cancel: a running statement is CANCELED (its fetch refused), a FINISHED one is refused; close, close again, status after close', async (t) => {
    const session = await openSession(t);
    const create = await t.raw('POST', `/v4/sessions/${session}/configure-session`, { statement: "CREATE TABLE contract_gen (k INT) WITH ('connector' = 'datagen', 'rows-per-second' = '5')" });
    const running = await execute(t, session, 'SELECT k FROM contract_gen');
    const cancel = await t.raw('POST', `/v4/sessions/${session}/operations/${running}/cancel`);
    const canceledStatus = (await t.raw('GET', `/v4/sessions/${session}/operations/${running}/status`)).body;
    const canceledFetch = await t.raw('GET', `/v4/sessions/${session}/operations/${running}/result/0?rowFormat=JSON`);

    const batch = await openSession(t, BATCH);
    const done = await execute(t, batch, VALUES);
    await fetchAll(t, batch, done);
    const finishedCancel = await t.raw('POST', `/v4/sessions/${batch}/operations/${done}/cancel`);
    const close = await t.raw('DELETE', `/v4/sessions/${batch}/operations/${done}/close`);
    const closeAgain = await t.raw('DELETE', `/v4/sessions/${batch}/operations/${done}/close`);
    const statusAfter = await t.raw('GET', `/v4/sessions/${batch}/operations/${done}/status`);
    const fetchAfter = await t.raw('GET', `/v4/sessions/${batch}/operations/${done}/result/0?rowFormat=JSON`);
    await t.raw('DELETE', `/v4/sessions/${session}`);
    await t.raw('DELETE', `/v4/sessions/${batch}`);
    return {
      create: { status: create.status, body: create.body },
      cancel: { status: cancel.status, body: cancel.body },
      canceledStatus,
      canceledFetch: { ...errorSummary(canceledFetch), root: rootMessage(canceledFetch) },
      finishedCancel: { ...errorSummary(finishedCancel), root: rootMessage(finishedCancel) },
      close: { status: close.status, body: close.body },
      closeAgain: { status: closeAgain.status, body: closeAgain.body },
      statusAfter: { ...errorSummary(statusAfter), root: rootMessage(statusAfter) },
      fetchAfter: { ...errorSummary(fetchAfter), root: rootMessage(fetchAfter) },
    };
  });

  scenario('errors: an unknown table and a parse error fail on the fetch (500, SQL root cause, status ERROR); configure-session refuses at once', async (t) => {
    const session = await openSession(t);
    const observe = async (statement: string) => {
      const op = await execute(t, session, statement);
      const answers = await fetchAll(t, session, op);
      const last = answers[answers.length - 1] as RawAnswer;
      const status = (await t.raw('GET', `/v4/sessions/${session}/operations/${op}/status`)).body;
      return { before: [...new Set(answers.slice(0, -1).map((a) => (a.body as { resultType: string }).resultType))], error: { ...errorSummary(last), root: rootMessage(last) }, status };
    };
    const unknown = await observe('SELECT * FROM nosuch_table');
    const parse = await observe('SELECT * FROM WHERE');
    const configure = await t.raw('POST', `/v4/sessions/${session}/configure-session`, { statement: 'SELECT * FROM nosuch' });
    const sdkSession = t.client.session(session, { heartbeatIntervalMs: Infinity });
    const err = (await (await sdkSession.execute('SELECT * FROM nosuch_table')).collect().catch((e: unknown) => e)) as SqlStatementError;
    await t.raw('DELETE', `/v4/sessions/${session}`);
    return {
      unknown,
      parse,
      configure: { ...errorSummary(configure), root: rootMessage(configure) },
      sdk: { type: err instanceof SqlStatementError, root: err.rootCause, position: err.position, causes: causedBy(err.errors[err.errors.length - 1] ?? '') },
    };
  });

  scenario('unknown sessions and operations', async (t) => {
    const nobody = '7a0f0b06-1111-4222-8333-944455556666';
    const session = await openSession(t);
    const answers = {
      config: await t.raw('GET', `/v4/sessions/${nobody}`),
      execute: await t.raw('POST', `/v4/sessions/${nobody}/statements`, { statement: 'SELECT 1' }),
      status: await t.raw('GET', `/v4/sessions/${session}/operations/${nobody}/status`),
      fetch: await t.raw('GET', `/v4/sessions/${session}/operations/${nobody}/result/0?rowFormat=JSON`),
    };
    const close = await t.raw('DELETE', `/v4/sessions/${session}/operations/${nobody}/close`);
    await t.raw('DELETE', `/v4/sessions/${session}`);
    return { ...Object.fromEntries(Object.entries(answers).map(([k, a]) => [k, { status: a.status, head: errorSummary(a).errors.map((e) => e.head), root: rootMessage(a) }])), close: { status: close.status, body: close.body } };
  });

  scenario('a continuous query streams its changelog (INSERT, then UPDATE_BEFORE/UPDATE_AFTER) until break closes it', async (t) => {
    const session = await t.client.openSession({ heartbeatIntervalMs: Infinity });
    await session.configure("CREATE TABLE contract_gen (k INT) WITH ('connector' = 'datagen', 'rows-per-second' = '20', 'fields.k.min' = '1', 'fields.k.max' = '2')");
    const op = await session.execute('SELECT k, COUNT(*) AS c FROM contract_gen GROUP BY k');
    const kinds: string[] = [];
    let count: unknown;
    for await (const row of op) {
      if (kinds[kinds.length - 1] !== row.kind) kinds.push(row.kind);
      count = row.values.c;
      if (row.kind === 'UPDATE_AFTER') break;
    }
    const after = await op.status().catch((e: unknown) => (e as Error).message.includes('Can not find the submitted operation'));
    await session.close();
    return { first: kinds[0], sawUpdateBefore: kinds.includes('UPDATE_BEFORE'), last: kinds[kinds.length - 1], count: typeof count, closedAfterBreak: after };
  }, 180_000);
});
