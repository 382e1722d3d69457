import { FlinkArgumentError } from '../errors/flink-argument-error.js';
import { FlinkError } from '../errors/flink-error.js';
import { FlinkResponseTooLargeError } from '../errors/flink-response-too-large-error.js';
import type { ResourceRef } from '../http/map-error.js';
import type { RequestPipeline } from '../http/request-pipeline.js';
import { checkOptions } from '../options/check-options.js';
import { logReadOptions } from '../options/param-schemas.js';
import type { LogReadOptions } from '../context/manager-types.js';

/** One log or stdout file's route. */
export interface LogRoute {
  pipeline: RequestPipeline;
  path: string;
  resource?: ResourceRef;
}

type Body = AsyncIterable<Uint8Array> & { destroy(error?: Error): unknown };

/**
 * Flink answers a missing TaskManager stdout with 200 and a JSON content type around a plain
 * sentence ("The file STDOUT does not exist on the TaskExecutor"); a log is `text/plain`.
 */
function checkText(route: LogRoute, headers: Record<string, string | string[] | undefined>): void {
  const type = String(headers['content-type'] ?? '');
  if (/json/i.test(type)) throw new FlinkError(`GET ${route.path}: the cluster has no such file (it answered with JSON, not a file)`, 'FLINK_LOG_FILE_NOT_FOUND');
}

/** Splits a byte stream into lines (LF or CRLF), counting bytes against `maxBytes`. */
async function* splitLines(body: Body, maxBytes: number, route: LogRoute, bounded: boolean): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let bytes = 0;
  let rest = '';
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    if (bounded && bytes > maxBytes) throw new FlinkResponseTooLargeError({ endpoint: `GET ${route.path}`, limit: maxBytes });
    rest += decoder.decode(chunk, { stream: true });
    let nl = rest.indexOf('\n');
    while (nl >= 0) {
      yield rest.slice(0, nl > 0 && rest[nl - 1] === '\r' ? nl - 1 : nl);
      rest = rest.slice(nl + 1);
      nl = rest.indexOf('\n');
    }
    if (!bounded && rest.length > maxBytes) throw new FlinkResponseTooLargeError({ endpoint: `GET ${route.path}`, limit: maxBytes });
  }
  rest += decoder.decode();
  if (rest.length > 0) yield rest;
}

/**
 * The lines of a log file as they stream in, through the one pipeline (auth, events, errors). The
 * request stays open while the caller iterates; breaking out closes it.
 */
export function logLines(route: LogRoute, options: LogReadOptions = {}): AsyncIterableIterator<string> {
  checkOptions(logReadOptions, options, 'options');
  const { maxBytes, tailLines, ...request } = options;
  const limit = maxBytes ?? route.pipeline.options.maxResponseBytes;
  return (async function* lines(): AsyncGenerator<string> {
    let release: () => void = () => undefined;
    let fail: (e: unknown) => void = () => undefined;
    const finished = new Promise<void>((resolve, reject) => {
      release = resolve;
      fail = reject;
    });
    finished.catch(() => undefined);
    let hand: (b: Body) => void = () => undefined;
    const handed = new Promise<Body>((resolve) => {
      hand = resolve;
    });
    const call = route.pipeline.request<undefined>(
      {
        method: 'GET',
        path: route.path,
        resource: route.resource,
        consume: async (body, headers) => {
          checkText(route, headers);
          hand(body);
          await finished;
          return undefined;
        },
      },
      { timeoutMs: 300_000, ...request },
    );
    // Settled by the awaits below; after an early break nobody awaits it any more.
    call.catch(() => undefined);
    const body = await Promise.race([handed, call.then(() => undefined as never)]);
    let ended = false;
    try {
      if (tailLines === undefined) {
        for await (const line of splitLines(body, limit, route, true)) yield line;
      } else {
        const kept: string[] = [];
        for await (const line of splitLines(body, limit, route, false)) {
          kept.push(line);
          if (kept.length > tailLines) kept.shift();
        }
        yield* kept;
      }
      ended = true;
    } catch (err) {
      fail(err);
      // The pipeline maps what the read threw (abort, deadline, connection) to a typed error.
      await call;
      throw err;
    } finally {
      if (!ended) body.destroy();
      release();
    }
    await call;
  })();
}

/** A whole log file (or its last `tailLines` lines) as text, bounded by `maxBytes`. */
export async function logText(route: LogRoute, options: LogReadOptions = {}): Promise<string> {
  const out: string[] = [];
  for await (const line of logLines(route, options)) out.push(line);
  return out.join('\n');
}

/** Checks a log file name from a log list before it goes into a path. */
export function checkLogFileName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 255 || name === '.' || name === '..' || /[/\\\x00-\x1f\x7f]/.test(name)) {
    throw new FlinkArgumentError('name', `expected a log file name from logs() (no path separators), got ${JSON.stringify(String(name).slice(0, 60))}`);
  }
  return name;
}
