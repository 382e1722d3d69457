import type { SqlLogicalType } from '../../schemas/sql-gateway.js';

/**
 * Column types of simulated results: SQL type strings (`'INT'`, `'DECIMAL(10, 2) NOT NULL'`,
 * `'ARRAY<STRING>'`, `'ROW<a INT, b STRING>'`) parsed into the `logicalType` JSON the real gateway
 * sends, and values written to the wire as the gateway writes them (JSON row format: exact
 * numbers for BIGINT and DECIMAL, base64 for binary; PLAIN_TEXT: Flink's printed strings).
 */

/** A column of a simulated result: its name and SQL type (a type string or the gateway's `logicalType` JSON). */
export interface SimulatedColumn {
  /** The column name. */
  name: string;
  /** A SQL type such as `'INT'`, `'STRING'`, `'DECIMAL(10, 2)'`, `'TIMESTAMP(3) NOT NULL'`, `'MAP<STRING, BIGINT>'`, or a `logicalType` object. */
  type: string | SqlLogicalType;
  /** The column comment. @default null */
  comment?: string | null;
}

/** A column as sent: name, logicalType, comment. @internal */
export interface WireColumn {
  name: string;
  logicalType: SqlLogicalType;
  comment: string | null;
}

const ROOTS: Record<string, string> = {
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  BIGINT: 'BIGINT',
  FLOAT: 'FLOAT',
  REAL: 'FLOAT',
  DOUBLE: 'DOUBLE',
  BOOLEAN: 'BOOLEAN',
  DECIMAL: 'DECIMAL',
  DEC: 'DECIMAL',
  NUMERIC: 'DECIMAL',
  CHAR: 'CHAR',
  VARCHAR: 'VARCHAR',
  STRING: 'VARCHAR',
  BINARY: 'BINARY',
  VARBINARY: 'VARBINARY',
  BYTES: 'VARBINARY',
  DATE: 'DATE',
  TIME: 'TIME_WITHOUT_TIME_ZONE',
  TIMESTAMP: 'TIMESTAMP_WITHOUT_TIME_ZONE',
  TIMESTAMP_LTZ: 'TIMESTAMP_WITH_LOCAL_TIME_ZONE',
  ARRAY: 'ARRAY',
  MULTISET: 'MULTISET',
  MAP: 'MAP',
  ROW: 'ROW',
  NULL: 'NULL',
};

const MAX_LENGTH = 2_147_483_647;

/** A small recursive-descent parser of Flink SQL type strings. */
class TypeParser {
  #at = 0;
  constructor(readonly text: string) {}

