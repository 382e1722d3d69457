import type { SqlColumn, SqlLogicalType } from '../schemas/sql-gateway.js';

/** How a row changes the result: the four kinds of Flink's changelog. */
export type SqlRowKind = 'INSERT' | 'UPDATE_BEFORE' | 'UPDATE_AFTER' | 'DELETE';

/**
 * A value of a SQL result, typed by its column type:
 *
 * - TINYINT, SMALLINT, INTEGER, FLOAT, DOUBLE: `number`
 * - BIGINT: `bigint` (exact; with `bigints: 'number'`, a `number`)
 * - DECIMAL: `string`, exactly as Flink printed it, scale kept (`'12.10'`)
 * - BOOLEAN: `boolean`; CHAR, VARCHAR: `string`
 * - BINARY, VARBINARY: `Uint8Array`
 * - DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ, intervals: `string` as Flink printed it (a TIMESTAMP
 *   without time zone names no instant, so it is not turned into a `Date`)
 * - ARRAY, MULTISET: arrays of typed values; MAP: a `Map` of typed keys to typed values; ROW: an
 *   object of typed values by field name
 * - NULL: `null`; any other type: the JSON value as sent
 */
export type SqlValue = null | number | bigint | string | boolean | Uint8Array | SqlValue[] | Map<SqlValue, SqlValue> | { [field: string]: SqlValue };

/** One result row: its changelog kind and its values by column name. */
export interface SqlRow<T extends Record<string, unknown> = Record<string, SqlValue>> {
  /** INSERT for a bounded result; a continuous query's changelog also has UPDATE_BEFORE, UPDATE_AFTER and DELETE. */
  kind: SqlRowKind;
  /** The values by column name. */
  values: T;
}

/** How rows are converted. */
export interface RowConversion {
  /** `bigint` (default) or `number` (exact only up to 2^53). */
  bigints: 'bigint' | 'number';
}

/**
 * Parses a result page at `JSON.parse` speed, falling back to {@link parseExact} only for a page
 * JSON.parse would get wrong: a BIGINT beyond 2^53, a DECIMAL of more than 15 digits, or such a type
 * nested in an ARRAY, MAP or ROW. (A DECIMAL of up to 15 digits is exact as a double and gets its
 * scale back in {@link convertValue}.)
 */
export function decodePage(text: string): unknown {
  // A BIGINT column with a 16-digit number in the rows: parse exactly at once, not twice.
  const data0 = text.indexOf('"data":');
  if (data0 > 0 && text.lastIndexOf('"BIGINT"', data0) >= 0 && LONG_NUMBER.test(text.slice(data0))) return parseExact(text);
  const body = JSON.parse(text) as { results?: { columns?: SqlColumn[]; data?: { fields?: unknown[] }[] } };
  const columns = body?.results?.columns;
  const data = body?.results?.data;
  if (!columns || !data || data.length === 0) return body;
  let bigints = false;
  for (let i = 0; i < columns.length; i++) {
    const t = columns[i]?.logicalType;
    if (!t) continue;
    if (t.type === 'BIGINT') bigints = true;
    else if (t.type === 'DECIMAL' ? (t.precision ?? 38) > 15 : nestsExact(t)) return parseExact(text);
  }
  // A BIGINT beyond 2^53 has at least 16 digits: one regex test of the text is cheaper than
  // looking at every parsed value (and a miss keeps the JSON.parse result).
  if (bigints && LONG_NUMBER.test(text.slice(text.indexOf('"data":')))) return parseExact(text);
  return body;
}

/** 16 digits in a row, in a number or inside a string: a false hit only costs the exact parse. */
const LONG_NUMBER = /\d{16}/;

function nestsExact(t: SqlLogicalType | undefined): boolean {
  if (!t) return false;
  const children = [t.elementType, t.keyType, t.valueType, ...(t.fields?.map((f) => f.fieldType) ?? [])];
  return children.some((c) => c !== undefined && (c.type === 'BIGINT' || c.type === 'DECIMAL' || nestsExact(c)));
}

/**
 * Parses a result page keeping every number of its rows as the text Flink sent: JSON.parse would
 * round a BIGINT beyond 2^53 and drop a DECIMAL's trailing zeros. Only the part from `"data":` on
 * is rewritten (the column metadata before it keeps its numbers).
 */
export function parseExact(text: string): unknown {
  const at = text.indexOf('"data":');
  if (at < 0) return JSON.parse(text);
  return JSON.parse(quoteLongNumbers(text, at));
}

