/**
 * A compiled route table: the simulator's server finds the route of a request with it instead of
 * letting msw compile and try every handler's path per request (msw runs path-to-regexp on each
 * handler for each request, which was most of the simulator's time per call).
 *
 * It reproduces msw's matching exactly for the paths it compiles: literal segments compared
 * case-insensitively, `:name` matching one non-empty segment (decoded with `decodeURIComponent`),
 * one optional trailing `/`, methods compared exactly, first match in declaration order wins.
 * Anything it cannot decide the same way (a path with other syntax among the candidates, a
 * parameter that does not decode) answers `undefined`, and the caller asks msw.
 */

/** One path segment of a compiled template: a literal (lower-cased) or a parameter name. */
type Segment = { literal: string } | { param: string };

interface Entry<T> {
  readonly order: number;
  readonly segments: readonly Segment[] | undefined;
  readonly value: T;
}

/** A route found for a request. @internal */
export interface RouteMatch<T> {
  readonly value: T;
  readonly params: Record<string, string>;
}

/** How many answers {@link RouteTable} keeps (distinct paths: a fleet of jobs' status paths). */
const MEMO_SIZE = 16_384;

const SIMPLE_SEGMENT = /^(?::[A-Za-z0-9_]+|[A-Za-z0-9._~-]+)$/;

function compile(path: string): Segment[] | undefined {
  if (!path.startsWith('/')) return undefined;
  const parts = path === '/' ? [] : path.slice(1).split('/');
  const segments: Segment[] = [];
  for (const part of parts) {
    if (!SIMPLE_SEGMENT.test(part)) return undefined;
    segments.push(part.startsWith(':') ? { param: part.slice(1) } : { literal: part.toLowerCase() });
  }
  return segments;
}

/** Routes by method, then by segment count, then by first segment. @internal */
export class RouteTable<T> {
  /** method → segment count → first segment (or '' for a parameter) → entries in order. */
  readonly #index = new Map<string, Map<number, Map<string, Entry<T>[]>>>();
  /** Entries whose path this table cannot match like msw: a request they might match falls back. */
  readonly #opaque = new Map<string, Entry<T>[]>();
  #order = 0;
  /**
   * Answers of `match` by method and pathname: a load test asks the same few paths again and
   * again, and splitting and matching each costs more than this lookup. Bounded; cleared by `add`.
   */
  readonly #memo = new Map<string, RouteMatch<T> | null | undefined>();

  /** Adds a route (msw path syntax, no origin); earlier routes win over later ones. */
  add(method: string, path: string, value: T): void {
    this.#memo.clear();
    const segments = compile(path);
    const entry: Entry<T> = { order: this.#order++, segments, value };
    if (!segments) {
      const list = this.#opaque.get(method) ?? [];
      list.push(entry);
      this.#opaque.set(method, list);
      return;
    }
    let byCount = this.#index.get(method);
    if (!byCount) this.#index.set(method, (byCount = new Map()));
    let byFirst = byCount.get(segments.length);
    if (!byFirst) byCount.set(segments.length, (byFirst = new Map()));
    const first = segments[0];
    const key = first && 'literal' in first ? first.literal : '';
    const list = byFirst.get(key) ?? [];
    list.push(entry);
    byFirst.set(key, list);
  }

  /**
   * The first route matching `method` and `pathname` (a URL's normalised pathname, no query):
   * `null` when none does, `undefined` when msw must decide.
   */
  match(method: string, pathname: string): RouteMatch<T> | null | undefined {
    const key = `${method} ${pathname}`;
    const known = this.#memo.get(key);
    if (known !== undefined || this.#memo.has(key)) return known;
    const found = this.#match(method, pathname);
    if (this.#memo.size >= MEMO_SIZE) this.#memo.clear();
    // Frozen: every request for the path shares its parameters.
    if (found) Object.freeze(found.params);
    this.#memo.set(key, found);
    return found;
  }

  #match(method: string, pathname: string): RouteMatch<T> | null | undefined {
    let path = pathname;
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    const parts = path === '/' ? [] : path.slice(1).split('/');
    const byFirst = this.#index.get(method)?.get(parts.length);
    const first = (parts[0] ?? '').toLowerCase();
    // Literal segments are never empty, so an empty first segment can only meet parameters.
    const exact = first === '' ? undefined : byFirst?.get(first);
    const wild = byFirst?.get('');
    const opaque = this.#opaque.get(method);
    let i = 0;
    let j = 0;
    for (;;) {
      const a = exact?.[i];
      const b = wild?.[j];
      const next = a && (!b || a.order < b.order) ? a : b;
      if (!next) break;
      if (next === a) i++;
      else j++;
      if (opaque?.some((o) => o.order < next.order)) return undefined;
      const params = matchSegments(next.segments as Segment[], parts);
      if (params === undefined) return undefined;
      if (params) return { value: next.value, params };
    }
    return opaque && opaque.length > 0 ? undefined : null;
  }
}

/** The parameters when `parts` match, `null` when not, `undefined` when a parameter does not decode. */
function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | null | undefined {
  let params: Record<string, string> | undefined;
  for (let k = 0; k < segments.length; k++) {
    const seg = segments[k] as Segment;
    const part = parts[k] as string;
    if ('literal' in seg) {
      if (part !== seg.literal && part.toLowerCase() !== seg.literal) return null;
      continue;
    }
    if (part === '') return null;
    let value: string;
    try {
      value = part.includes('%') ? decodeURIComponent(part) : part;
    } catch {
      return undefined;
    }
    (params ??= {})[seg.param] = value;
  }
  return params ?? {};
}
