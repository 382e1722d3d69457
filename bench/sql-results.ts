/**
 * Fetching a large bounded SQL result: the SqlGatewayClient row iterator against raw undici paging
 * with JSON.parse, from one loopback stub that pages like the gateway (`nextResultUri`, then EOS),
 * measured in one run; and the heap while iterating.
 *
 *   npx tsx --expose-gc bench/sql-results.ts [--rows 500000] [--page 5000] [--rounds 5]
 *
 * 1. rows/s for columns (INT, VARCHAR, DOUBLE, BOOLEAN): the SDK iterator (typed rows with their
 *    kind), and `pages()` (the same rows a page at a time), vs undici + JSON.parse reading the same
 *    pages (target ≥ 0.9×), and vs the async floor: raw's rows handed out one `await` each by a
 *    minimal AsyncIterator, untyped (what the iteration protocol alone costs); rounds interleaved
 *    and rotated, ratios per round: median (min–max). Then the same with a BIGINT and a DECIMAL
 *    column, where the SDK parses exactly (numbers kept as their text).
 * 2. heap: heapUsed after a full GC every 100 000 rows while the SDK iterates; the slope in KB per
 *    100 000 rows says whether memory stays flat.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { SqlGatewayClient } from '../src/index.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = arg('rows', 500_000);
const PAGE = arg('page', 5_000);
const ROUNDS = arg('rounds', 5);
const gc = (globalThis as { gc?: () => void }).gc;

const SESSION = '11111111-2222-3333-4444-555555555555';
const OP = '66666666-7777-8888-9999-000000000000';
const plainColumns = [
  { name: 'id', logicalType: { type: 'INTEGER', nullable: false }, comment: null },
  { name: 'name', logicalType: { type: 'VARCHAR', nullable: true, length: 2147483647 }, comment: null },
  { name: 'score', logicalType: { type: 'DOUBLE', nullable: true }, comment: null },
  { name: 'ok', logicalType: { type: 'BOOLEAN', nullable: true }, comment: null },
];
const exactColumns = [...plainColumns, { name: 'big', logicalType: { type: 'BIGINT', nullable: false }, comment: null }, { name: 'amount', logicalType: { type: 'DECIMAL', nullable: false, precision: 12, scale: 2 }, comment: null }];

/** The page bodies, made once per column set (the gateway serialises its own; the stub should not be the bottleneck). */
function pages(exact: boolean): string[] {
  const out: string[] = [];
  const count = Math.ceil(ROWS / PAGE);
  for (let p = 0; p < count; p++) {
    const data = [];
    for (let i = p * PAGE; i < Math.min(ROWS, (p + 1) * PAGE); i++) {
      const fields: unknown[] = [i, `name-${i}`, i / 7, i % 2 === 0];
      if (exact) fields.push(9_007_199_254_740_000 + i, (i / 100).toFixed(2));
      data.push({ kind: 'INSERT', fields });
    }
    let text = JSON.stringify({
      resultType: 'PAYLOAD',
      isQueryResult: true,
      jobID: '0123456789abcdef0123456789abcdef',
      resultKind: 'SUCCESS_WITH_CONTENT',
      results: { columns: exact ? exactColumns : plainColumns, rowFormat: 'JSON', data },
      nextResultUri: `/v4/sessions/${SESSION}/operations/${OP}/result/${p + 1}?rowFormat=JSON`,
    });
    // DECIMAL as Flink writes it: a JSON number with its scale.
    if (exact) text = text.replace(/"(\d+\.\d\d)"/g, '$1');
    out.push(text);
  }
  out.push(JSON.stringify({ resultType: 'EOS', isQueryResult: true, resultKind: 'SUCCESS_WITH_CONTENT', results: { columns: plainColumns, rowFormat: 'JSON', data: [] } }));
  return out;
}