/**
 * `text` with every number from `from` on that JSON.parse would get wrong put in quotes: 16 or more
 * digits (a BIGINT beyond 2^53, a DECIMAL beyond a double's 15 exact digits); a shorter DECIMAL gets
 * its scale back from its type. One pass over the characters that skips strings with `indexOf`
 * (a regex that matched strings to skip them cost a callback per string: 5× slower).
 */
function quoteLongNumbers(text: string, from: number): string {
  const n = text.length;
  let out = text.slice(0, from);
  let copied = from;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let end = text.indexOf('"', i + 1);
      while (end > 0 && escaped(text, end)) end = text.indexOf('"', end + 1);
      // An unterminated string: leave the rest for JSON.parse to reject.
      if (end < 0) break;
      i = end + 1;
    } else if ((c >= 48 && c <= 57) || c === 45) {
      let end = i + 1;
      let digitCount = c === 45 ? 0 : 1;
      let exponent = false;
      for (; end < n; end++) {
        const d = text.charCodeAt(end);
        if (d >= 48 && d <= 57) {
          if (!exponent) digitCount++;
        } else if (d === 101 || d === 69) exponent = true;
        else if (d !== 46 && d !== 43 && d !== 45) break;
      }
      if (digitCount >= 16) {
        out += `${text.slice(copied, i)}"${text.slice(i, end)}"`;
        copied = end;
      }
      i = end;
    } else i++;
  }
  return copied === from && out.length === from ? text : out + text.slice(copied);
}

/** Whether the quote at `at` is escaped: an odd number of backslashes before it. */
function escaped(text: string, at: number): boolean {
  let k = at - 1;
  while (text.charCodeAt(k) === 92) k--;
  return (at - 1 - k) % 2 === 1;
}

/** Converts one wire value to its typed form (see {@link SqlValue}). */
export function convertValue(value: unknown, type: SqlLogicalType | undefined, options: RowConversion): SqlValue {
  if (value === null || value === undefined) return null;
  switch (type?.type) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'FLOAT':
    case 'DOUBLE':
      return typeof value === 'number' ? value : Number(value);
    case 'BIGINT':
      if (options.bigints === 'number') return Number(value);
      return typeof value === 'bigint' ? value : BigInt(typeof value === 'number' ? Math.trunc(value) : String(value));
    case 'DECIMAL':
      return decimalText(value, type.scale);
    case 'BOOLEAN':
      return typeof value === 'boolean' ? value : String(value).toLowerCase() === 'true';
    case 'BINARY':
    case 'VARBINARY':
      return typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : (value as SqlValue);
    case 'ARRAY':
    case 'MULTISET':
      return Array.isArray(value) ? value.map((v) => convertValue(v, type.elementType, options)) : (value as SqlValue);
    case 'MAP':
      return convertMap(value, type, options);
    case 'ROW':
      return convertRow(value, type, options);
    default:
      return value as SqlValue;
  }
}

/** A DECIMAL as text with its declared scale: `12.1` of DECIMAL(10, 2) is `'12.10'`. */
function decimalText(value: unknown, scale: number | undefined): string {
  if (typeof value === 'number') return scale !== undefined && scale <= 100 && Number.isFinite(value) ? value.toFixed(scale) : String(value);
  const text = String(value);
  if (scale === undefined || scale <= 0 || /[eE]/.test(text)) return text;
  const dot = text.indexOf('.');
  const have = dot < 0 ? 0 : text.length - dot - 1;
  return have >= scale ? text : `${text}${dot < 0 ? '.' : ''}${'0'.repeat(scale - have)}`;
}

function convertMap(value: unknown, type: SqlLogicalType, options: RowConversion): SqlValue {
  const map = new Map<SqlValue, SqlValue>();
  if (Array.isArray(value)) {
    // Entries as [key, value] pairs or {key, value} objects.
    for (const e of value) {
      const [k, v] = Array.isArray(e) ? e : [(e as { key?: unknown }).key, (e as { value?: unknown }).value];
      map.set(convertValue(k, type.keyType, options), convertValue(v, type.valueType, options));
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) map.set(convertValue(k, type.keyType, options), convertValue(v, type.valueType, options));
  }
  return map;
}

function convertRow(value: unknown, type: SqlLogicalType, options: RowConversion): SqlValue {
  const fields = type.fields ?? [];
  const out: Record<string, SqlValue> = {};
  if (Array.isArray(value)) {
    fields.forEach((f, i) => {
      out[f.name] = convertValue(value[i], f.fieldType, options);
    });
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const f of fields) out[f.name] = convertValue(record[f.name], f.fieldType, options);
  }
  return out;
}

