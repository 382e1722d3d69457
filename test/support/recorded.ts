import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One exchange recorded from a real Flink cluster by scripts/record-fixtures.mjs. */
export interface RecordedExchange {
  request: { method: string; path: string; body?: unknown };
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const root = fileURLToPath(new URL('../fixtures/recorded/', import.meta.url));

/** Loads a recorded exchange: the reference for what Flink really answers. */
export function recorded(version: string, name: string): RecordedExchange {
  return JSON.parse(readFileSync(`${root}${version}/${name}.json`, 'utf8')) as RecordedExchange;
}

/** The 32-hex id at the given path segment of a recorded request (`/v1/jobs/<id>/...` → index 3). */
export function idFromPath(exchange: RecordedExchange, segment = 3): string {
  const id = exchange.request.path.split('?')[0]?.split('/')[segment];
  if (!id || !/^[0-9a-f]{32}$/.test(id)) throw new Error(`no id at segment ${segment} of ${exchange.request.path}`);
  return id;
}
