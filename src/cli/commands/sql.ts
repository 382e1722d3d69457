import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FlinkError, SqlGatewayClient, type SqlOperation, type SqlRow, type SqlValue } from 'flink-client';
import { action, collect, examples } from '../action.js';
import { Interrupted, type CliContext } from '../cli-context.js';
import { UsageError } from '../exit-codes.js';
import type { CliIo } from '../io.js';

interface SqlOptions {
  gateway?: string;
  execute?: string[];
  file?: string;
  set?: string[];
}

/**
 * Splits a script into statements at `;` outside quotes and comments (`'...'`, `"..."`,
 * `` `...` ``, `-- ...`, `/* ... *\/`); empty statements are dropped.
 */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < script.length; i++) {
    const c = script[i] as string;
    if (c === "'" || c === '"' || c === '`') {
      const end = script.indexOf(c, i + 1);
      const stop = end < 0 ? script.length : end + 1;
      current += script.slice(i, stop);
      i = stop - 1;
    } else if (c === '-' && script[i + 1] === '-') {
      const end = script.indexOf('\n', i);
      i = end < 0 ? script.length : end;
      current += '\n';
    } else if (c === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end < 0 ? script.length : end + 1;
    } else if (c === ';') {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** A value as JSON can carry it: BIGINT beyond 2^53 as a string, bytes as base64, a MAP as an object (or entries when keys are not strings). */
function jsonValue(v: SqlValue): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v instanceof Map) {
    const entries = [...v.entries()].map(([k, x]) => [jsonValue(k), jsonValue(x)] as const);
    return entries.every(([k]) => typeof k === 'string') ? Object.fromEntries(entries) : entries;
  }
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  return v;
}

/** A value in a table cell: NULL for null, JSON for nested values. */
function cell(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'object') return JSON.stringify(jsonValue(v));
  return String(v);
}

/** `sql`: statements in one session of the SQL Gateway; rows as a table, or NDJSON as they come. */
export function sqlCommand(program: Command, io: CliIo): void {
  program
    .command('sql')
    .description('run SQL statements in one SQL Gateway session: a bounded result as a table, or rows as NDJSON as they come (-o ndjson)')
    .option('--gateway <url>', 'the SQL Gateway REST URL (env FLINK_SQL_GATEWAY_URL); the global auth and TLS flags (--token, --user, --ca, --cert, --key, --insecure) and their variables apply to it')
    .option('-e, --execute <statement>', 'a statement to run (repeat for several, run in order)', collect)
    .option('-f, --file <file.sql>', 'a script of statements separated by ;')
    .option('--set <key=value>', 'a session property, such as execution.runtime-mode=batch (repeat for more)', collect)
    .addHelpText(
      'after',
      examples(
        'FLINK_SQL_GATEWAY_URL=http://localhost:8083 flink-client sql -e "SELECT 1 AS n" --set execution.runtime-mode=batch',
        'flink-client sql --gateway http://gw:8083 -f setup.sql',
        'FLINK_TOKEN=... flink-client sql --gateway https://gw:8083 --ca ca.pem -e "SHOW TABLES" -o json',
        "flink-client sql -o ndjson -e \"SELECT * FROM clicks\"   # a continuous query: one row per line until Ctrl-C",
        '# Ctrl-C cancels the running statement and closes the session (exit code 130).',
      ),
    )
    .action(
      action(io, async (ctx, _args, o: SqlOptions) => {
        const url = o.gateway ?? ctx.io.env.FLINK_SQL_GATEWAY_URL;
        if (!url) throw new UsageError('no SQL Gateway: pass --gateway <url> or set FLINK_SQL_GATEWAY_URL');
        const statements = [...(o.execute ?? [])];
        if (o.file !== undefined) {
          let script: string;
          try {
            script = readFileSync(resolve(ctx.io.cwd, o.file), 'utf8');
          } catch (err) {
            throw new UsageError(`cannot read ${o.file}: ${(err as Error).message}`);
          }
          statements.push(...splitStatements(script));
        }
        if (statements.length === 0) throw new UsageError('nothing to run: pass -e "<statement>" or -f file.sql');
        const properties: Record<string, string> = {};
        for (const kv of o.set ?? []) {
          const eq = kv.indexOf('=');
          if (eq <= 0) throw new UsageError(`--set takes key=value, got ${JSON.stringify(kv)}`);
          properties[kv.slice(0, eq).trim()] = kv.slice(eq + 1).trim();
        }
        let gateway: SqlGatewayClient;
        try {
          gateway = new SqlGatewayClient({ url, ...ctx.security(), ...(ctx.timeoutMs !== undefined ? { timeoutMs: Math.min(30_000, ctx.timeoutMs), waitTimeoutMs: ctx.timeoutMs } : {}) });
        } catch (err) {
          if (err instanceof FlinkError && err.code === 'FLINK_INVALID_ARGUMENT') throw new UsageError(`--gateway: ${err.message}`);
          throw err;
        }
        try {
          const session = await gateway.openSession({ ...(Object.keys(properties).length ? { properties } : {}), ...ctx.call });
          for (const statement of statements) await runStatement(ctx, await session.execute(statement, ctx.call));
        } catch (err) {
          if (ctx.io.interrupt.aborted && err instanceof FlinkError && err.code === 'FLINK_ABORTED') throw new Interrupted('interrupted');
          throw err;
        } finally {
          // Closes the session on the gateway (and stops its heartbeat), Ctrl-C or not.
          await gateway.close();
        }
      }),
    );
}

/**
 * Prints one statement's result. `-o table` and `-o json` collect it (a bounded result) and print
 * it once; `-o ndjson` prints each row as it arrives, with its kind (a continuous query's changelog).
 * Ctrl-C cancels the statement on the gateway before the session closes.
 */
async function runStatement(ctx: CliContext, op: SqlOperation): Promise<void> {
  try {
    if (ctx.output === 'ndjson') {
      for await (const row of op.rows({ signal: ctx.io.interrupt })) ctx.io.stdout.write(`${JSON.stringify({ kind: row.kind, values: jsonValue(row.values) })}\n`);
      return;
    }
    const rows: SqlRow[] = [];
    for await (const row of op.rows({ signal: ctx.io.interrupt, ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}) })) rows.push(row);
    const columns = (await op.columns({ signal: ctx.io.interrupt })).map((c) => c.name);
    const changelog = rows.some((r) => r.kind !== 'INSERT');
    ctx.print({ statement: op.statement, columns, rows: rows.map((r) => ({ kind: r.kind, values: jsonValue(r.values) })) }, () =>
      ctx.table([...(changelog ? [{ header: 'KIND' }] : []), ...columns.map((name) => ({ header: name, shrink: true }))], rows.map((r) => [...(changelog ? [r.kind] : []), ...columns.map((c) => cell(r.values[c] ?? null))])),
    );
  } catch (err) {
    if (ctx.io.interrupt.aborted) {
      await op.cancel({ timeoutMs: 10_000 }).catch(() => undefined);
      ctx.io.stderr.write(`Interrupted: statement canceled (${op.handle}); closing the session.\n`);
    }
    throw err;
  }
}