let served: string[] = [];
const server = createServer((req, res) => {
  const url = req.url ?? '';
  if (url.endsWith('/api_versions')) return void res.end('{"versions":["V1","V2","V3","V4"]}');
  const m = /\/result\/(\d+)/.exec(url);
  const body = m ? served[Number(m[1])] : undefined;
  res.setHeader('content-type', 'application/json');
  res.end(body ?? '{"errors":["no such page"]}');
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const agent = new Agent({ connections: 4 });
async function raw(): Promise<number> {
  let uri: string | undefined = `/v4/sessions/${SESSION}/operations/${OP}/result/0?rowFormat=JSON`;
  let n = 0;
  while (uri) {
    const res = await request(base + uri, { dispatcher: agent });
    const body = JSON.parse(await res.body.text()) as { resultType: string; nextResultUri?: string; results?: { data?: { kind: string }[] } };
    // What a hand-written pager does at the least: look at every row.
    for (const row of body.results?.data ?? []) if (row.kind === 'INSERT') n++;
    uri = body.resultType === 'EOS' ? undefined : body.nextResultUri;
  }
  return n;
}

const gateway = new SqlGatewayClient({ url: base });
const session = gateway.session(SESSION, { heartbeatIntervalMs: Infinity });
async function sdk(onRow?: (n: number) => void): Promise<number> {
  let n = 0;
  for await (const row of session.operation(OP, 'SELECT ...')) {
    if (row.kind === 'INSERT') n++;
    onRow?.(n);
  }
  return n;
}

/**
 * The floor of any async row iterator: raw's pages handed out a row per `await` by the least an
 * `AsyncIterator` can be (a plain object, a resolved promise per row, no typing). What it costs
 * over raw is the protocol itself, which no row iterator can avoid.
 */
function rawRows(): AsyncIterable<{ kind: string }> {
  let uri: string | undefined = `/v4/sessions/${SESSION}/operations/${OP}/result/0?rowFormat=JSON`;
  let rows: { kind: string }[] = [];
  let i = 0;
  const END = { done: true as const, value: undefined };
  const refill = async (): Promise<IteratorResult<{ kind: string }>> => {
    while (i >= rows.length) {
      if (!uri) return END;
      const res = await request(base + uri, { dispatcher: agent });
      const body = JSON.parse(await res.body.text()) as { resultType: string; nextResultUri?: string; results?: { data?: { kind: string }[] } };
      rows = body.results?.data ?? [];
      i = 0;
      uri = body.resultType === 'EOS' ? undefined : body.nextResultUri;
    }
    return { done: false, value: rows[i++] as { kind: string } };
  };
  const it: AsyncIterator<{ kind: string }> = {
    next: () => (i < rows.length ? Promise.resolve({ done: false, value: rows[i++] as { kind: string } }) : refill()),
  };
  return { [Symbol.asyncIterator]: () => it };
}
async function rawAsync(): Promise<number> {
  let n = 0;
  for await (const row of rawRows()) if (row.kind === 'INSERT') n++;
  return n;
}

/** The same rows page by page (`op.pages()`): one await per page. */
async function sdkPages(): Promise<number> {
  let n = 0;
  for await (const page of session.operation(OP, 'SELECT ...').pages()) for (const row of page) if (row.kind === 'INSERT') n++;
  return n;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
console.log(`Node ${process.version}; ${ROWS} rows in pages of ${PAGE}; ${ROUNDS} rounds, median`);
for (const exact of [false, true]) {
  served = pages(exact);
  const times: Record<'sdk' | 'pages' | 'raw' | 'async', number[]> = { sdk: [], pages: [], raw: [], async: [] };
  for (const fn of [sdk, sdkPages, raw, rawAsync]) if ((await fn()) !== ROWS) throw new Error('row count mismatch');
  const contestants = [['sdk', sdk], ['pages', sdkPages], ['raw', raw], ['async', rawAsync]] as const;
  for (let round = 0; round < ROUNDS; round++) {
    // Rotated each round, so no contestant always runs right after the same one.
    for (let k = 0; k < contestants.length; k++) {
      const [name, fn] = contestants[(round + k) % contestants.length] as (typeof contestants)[number];
      const t = performance.now();
      await fn();
      times[name].push(performance.now() - t);
    }
  }
  // Ratios per round (the rounds interleave), reported as median (min–max).
  const ratios = (name: 'sdk' | 'pages' | 'async', against: 'raw' | 'async' = 'raw'): string => {
    const per = times[name].map((t, i) => (times[against][i] as number) / t);
    return `${median(per).toFixed(2)}× (${Math.min(...per).toFixed(2)}–${Math.max(...per).toFixed(2)})`;
  };
  const rate = (name: 'sdk' | 'pages' | 'raw' | 'async'): string => Math.round(ROWS / (median(times[name]) / 1000)).toLocaleString('en');
  const label = exact ? 'with BIGINT + DECIMAL (exact)' : 'INT, VARCHAR, DOUBLE, BOOLEAN';
  console.log(`${label}: raw ${rate('raw')} rows/s`);
  console.log(`  rows()  ${rate('sdk').padStart(9)} rows/s: ${ratios('sdk')} raw${exact ? '' : ' (target ≥ 0.9×)'}; ${ratios('sdk', 'async')} the async floor`);
  console.log(`  async floor (raw's rows, one await each, untyped) ${rate('async').padStart(9)} rows/s: ${ratios('async')} raw`);
  console.log(`  pages() ${rate('pages').padStart(9)} rows/s: ${ratios('pages')} raw`);
}

if (gc) {
  served = pages(false);
  const samples: number[] = [];
  await sdk((n) => {
    if (n % 100_000 === 0) {
      gc();
      samples.push(process.memoryUsage().heapUsed);
    }
  });
  const first = samples[0] as number;
  const last = samples[samples.length - 1] as number;
  const per100k = samples.length > 1 ? (last - first) / 1024 / (samples.length - 1) : 0;
  console.log(`heap while iterating ${ROWS} rows: ${samples.map((b) => (b / 1048576).toFixed(1)).join(', ')} MiB after GC per 100k rows → ${per100k.toFixed(1)} KB per 100 000 rows`);
} else {
  console.log('heap: run with `npx tsx --expose-gc` to measure');
}
await gateway.close();
await agent.close();
server.close();
