import { describe, expect, it } from 'vitest';
import { convertRowData, convertValue, decodePage, parseExact, rowConverter } from '../../src/sql-gateway/sql-types.js';

const opts = { bigints: 'bigint' as const };

describe('SQL result values', () => {
  it('keeps BIGINT and DECIMAL exact: numbers of 16+ digits after "data" are read as their text, shorter DECIMALs get their scale back', () => {
    const text = '{"results":{"columns":[{"name":"b","logicalType":{"type":"BIGINT","nullable":false}},{"name":"d","logicalType":{"type":"DECIMAL","precision":10,"scale":2}}],"data":[{"kind":"INSERT","fields":[9007199254740993,12.10]}]}}';
    const body = decodePage(text) as { results: { columns: unknown[]; data: { fields: unknown[] }[] } };
    expect(body.results.data[0]?.fields).toEqual(['9007199254740993', 12.1]);
    const row = convertRowData(body.results.data[0], body.results.columns as never, false, opts);
    expect(row.values).toEqual({ b: 9007199254740993n, d: '12.10' });
    expect(convertValue('9007199254740993', { type: 'BIGINT' }, { bigints: 'number' })).toBe(9007199254740992);
  });

  it('parses pages without BIGINT or DECIMAL with JSON.parse, and leaves strings alone in exact mode', () => {
    expect(decodePage('{"data":[{"fields":[1]}]}')).toEqual({ data: [{ fields: [1] }] });
    expect(parseExact('{"x":1,"data":[{"fields":["a \\"1\\" 2", -3.5e2, true, null, 12345678901234567.25, "9007199254740993"]}]}')).toEqual({
      x: 1,
      data: [{ fields: ['a "1" 2', -350, true, null, '12345678901234567.25', '9007199254740993'] }],
    });
  });

  it('tells strings from numbers in exact mode: escaped quotes and backslashes, digits inside strings, exponents', () => {
    const text = String.raw`{"data":[{"fields":["a\\",12345678901234567,"x,1234567890123456789","q\"12345678901234567\"",-12345678901234567.5e3,1e400,[9007199254740993]]}]}`;
    expect(parseExact(text)).toEqual({ data: [{ fields: ['a\\', '12345678901234567', 'x,1234567890123456789', 'q"12345678901234567"', '-12345678901234567.5e3', Infinity, ['9007199254740993']] }] });
    // Nothing long: the text is parsed as it is.
    expect(parseExact('{"data":[{"fields":[1,"2",-3]}]}')).toEqual({ data: [{ fields: [1, '2', -3] }] });
    expect(() => parseExact('{"data":["unterminated')).toThrow(SyntaxError);
  });

  it('types nested arrays, maps, rows and binaries', () => {
    expect(convertValue(['1', '2'], { type: 'ARRAY', elementType: { type: 'BIGINT' } }, opts)).toEqual([1n, 2n]);
    expect(convertValue({ a: 1 }, { type: 'MAP', keyType: { type: 'VARCHAR' }, valueType: { type: 'INTEGER' } }, opts)).toEqual(new Map([['a', 1]]));
    expect(convertValue([['a', 1]], { type: 'MAP', keyType: { type: 'VARCHAR' }, valueType: { type: 'INTEGER' } }, opts)).toEqual(new Map([['a', 1]]));
    const row = { type: 'ROW', fields: [{ name: 'x', fieldType: { type: 'INTEGER' } }, { name: 'y', fieldType: { type: 'VARCHAR' } }] };
    expect(convertValue([1, 'a'], row, opts)).toEqual({ x: 1, y: 'a' });
    expect(convertValue({ x: 1, y: 'a' }, row, opts)).toEqual({ x: 1, y: 'a' });
    expect(Buffer.from(convertValue('YWI=', { type: 'VARBINARY' }, opts) as Uint8Array).toString()).toBe('ab');
    expect(convertValue(null, { type: 'INTEGER' }, opts)).toBeNull();
  });

  it('keeps PLAIN_TEXT values as strings and reads the row kind', () => {
    const row = convertRowData({ kind: 'UPDATE_AFTER', fields: ['1', 'x'] }, [{ name: 'a', logicalType: { type: 'INTEGER' } }, { name: 'b', logicalType: { type: 'VARCHAR' } }], true, opts);
    expect(row).toEqual({ kind: 'UPDATE_AFTER', values: { a: '1', b: 'x' } });
  });
});

describe('compiled row converter', () => {
  it('keeps odd column names as own properties, with the loop converter’s results', () => {
    const columns = [
      { name: '__proto__', logicalType: { type: 'INTEGER' } },
      { name: 'a"b\\c', logicalType: { type: 'VARCHAR' } },
      { name: "x'); process.exit(1); ('", logicalType: { type: 'BIGINT' } },
    ];
    const row = rowConverter(columns, false, { bigints: 'bigint' })({ kind: 'DELETE', fields: [1, 's', 2] });
    expect(row.kind).toBe('DELETE');
    expect(Object.getPrototypeOf(row.values)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(row.values, '__proto__')?.value).toBe(1);
    expect(row.values['a"b\\c']).toBe('s');
    expect(row.values["x'); process.exit(1); ('"]).toBe(2n);
    expect(rowConverter(columns, false, { bigints: 'bigint' })({})).toMatchObject({ kind: 'INSERT' });
  });
});
