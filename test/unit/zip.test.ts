import { describe, expect, it } from 'vitest';
import { buildJar } from '../../src/testing/index.js';
import { readJar } from '../../src/testing/jar-file.js';
import { entryDataStart, LOCAL_HEADER_BYTES, locateCentralDirectory, readCentralDirectory, ZipFormatError } from '../../src/testing/zip.js';

describe('the shared zip reader (simulator jars, provisioned Flink wheels)', () => {
  it('lists the entries of a jar and finds each entry\'s data', () => {
    const jar = Buffer.from(buildJar({ mainClass: 'com.example.Main', classes: ['com.example.Other'] }));
    const where = locateCentralDirectory(jar);
    const entries = readCentralDirectory(jar.subarray(where.offset, where.offset + where.size), where.count);
    expect(entries.map((e) => e.name)).toEqual(['META-INF/', 'META-INF/MANIFEST.MF', 'com/example/Main.class', 'com/example/Other.class']);
    const manifest = entries[1]!;
    const start = entryDataStart(jar.subarray(manifest.localOffset, manifest.localOffset + LOCAL_HEADER_BYTES), manifest);
    expect(jar.subarray(start, start + manifest.size).toString('utf8')).toContain('Main-Class: com.example.Main');
    expect(readJar(jar)).toEqual({ mainClass: 'com.example.Main', classes: ['com.example.Main', 'com.example.Other'] });
  });

  it('rejects what is not a zip, a cut central directory and a bad local header with ZipFormatError', () => {
    expect(() => locateCentralDirectory(Buffer.alloc(64))).toThrow(ZipFormatError);
    expect(() => locateCentralDirectory(Buffer.alloc(64))).toThrow(/no end of central directory/);
    const jar = Buffer.from(buildJar({ mainClass: 'a.B' }));
    const where = locateCentralDirectory(jar);
    expect(() => readCentralDirectory(jar.subarray(where.offset, where.offset + 10), where.count)).toThrow(/corrupt central directory/);
    const [first] = readCentralDirectory(jar.subarray(where.offset, where.offset + where.size), where.count);
    expect(() => entryDataStart(Buffer.alloc(LOCAL_HEADER_BYTES), first!)).toThrow(/corrupt local header for META-INF\//);
    // The simulator treats an unreadable upload as a jar without entry classes.
    expect(readJar(new Uint8Array([1, 2, 3]))).toEqual({ mainClass: undefined, classes: [] });
  });

  it('rejects zip64 archives', () => {
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(0xffff, 10);
    expect(() => locateCentralDirectory(eocd)).toThrow(/zip64/);
  });
});
