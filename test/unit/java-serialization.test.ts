import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BYTE_ARRAY, type JavaClass, javaArray, javaObject, SC_SERIALIZABLE, SC_WRITE_METHOD, serializeJava } from '../../src/testing/java-serialization.js';
import { serializedThrowable } from '../../src/testing/java.js';

// The Java serialization writer the simulator uses for `failure-cause.serialized-throwable`. A real
// JVM reads its output in test/integration/flink-clients.test.ts; here the bytes themselves.

const hex = (b: Buffer): string => b.toString('hex');
const utf = (s: string): string => hex(Buffer.concat([Buffer.from([0, Buffer.byteLength(s)]), Buffer.from(s)]));

const POINT: JavaClass = { name: 'p.Point', serialVersionUID: 1n, flags: SC_SERIALIZABLE, fields: [{ name: 'y', type: 'I' }, { name: 'label', type: 'Ljava/lang/String;' }, { name: 'x', type: 'I' }] };

describe('serializeJava', () => {
  it('writes the header, a class descriptor with fields in stream order, and the values', () => {
    const bytes = serializeJava(javaObject(POINT, { x: 1, y: -2, label: 'a' }));
    expect(hex(bytes)).toBe(
      [
        'aced0005', // magic, version
        '73', // TC_OBJECT
        `72${utf('p.Point')}0000000000000001`, // TC_CLASSDESC name uid
        '02', // SC_SERIALIZABLE
        '0003', // primitives first, then objects, each by name: x, y, label
        `49${utf('x')}`,
        `49${utf('y')}`,
        `4c${utf('label')}74${utf('Ljava/lang/String;')}`,
        '78', // no class annotation
        '70', // no superclass
        '00000001',
        'fffffffe',
        `74${utf('a')}`,
      ].join(''),
    );
  });

  it('refers back to class descriptors, type strings and equal strings by handle', () => {
    const pair: JavaClass = { name: 'p.Pair', serialVersionUID: 2n, flags: SC_SERIALIZABLE, fields: [{ name: 'a', type: 'Lp/Point;' }, { name: 'b', type: 'Lp/Point;' }] };
    const bytes = serializeJava(javaObject(pair, { a: javaObject(POINT, { label: 'same' }), b: javaObject(POINT, { label: 'same' }) }));
    // Handles from 0x7e0000: Pair's descriptor, its type string "Lp/Point;" (once for both fields).
    expect(hex(bytes)).toContain(`4c${utf('b')}71007e0001`);
    // The second Point reuses Point's descriptor and the string "same".
    expect(bytes.indexOf(Buffer.from('p.Point'))).toBe(bytes.lastIndexOf(Buffer.from('p.Point')));
    expect(bytes.indexOf(Buffer.from('same'))).toBe(bytes.lastIndexOf(Buffer.from('same')));
    expect(hex(bytes).match(/7371007e/g)).toHaveLength(1);
  });

  it('writes a self reference as a back reference to the object being written', () => {
    const node: JavaClass = { name: 'p.Node', serialVersionUID: 3n, flags: SC_SERIALIZABLE, fields: [{ name: 'next', type: 'Lp/Node;' }] };
    const values: Record<string, unknown> = {};
    const self = javaObject(node, values as never);
    values.next = self;
    // descriptor 0x7e0000, type string 0x7e0001, the object 0x7e0002
    expect(hex(serializeJava(self)).endsWith('7870' + '71007e0002')).toBe(true);
  });

  it('ends the data of a class with a writeObject method with TC_ENDBLOCKDATA, superclass first', () => {
    const base: JavaClass = { name: 'p.Base', serialVersionUID: 4n, flags: SC_SERIALIZABLE | SC_WRITE_METHOD, fields: [{ name: 'b', type: 'Z' }] };
    const sub: JavaClass = { name: 'p.Sub', serialVersionUID: 5n, flags: SC_SERIALIZABLE, fields: [{ name: 's', type: 'J' }], superClass: base };
    const bytes = serializeJava(javaObject(sub, { b: true, s: 2n ** 40n }));
    expect(hex(bytes).endsWith('01' + '78' + '0000010000000000')).toBe(true);
    expect(bytes[bytes.indexOf(Buffer.from('p.Base')) + 6 + 8]).toBe(0x03);
  });

  it('encodes modified UTF-8 (U+0000 as two bytes, supplementary characters as surrogate pairs) and long strings', () => {
    const bytes = serializeJava('\u0000é😀');
    expect(hex(bytes)).toBe(`aced000574000ac080c3a9eda0bdedb880`);
    const long = serializeJava('x'.repeat(70_000));
    expect(hex(long.subarray(4, 13))).toBe('7c0000000000011170');
    expect(long.length).toBe(4 + 9 + 70_000);
  });

  it('writes byte arrays raw and rejects values that do not fit', () => {
    expect(hex(serializeJava(javaArray(BYTE_ARRAY, new Uint8Array([1, 2]))))).toBe(`aced000575${`72${utf('[B')}acf317f8060854e0020000` + '7870'}000000020102`);
    const holder: JavaClass = { name: 'p.H', serialVersionUID: 6n, flags: SC_SERIALIZABLE, fields: [{ name: 'o', type: 'Ljava/lang/Object;' }] };
    expect(() => serializeJava(javaObject(holder, { o: 5 }))).toThrow(TypeError);
    expect(() => serializeJava(42)).toThrow(TypeError);
    expect(() => serializeJava(javaArray({ name: '[I', serialVersionUID: 0n, flags: SC_SERIALIZABLE, fields: [] }, [1]))).toThrow(TypeError);
  });
});