  #fail(what: string): never {
    throw new TypeError(`flink-client/testing: cannot read SQL type ${JSON.stringify(this.text)}: ${what} at position ${this.#at}`);
  }

  #skip(): void {
    while (this.#at < this.text.length && /\s/.test(this.text[this.#at] as string)) this.#at++;
  }

  #peek(ch: string): boolean {
    this.#skip();
    return this.text[this.#at] === ch;
  }

  #eat(ch: string): void {
    if (!this.#peek(ch)) this.#fail(`expected '${ch}'`);
    this.#at++;
  }

  #word(): string {
    this.#skip();
    const m = /^(?:`[^`]+`|[A-Za-z_$][\w$]*)/.exec(this.text.slice(this.#at));
    if (!m) this.#fail('expected a name');
    this.#at += m[0].length;
    return m[0].replace(/^`|`$/g, '');
  }

  #int(): number {
    this.#skip();
    const m = /^\d+/.exec(this.text.slice(this.#at));
    if (!m) this.#fail('expected a number');
    this.#at += m[0].length;
    return Number(m[0]);
  }

  #params(): number[] {
    const out: number[] = [];
    if (!this.#peek('(')) return out;
    this.#eat('(');
    out.push(this.#int());
    while (this.#peek(',')) {
      this.#eat(',');
      out.push(this.#int());
    }
    this.#eat(')');
    return out;
  }

  parse(): SqlLogicalType {
    const t = this.type();
    this.#skip();
    if (this.#at !== this.text.length) this.#fail('unexpected text');
    return t;
  }

  type(): SqlLogicalType {
    let name = this.#word().toUpperCase();
    // TIMESTAMP(3) WITH LOCAL TIME ZONE, TIMESTAMP WITH LOCAL TIME ZONE
    const root = ROOTS[name];
    if (!root) this.#fail(`unknown type ${name}`);
    let t: SqlLogicalType;
    switch (root) {
      case 'DECIMAL': {
        const [precision = 10, scale = 0] = this.#params();
        t = { type: root, nullable: true, precision, scale };
        break;
      }
      case 'CHAR':
      case 'BINARY': {
        const [length = 1] = this.#params();
        t = { type: root, nullable: true, length };
        break;
      }
      case 'VARCHAR':
      case 'VARBINARY': {
        const [length = MAX_LENGTH] = name === 'STRING' || name === 'BYTES' ? [] : this.#params();
        t = { type: root, nullable: true, length };
        break;
      }
      case 'TIME_WITHOUT_TIME_ZONE':
      case 'TIMESTAMP_WITHOUT_TIME_ZONE':
      case 'TIMESTAMP_WITH_LOCAL_TIME_ZONE': {
        const [precision = root === 'TIME_WITHOUT_TIME_ZONE' ? 0 : 6] = this.#params();
        let typeRoot = root;
        const rest = this.text.slice(this.#at);
        const ltz = /^\s+WITH\s+LOCAL\s+TIME\s+ZONE/i.exec(rest);
        if (ltz) {
          this.#at += ltz[0].length;
          typeRoot = 'TIMESTAMP_WITH_LOCAL_TIME_ZONE';
        }
        t = { type: typeRoot, nullable: true, precision };
        break;
      }
      case 'ARRAY':
      case 'MULTISET': {
        this.#eat('<');
        const elementType = this.type();
        this.#eat('>');
        t = { type: root, nullable: true, elementType };
        break;
      }
      case 'MAP': {
        this.#eat('<');
        const keyType = this.type();
        this.#eat(',');
        const valueType = this.type();
        this.#eat('>');
        t = { type: root, nullable: true, keyType, valueType };
        break;
      }
      case 'ROW': {
        const open = this.#peek('<') ? '<' : '(';
        const close = open === '<' ? '>' : ')';
        this.#eat(open);
        const fields: NonNullable<SqlLogicalType['fields']> = [];
        if (!this.#peek(close)) {
          do {
            if (fields.length > 0) this.#eat(',');
            const fieldName = this.#word();
            fields.push({ name: fieldName, fieldType: this.type() });
          } while (this.#peek(','));
        }
        this.#eat(close);
        t = { type: root, nullable: true, fields };
        break;
      }
      default:
        t = { type: root, nullable: true };
    }
    name = '';
    const rest = this.text.slice(this.#at);
    const notNull = /^\s+NOT\s+NULL\b/i.exec(rest);
    if (notNull) {
      this.#at += notNull[0].length;
      t.nullable = false;
    }
    return t;
  }
}

/** Parses a SQL type string into the gateway's `logicalType` JSON. @internal */
export function parseSqlType(type: string | SqlLogicalType): SqlLogicalType {
  if (typeof type !== 'string') {
    if (typeof type !== 'object' || type === null || typeof type.type !== 'string') throw new TypeError('flink-client/testing: a column type must be a SQL type string or a logicalType object with a `type`');
    return type;
  }
  return new TypeParser(type).parse();
}

/** Columns as the gateway sends them. @internal */
export function wireColumns(columns: readonly SimulatedColumn[] | Record<string, string | SqlLogicalType>): WireColumn[] {
  const list: SimulatedColumn[] = Array.isArray(columns) ? [...columns] : Object.entries(columns).map(([name, type]) => ({ name, type }));
  return list.map((c) => {
    if (typeof c?.name !== 'string' || c.name === '') throw new TypeError('flink-client/testing: every column needs a name');
    return { name: c.name, logicalType: parseSqlType(c.type), comment: c.comment ?? null };
  });
}

/** A DECIMAL value as exact text with its scale (`1` of DECIMAL(10, 2) is `1.00`), as Jackson writes a BigDecimal. */
function decimalText(value: unknown, scale: number): string {
  const text = typeof value === 'number' ? (Number.isInteger(value) ? String(value) : String(value)) : String(value);
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new TypeError(`flink-client/testing: ${JSON.stringify(text)} is no DECIMAL value`);
  const dot = text.indexOf('.');
  const have = dot < 0 ? 0 : text.length - dot - 1;
  if (scale <= 0 || have >= scale) return text;
  return `${text}${dot < 0 ? '.' : ''}${'0'.repeat(scale - have)}`;
}

function integerText(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return value;
  throw new TypeError(`flink-client/testing: ${String(value)} is no integer value`);
}

function bytesOf(value: unknown): Buffer {
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw new TypeError('flink-client/testing: a BINARY/VARBINARY value must be a Uint8Array or a string (taken as UTF-8)');
}

function entriesOf(value: unknown): Array<[unknown, unknown]> {
  if (value instanceof Map) return [...value.entries()];
  if (typeof value === 'object' && value !== null) return Object.entries(value);
  throw new TypeError('flink-client/testing: a MAP value must be a Map or an object');
}

function fieldValues(value: unknown, type: SqlLogicalType): unknown[] {
  const fields = type.fields ?? [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null) return fields.map((f) => (value as Record<string, unknown>)[f.name]);
  throw new TypeError('flink-client/testing: a ROW value must be an array or an object by field name');
}

/**
 * How one row format writes each kind of value; {@link formatValue} walks a value by its type
 * and asks the format for the text of each part, so both formats check values the same way.
 */
interface ValueFormat {
  null: string;
  integer(text: string): string;
  decimal(text: string): string;
  float(value: unknown): string;
  boolean(value: boolean): string;
  binary(bytes: Buffer): string;
  array(items: string[]): string;
  /** A map entry's key, written from the key's own value and type. */
  mapKey(key: unknown, type: SqlLogicalType | undefined): string;
  map(entries: Array<[string, string]>): string;
  row(fields: Array<[name: string, text: string]>): string;
  other(value: unknown): string;
}

/** The gateway's JSON row format: values as JSON (DECIMAL as a number with its scale, BINARY as base64). */
const JSON_FORMAT: ValueFormat = {
  null: 'null',
  integer: (text) => text,
  decimal: (text) => text,
  float: (v) => (typeof v === 'number' && !Number.isFinite(v) ? JSON.stringify(String(v)) : String(Number(v))),
  boolean: (b) => (b ? 'true' : 'false'),
  binary: (bytes) => JSON.stringify(bytes.toString('base64')),
  array: (items) => `[${items.join(',')}]`,
  mapKey: (k) => JSON.stringify(String(k)),
  map: (entries) => `{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`,
  row: (fields) => `{${fields.map(([name, v]) => `${JSON.stringify(name)}:${v}`).join(',')}}`,
  other: (v) => (typeof v === 'bigint' ? v.toString() : JSON.stringify(v)),
};

/** PLAIN_TEXT: every value as Flink prints it (`TRUE`, `x'6162'`, `{k=1}`, `(1, a)`, `NULL`). */
const PLAIN_FORMAT: ValueFormat = {
  null: 'NULL',
  integer: (text) => text,
  decimal: (text) => text,
  float: (v) => String(v),
  boolean: (b) => (b ? 'TRUE' : 'FALSE'),
  binary: (bytes) => `x'${bytes.toString('hex')}'`,
  array: (items) => `[${items.join(', ')}]`,
  mapKey: (k, type) => formatValue(k, type, PLAIN_FORMAT),
  map: (entries) => `{${entries.map(([k, v]) => `${k}=${v}`).join(', ')}}`,
  row: (fields) => `(${fields.map(([, v]) => v).join(', ')})`,
  other: (v) => String(v),
};

/** One value in a row format, checked against its type. */
function formatValue(value: unknown, type: SqlLogicalType | undefined, f: ValueFormat): string {
  if (value === null || value === undefined) return f.null;
  switch (type?.type) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
      return f.integer(integerText(value));
    case 'DECIMAL':
      return f.decimal(decimalText(value, type.scale ?? 0));
    case 'FLOAT':
    case 'DOUBLE':
      return f.float(value);
    case 'BOOLEAN':
      return f.boolean(value === true || value === 'true');
    case 'BINARY':
    case 'VARBINARY':
      return f.binary(bytesOf(value));
    case 'ARRAY':
    case 'MULTISET':
      if (!Array.isArray(value)) throw new TypeError('flink-client/testing: an ARRAY value must be an array');
      return f.array(value.map((v) => formatValue(v, type.elementType, f)));
    case 'MAP':
      return f.map(entriesOf(value).map(([k, v]) => [f.mapKey(k, type.keyType), formatValue(v, type.valueType, f)]));
    case 'ROW': {
      const values = fieldValues(value, type);
      return f.row((type.fields ?? []).map((field, i) => [field.name, formatValue(values[i], field.fieldType, f)]));
    }
    default:
      return f.other(value);
  }
}

/** One value as JSON text in the gateway's JSON row format. @internal */
export function jsonValue(value: unknown, type: SqlLogicalType | undefined): string {
  return formatValue(value, type, JSON_FORMAT);
}

/** One value as Flink prints it (PLAIN_TEXT row format). @internal */
export function plainValue(value: unknown, type: SqlLogicalType | undefined): string {
  return formatValue(value, type, PLAIN_FORMAT);
}

/** A changelog row kind. */
export type SimulatedRowKind = 'INSERT' | 'UPDATE_BEFORE' | 'UPDATE_AFTER' | 'DELETE';

/**
 * One row of a simulated result: its values in column order (an INSERT), or its kind and values.
 * Values are JavaScript values of the column's type: numbers; `bigint` or integer strings for
 * BIGINT (exact beyond 2^53); strings or numbers for DECIMAL (exact text, its scale added);
 * strings for CHAR/VARCHAR and the time types (as Flink prints them, `'2024-01-02 03:04:05.123'`);
 * booleans; `Uint8Array` for binary; arrays; a `Map` or object for MAP; an array or object by field
 * name for ROW; `null`.
 */
export type SimulatedRow =
  | readonly unknown[]
  | {
      /** The change the row carries (INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE). */
      readonly kind: SimulatedRowKind;
      /** The row's values, one per column. */
      readonly values: readonly unknown[];
    };

/** A row written once in both row formats (pages are then spliced from text). @internal */
export interface EncodedRow {
  json: string;
  plain: string;
}

const KINDS = new Set(['INSERT', 'UPDATE_BEFORE', 'UPDATE_AFTER', 'DELETE']);

/** Encodes rows for the given columns, checking every value against its type. @internal */
export function encodeRows(rows: readonly SimulatedRow[], columns: readonly WireColumn[]): EncodedRow[] {
  return rows.map((row, r) => {
    const kind = Array.isArray(row) ? 'INSERT' : (row as { kind: string }).kind;
    const values: readonly unknown[] = Array.isArray(row) ? row : (row as { values: readonly unknown[] }).values;
    if (!KINDS.has(kind)) throw new TypeError(`flink-client/testing: row ${r} has kind ${JSON.stringify(kind)}; expected INSERT, UPDATE_BEFORE, UPDATE_AFTER or DELETE`);
    if (!Array.isArray(values) || values.length !== columns.length) throw new TypeError(`flink-client/testing: row ${r} has ${Array.isArray(values) ? values.length : 'no'} values for ${columns.length} columns`);
    const json = values.map((v, i) => jsonValue(v, columns[i]?.logicalType)).join(',');
    const plain = values.map((v, i) => JSON.stringify(plainValue(v, columns[i]?.logicalType))).join(',');
    return { json: `{"kind":"${kind}","fields":[${json}]}`, plain: `{"kind":"${kind}","fields":[${plain}]}` };
  });
}
