import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitStatements } from '../../src/cli/commands/sql.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { Capture } from './support.js';
import { sendJson, startStub, type Stub } from './stub-server.js';
import { generateTestPki, type TestPki } from '../support/tls.js';

// `sql` against a small loopback stub of the SQL Gateway (REST API v4; there is no gateway
// simulator yet): sessions, statements, result pages by nextResultUri, cancel and close.

const S = '11111111-2222-3333-4444-555555555555';
const handles = new Map<string, string>(); // operation handle → statement
let opened: Record<string, string> | undefined;
let dir: string;
let stub: Stub;
let tlsGateway: { url: string; close(): Promise<void> };
let pki: TestPki;
const authorizations: Array<string | undefined> = [];

const uuid = (n: number): string => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
const next = (o: string, token: number): string => `/v4/sessions/${S}/operations/${o}/result/${token}?rowFormat=JSON`;

/** The gateway stub's answers, over HTTP (startStub) and HTTPS (the TLS tests). */
function gateway(req: IncomingMessage, res: ServerResponse, url: URL): void {
    authorizations.push(req.headers.authorization);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const p = url.pathname;
      if (p === '/api_versions') return sendJson(res, { versions: ['V1', 'V2', 'V3', 'V4'] });
      if (p === '/v4/info') return sendJson(res, { productName: 'Apache Flink', version: '2.3.0' });
      if (p === '/v4/sessions' && req.method === 'POST') {
        opened = (JSON.parse(body) as { properties?: Record<string, string> }).properties ?? {};
        return sendJson(res, { sessionHandle: S });
      }
      if (p === `/v4/sessions/${S}` && req.method === 'DELETE') return sendJson(res, { status: 'CLOSED' });
      if (p === `/v4/sessions/${S}/heartbeat`) return sendJson(res, {});
      if (p === `/v4/sessions/${S}/statements`) {
        const o = uuid(handles.size + 1);
        handles.set(o, (JSON.parse(body) as { statement: string }).statement);
        return sendJson(res, { operationHandle: o });
      }
      const m = /^\/v4\/sessions\/[^/]+\/operations\/([^/]+)\/(result\/(\d+)|cancel|close|status)$/.exec(p);
      if (m) {
        const o = m[1] as string;
        const statement = handles.get(o) ?? '';
        if (m[2] === 'cancel') return sendJson(res, { status: 'CANCELED' });
        if (m[2] === 'close') return sendJson(res, { status: 'CLOSED' });
        if (m[2] === 'status') return sendJson(res, { status: 'RUNNING' });
        const token = Number(m[3]);
        if (/FROM endless/.test(statement)) return sendJson(res, { resultType: 'NOT_READY', nextResultUri: next(o, token) });
        if (/^CREATE/.test(statement)) {
          return sendJson(res, token === 0 ? { resultType: 'PAYLOAD', isQueryResult: false, resultKind: 'SUCCESS', results: { columns: [{ name: 'result', logicalType: { type: 'VARCHAR', nullable: true, length: 2147483647 } }], data: [{ kind: 'INSERT', fields: ['OK'] }] }, nextResultUri: next(o, 1) } : { resultType: 'EOS', results: { columns: [], data: [] } });
        }
        const columns = [{ name: 'k', logicalType: { type: 'INT', nullable: false } }, { name: 'n', logicalType: { type: 'BIGINT', nullable: false } }, { name: 's', logicalType: { type: 'VARCHAR', nullable: true, length: 10 } }];
        const pages = [
          [{ kind: 'INSERT', fields: [1, 1, 'a'] }, { kind: 'INSERT', fields: [2, 1, null] }],
          [{ kind: 'UPDATE_BEFORE', fields: [1, 1, 'a'] }, { kind: 'UPDATE_AFTER', fields: [1, 2, 'a'] }],
        ];
        if (token < pages.length) return sendJson(res, { resultType: 'PAYLOAD', isQueryResult: true, resultKind: 'SUCCESS_WITH_CONTENT', results: { columns, rowFormat: 'JSON', data: pages[token] }, nextResultUri: next(o, token + 1) });
        return sendJson(res, { resultType: 'EOS', isQueryResult: true, results: { columns, data: [] } });
      }
      return sendJson(res, { errors: ['Not found: ' + p] }, 404);
    });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flink-cli-sql-'));
  stub = await startStub(gateway);
  pki = generateTestPki();
  writeFileSync(join(dir, 'ca.pem'), pki.ca);
  const server = createHttpsServer({ cert: pki.serverCert, key: pki.serverKey }, (req, res) => gateway(req, res, new URL((req.url ?? '/').replace(/^\/v1(?=\/)/, ''), 'https://stub')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tlsGateway = {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
});
afterAll(async () => {
  await tlsGateway.close();
  await stub.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(argv: string[], interrupt = new AbortController().signal, env: Record<string, string> = {}): { stdout: Capture; stderr: Capture; code: Promise<number> } {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CliIo = { stdout, stderr, env: { FLINK_CLIENT_CONFIG: '/nonexistent/flink-client-test.json', ...env }, cwd: dir, interrupt };
  return { stdout, stderr, code: runCli(argv, io) };
}
async function run(argv: string[], env?: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = start(argv, undefined, env);
  const code = await r.code;
  return { code, stdout: r.stdout.text, stderr: r.stderr.text };
}

describe('sql', () => {
  it('runs a statement in a session with --set properties, prints a table with the changelog kinds, closes the session', async () => {
    const r = await run(['sql', '--gateway', stub.url, '-e', 'SELECT k, n, s FROM t', '--set', 'execution.runtime-mode=batch']);
    expect(r.code, r.stderr).toBe(0);
    expect(opened).toEqual({ 'execution.runtime-mode': 'batch' });
    expect(r.stdout.trim().split('\n')).toEqual(['KIND           k  n  s', 'INSERT         1  1  a', 'INSERT         2  1  NULL', 'UPDATE_BEFORE  1  1  a', 'UPDATE_AFTER   1  2  a']);
    expect(stub.requests).toContain(`DELETE /v4/sessions/${S}`);
  });

  it('-o ndjson streams one row with its kind per line; -o json one document; FLINK_SQL_GATEWAY_URL', async () => {
    const nd = await run(['-o', 'ndjson', 'sql', '-e', 'SELECT k, n, s FROM t'], { FLINK_SQL_GATEWAY_URL: stub.url });
    expect(nd.code, nd.stderr).toBe(0);
    expect(nd.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { kind: 'INSERT', values: { k: 1, n: 1, s: 'a' } },
      { kind: 'INSERT', values: { k: 2, n: 1, s: null } },
      { kind: 'UPDATE_BEFORE', values: { k: 1, n: 1, s: 'a' } },
      { kind: 'UPDATE_AFTER', values: { k: 1, n: 2, s: 'a' } },
    ]);
    const json = await run(['-o', 'json', 'sql', '--gateway', stub.url, '-e', 'SELECT k, n, s FROM t']);
    expect(JSON.parse(json.stdout)).toMatchObject({ statement: 'SELECT k, n, s FROM t', columns: ['k', 'n', 's'], rows: [{ kind: 'INSERT', values: { k: 1, n: 1, s: 'a' } }, {}, {}, {}] });
  });

  it('-f runs a script statement by statement (; inside quotes and comments kept apart)', async () => {
    const file = join(dir, 'setup.sql');
    writeFileSync(file, "-- tables; first\nCREATE TABLE t (s STRING) WITH ('connector' = 'datagen', 'x' = 'a;b');\n/* then; */ SELECT k, n, s FROM t;\n");
    const before = handles.size;
    const r = await run(['sql', '--gateway', stub.url, '-f', 'setup.sql']);
    expect(r.code, r.stderr).toBe(0);
    expect([...handles.values()].slice(before)).toEqual(["CREATE TABLE t (s STRING) WITH ('connector' = 'datagen', 'x' = 'a;b')", 'SELECT k, n, s FROM t']);
    expect(r.stdout).toMatch(/^result\nOK\n/);
    expect(splitStatements("SELECT 'it''s;'; ;\nSELECT 2")).toEqual(["SELECT 'it''s;'", 'SELECT 2']);
  });

  it('Ctrl-C cancels the running statement and closes the session: exit 130', async () => {
    const ctrlC = new AbortController();
    const polled = stub.next(/operations\/[^/]+\/result\/0/, 2);
    const r = start(['-o', 'ndjson', 'sql', '--gateway', stub.url, '-e', 'SELECT * FROM endless'], ctrlC.signal);
    await polled;
    const from = stub.requests.length;
    ctrlC.abort();
    expect(await r.code).toBe(130);
    const after = stub.requests.slice(from);
    expect(after.some((q) => /^POST .*\/operations\/[^/]+\/cancel$/.test(q))).toBe(true);
    expect(after).toContain(`DELETE /v4/sessions/${S}`);
    expect(r.stderr.text).toMatch(/statement canceled/);
  });

  it('sends the connection flags and variables to the gateway: bearer token, basic credentials (never printed)', async () => {
    authorizations.length = 0;
    const bearer = await run(['--token', 's3cr3t', '-o', 'json', 'sql', '--gateway', stub.url, '-e', 'SELECT k, n, s FROM t']);
    expect(bearer.code, bearer.stderr).toBe(0);
    expect(authorizations.length).toBeGreaterThan(2);
    expect(new Set(authorizations)).toEqual(new Set(['Bearer s3cr3t']));
    expect(bearer.stdout + bearer.stderr).not.toContain('s3cr3t');
    const refused = await run(['--token', 's3cr3t', '--verbose', 'sql', '--gateway', 'http://127.0.0.1:1', '-e', 'SELECT 1']);
    expect(refused.code).toBe(6);
    expect(refused.stderr).not.toContain('s3cr3t');
    authorizations.length = 0;
    const basic = await run(['-o', 'ndjson', 'sql', '--gateway', stub.url, '-e', 'SELECT k, n, s FROM t'], { FLINK_USER: 'ops', FLINK_PASSWORD: 'pw' });
    expect(basic.code, basic.stderr).toBe(0);
    expect(new Set(authorizations)).toEqual(new Set([`Basic ${Buffer.from('ops:pw').toString('base64')}`]));
    expect(basic.stdout.trim().split('\n')).toHaveLength(4);
    const both = await run(['--token', 't', '--user', 'u', 'sql', '--gateway', stub.url, '-e', 'SELECT 1'], { FLINK_PASSWORD: 'pw' });
    expect(both.code).toBe(2);
  });

  it('TLS: verifies the gateway against --ca (or FLINK_CA); an untrusted certificate is a connection error (6); --insecure skips the check', async () => {
    const trusted = await run(['--ca', 'ca.pem', '-o', 'json', 'sql', '--gateway', tlsGateway.url, '-e', 'SELECT k, n, s FROM t']);
    expect(trusted.code, trusted.stderr).toBe(0);
    expect((JSON.parse(trusted.stdout) as { rows: unknown[] }).rows).toHaveLength(4);
    const fromEnv = await run(['sql', '--gateway', tlsGateway.url, '-e', 'SELECT k, n, s FROM t'], { FLINK_CA: join(dir, 'ca.pem') });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(fromEnv.stdout).toMatch(/^KIND\s+k\s+n\s+s\n/);
    const untrusted = await run(['--timeout', '20s', 'sql', '--gateway', tlsGateway.url, '-e', 'SELECT 1']);
    expect(untrusted.code, untrusted.stderr).toBe(6);
    expect(untrusted.stderr).toMatch(/certificate/i);
    const insecure = await run(['--insecure', '-o', 'ndjson', 'sql', '--gateway', tlsGateway.url, '-e', 'SELECT k, n, s FROM t']);
    expect(insecure.code, insecure.stderr).toBe(0);
    expect(insecure.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { kind: string }).kind)).toEqual(['INSERT', 'INSERT', 'UPDATE_BEFORE', 'UPDATE_AFTER']);
  });

  it('usage errors: no gateway, nothing to run, a bad --set, a missing file', async () => {
    expect((await run(['sql', '-e', 'SELECT 1'])).code).toBe(2);
    expect((await run(['sql', '--gateway', stub.url])).code).toBe(2);
    expect((await run(['sql', '--gateway', stub.url, '-e', 'SELECT 1', '--set', 'novalue'])).code).toBe(2);
    expect((await run(['sql', '--gateway', stub.url, '-f', 'nope.sql'])).code).toBe(2);
  });
});