describe("the simulator's SerializedThrowable", () => {
  it('has the bytes real Flink 2.3.0 sent for the same failure, up to the stack trace (which differs)', () => {
    const recorded = JSON.parse(readFileSync(new URL('../fixtures/recorded/2.3.0/job-execution-result-failed.json', import.meta.url), 'utf8')) as {
      body: { 'job-execution-result': { 'failure-cause': { 'serialized-throwable': string } } };
    };
    const real = Buffer.from(recorded.body['job-execution-result']['failure-cause']['serialized-throwable'], 'base64');
    const ours = Buffer.from(
      serializedThrowable({
        className: 'org.apache.flink.runtime.JobException',
        message: 'Recovery is suppressed by NoRestartBackoffTimeStrategy',
        cause: { className: 'java.lang.IllegalStateException', message: 'flink-client fixture failure' },
      })['serialized-throwable'],
      'base64',
    );
    let same = 0;
    while (same < real.length && real[same] === ours[same]) same++;
    // Every class descriptor (SerializedThrowable, Exception, Throwable, StackTraceElement[]), the
    // cause's SerializedThrowable and both messages, up to the number of frames of the cause.
    const framesCount = real.indexOf(Buffer.from('java.lang.StackTraceElement;')) + 'java.lang.StackTraceElement;'.length + 8 + 1 + 2 + 2;
    expect(same).toBeGreaterThanOrEqual(framesCount);
    expect(ours.subarray(0, same).includes(Buffer.from('java.lang.IllegalStateException: flink-client fixture failure'))).toBe(true);
    // StackTraceElement's descriptor is byte for byte the real one.
    const at = real.indexOf(Buffer.concat([Buffer.from([0x72, 0x00, 0x1b]), Buffer.from('java.lang.StackTraceElement')]));
    const desc = real.subarray(at, real.indexOf(Buffer.from([0x78, 0x70]), at) + 2);
    expect(desc.length).toBeGreaterThan(60);
    expect(ours.includes(desc)).toBe(true);
  });

  it('keeps the class, the printStackTrace text and the message in the JSON beside the bytes', () => {
    const json = serializedThrowable({ className: 'com.example.Boom', message: 'no' });
    expect(json.class).toBe('com.example.Boom');
    expect(json['stack-trace'].split('\n')[0]).toBe('com.example.Boom: no');
    const bytes = Buffer.from(json['serialized-throwable'], 'base64');
    expect(bytes.includes(Buffer.from('com.example.Boom: no'))).toBe(true);
    // The original exception's own bytes (serializedException) carry its class descriptor, but only
    // for a class whose serial form the simulator knows: an unknown class gets null there.
    const desc = (name: string): Buffer => Buffer.concat([Buffer.from([0x72, 0x00, name.length]), Buffer.from(name)]);
    expect(bytes.includes(desc('com.example.Boom'))).toBe(false);
    const known = Buffer.from(serializedThrowable({ className: 'java.lang.IllegalStateException', message: 'no' })['serialized-throwable'], 'base64');
    expect(known.includes(desc('java.lang.IllegalStateException'))).toBe(true);
  });
});
