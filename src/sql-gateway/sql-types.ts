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
 * Parses a result page. Every page repeats its columns, so a page whose columns have a BIGINT or
 * DECIMAL anywhere (nested types too) is parsed exactly ({@link parseExact}); any other page with
 * plain `JSON.parse`, at full speed.
 */
export function decodePage(text: string): unknown {
  return text.includes('"type":"BIGINT"') || text.includes('"type":"DECIMAL"') ? parseExact(text) : JSON.parse(text);
}

/** Numbers outside strings, in the text after `"data":`. */
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * Parses a result page keeping every number of its rows as the text Flink sent: JSON.parse would
 * round a BIGINT beyond 2^53 and drop a DECIMAL's trailing zeros. Only the part from `"data":` on
 * is rewritten (the column metadata before it keeps its numbers).
 */
export function parseExact(text: string): unknown {
  const at = text.indexOf('"data":');
  if (at < 0) return JSON.parse(text);
  const tail = text.slice(at).replace(TOKENS, (m) => (m.charCodeAt(0) === 34 ? m : `"${m}"`));
  return JSON.parse(text.slice(0, at) + tail);
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
      return String(value);
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

/**
 * Converts one wire row (`{kind, fields}` in the JSON row format) into a {@link SqlRow}.
 * PLAIN_TEXT rows keep their strings (that format exists to print).
 */
export function convertRowData(raw: unknown, columns: readonly SqlColumn[], plainText: boolean, options: RowConversion): SqlRow {
  const row = raw as { kind?: unknown; fields?: unknown };
  const fields = Array.isArray(row.fields) ? row.fields : [];
  const values: Record<string, SqlValue> = {};
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as SqlColumn;
    values[column.name] = plainText ? ((fields[i] ?? null) as SqlValue) : convertValue(fields[i], column.logicalType, options);
  }
  const kind = typeof row.kind === 'string' ? (row.kind as SqlRowKind) : 'INSERT';
  return { kind, values };
}