/** A converter of wire rows for one column set, built once per result: one function per column. */
export type RowConverter = (raw: unknown) => SqlRow;

/**
 * Builds the converter of wire rows (`{kind, fields}` in the JSON row format) into {@link SqlRow}s
 * for a column set. PLAIN_TEXT rows keep their strings (that format exists to print).
 */
export function rowConverter(columns: readonly SqlColumn[], plainText: boolean, options: RowConversion): RowConverter {
  const names = columns.map((c) => c.name);
  const fast = columns.map((c): FastPath => (plainText ? 'text' : FAST_PATHS[c.logicalType?.type ?? ''] ?? 'none'));
  const convert = columns.map((c, i): ((v: unknown) => SqlValue) => {
    switch (fast[i]) {
      case 'text':
        return (v) => (v ?? null) as SqlValue;
      case 'number':
        return (v) => (typeof v === 'number' ? v : v === null || v === undefined ? null : Number(v));
      default:
        return (v) => convertValue(v, c.logicalType, options);
    }
  });
  const n = names.length;
  return (
    compiledConverter(names, fast, convert) ??
    ((raw) => {
      const row = raw as { kind?: unknown; fields?: unknown[] };
      const fields = row.fields ?? [];
      const values: Record<string, SqlValue> = {};
      for (let i = 0; i < n; i++) values[names[i] as string] = (convert[i] as (v: unknown) => SqlValue)(fields[i]);
      return { kind: typeof row.kind === 'string' ? (row.kind as SqlRowKind) : 'INSERT', values };
    })
  );
}

/**
 * How the compiled converter handles a column's wire value without a call: `number` (a JSON
 * number is the value), `boolean` (a JSON boolean is), `text` (a string, or null), `none` (always
 * the column's conversion function).
 */
type FastPath = 'number' | 'boolean' | 'text' | 'none';

const FAST_PATHS: Record<string, FastPath | undefined> = { TINYINT: 'number', SMALLINT: 'number', INTEGER: 'number', FLOAT: 'number', DOUBLE: 'number', BOOLEAN: 'boolean', CHAR: 'text', VARCHAR: 'text' };

const NO_FIELDS: readonly unknown[] = [];

/**
 * The converter as one function with an object literal of the columns: every row of a result gets
 * the same hidden class at once, where assigning keys in a loop walks a transition per column and
 * a megamorphic keyed store (the profile's next cost after JSON.parse and GC). A value whose JSON
 * type already is its SQL type (a number of an INTEGER column, a string of a VARCHAR) is taken
 * inline; anything else goes through the column's function. Column names enter the code only as
 * JSON string literals (no name can inject code); `__proto__` is a computed key, so it is an own
 * property as with the loop. Without code generation (Node's
 * `--disallow-code-generation-from-strings`), undefined: the loop is used.
 */
function compiledConverter(names: readonly string[], fast: readonly FastPath[], convert: ReadonlyArray<(v: unknown) => SqlValue>): RowConverter | undefined {
  if (names.length === 0 || names.length > 1000) return undefined;
  const reads = names.map((_, i) => `v${i} = f[${i}]`).join(', ');
  const entries = names
    .map((name, i) => {
      const key = name === '__proto__' ? `[${JSON.stringify(name)}]` : JSON.stringify(name);
      const v = `v${i}`;
      switch (fast[i]) {
        case 'number':
          return `${key}: typeof ${v} === 'number' ? ${v} : c[${i}](${v})`;
        case 'boolean':
          return `${key}: typeof ${v} === 'boolean' ? ${v} : c[${i}](${v})`;
        case 'text':
          return `${key}: ${v} === undefined ? null : ${v}`;
        default:
          return `${key}: c[${i}](${v})`;
      }
    })
    .join(', ');
  try {
    const make = new Function('c', 'NO_FIELDS', `return function convertRow(raw) { const f = raw.fields || NO_FIELDS; const k = raw.kind; const ${reads}; return { kind: typeof k === 'string' ? k : 'INSERT', values: { ${entries} } }; };`) as (
      c: ReadonlyArray<(v: unknown) => SqlValue>,
      none: readonly unknown[],
    ) => RowConverter;
    return make(convert, NO_FIELDS);
  } catch {
    return undefined;
  }
}

/** Converts one wire row; see {@link rowConverter}, which is faster for many rows. */
export function convertRowData(raw: unknown, columns: readonly SqlColumn[], plainText: boolean, options: RowConversion): SqlRow {
  return rowConverter(columns, plainText, options)(raw);
}
