import { inflateRawSync } from 'node:zlib';
import { entryDataStart, LOCAL_HEADER_BYTES, locateCentralDirectory, readCentralDirectory, ZIP_TAIL_BYTES } from './zip.js';

/**
 * Minimal jar (zip) support: build a small valid jar with a manifest, and read the `Main-Class`
 * and class names of an uploaded one, so the simulator lists the same entry classes for a jar as
 * Flink does (`GET /jars` → `entry`). Real jars built by `javac`/`jar` (deflated entries) work too.
 */

/** Options of {@link buildJar}. */
export interface BuildJarOptions {
  /** The `Main-Class` written to `META-INF/MANIFEST.MF`; omit for a jar without one. */
  mainClass?: string;
  /** Further classes the jar contains (each gets an empty `.class` entry), usable as `entryClass`. */
  classes?: readonly string[];
}

let crcTable: Uint32Array | undefined;

function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = (crcTable[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function classEntry(className: string): string {
  return `${className.replace(/\./g, '/')}.class`;
}

/**
 * Builds a small, valid jar file (stored zip entries) with a manifest naming `mainClass`. Upload it
 * to the simulator (or anywhere) like any jar; the simulator runs the program registered for its
 * main class.
 *
 * @example
 * ```ts
 * const bytes = buildJar({ mainClass: 'com.example.Main' });
 * await cluster.uploadJar(Readable.from([bytes]), { filename: 'example.jar' });
 * ```
 */
export function buildJar(options: BuildJarOptions = {}): Uint8Array {
  const manifest =
    'Manifest-Version: 1.0\r\nCreated-By: flink-client/testing\r\n' + (options.mainClass ? `Main-Class: ${options.mainClass}\r\n` : '') + '\r\n';
  const classes = new Set([...(options.mainClass ? [options.mainClass] : []), ...(options.classes ?? [])]);
  const entries: Array<{ name: string; data: Buffer }> = [
    { name: 'META-INF/', data: Buffer.alloc(0) },
    { name: 'META-INF/MANIFEST.MF', data: Buffer.from(manifest, 'utf8') },
    ...[...classes].map((c) => ({ name: classEntry(c), data: Buffer.from([0xca, 0xfe, 0xba, 0xbe]) })),
  ];
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, ...centrals, end]));
}

/** What the simulator learns from an uploaded jar. @internal */
export interface JarContents {
  /** `Main-Class` of the manifest, if any. */
  mainClass: string | undefined;
  /** Classes in the jar (dotted names), without inner classes. */
  classes: string[];
}

/** Reads the manifest and class names of a jar; an unreadable file yields nothing. @internal */
export function readJar(bytes: Uint8Array): JarContents {
  const none: JarContents = { mainClass: undefined, classes: [] };
  try {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const where = locateCentralDirectory(buf.subarray(Math.max(0, buf.length - ZIP_TAIL_BYTES)));
    const entries = readCentralDirectory(buf.subarray(where.offset, where.offset + where.size), where.count);
    const classes: string[] = [];
    let mainClass: string | undefined;
    for (const entry of entries) {
      const name = entry.name;
      if (name.endsWith('.class') && !name.includes('$') && !name.startsWith('META-INF/')) {
        classes.push(name.slice(0, -'.class'.length).replace(/\//g, '.'));
      } else if (name.toUpperCase() === 'META-INF/MANIFEST.MF') {
        const start = entryDataStart(buf.subarray(entry.localOffset, entry.localOffset + LOCAL_HEADER_BYTES), entry);
        const raw = buf.subarray(start, start + entry.compressedSize);
        const text = (entry.method === 8 ? inflateRawSync(raw) : raw).toString('utf8');
        mainClass = manifestAttribute(text, 'Main-Class');
      }
    }
    return { mainClass, classes };
  } catch {
    return none;
  }
}

function manifestAttribute(text: string, name: string): string | undefined {
  // Manifest lines are wrapped at 72 bytes: a line starting with one space continues the previous one.
  const lines = text.split(/\r?\n/);
  const joined: string[] = [];
  for (const line of lines) {
    if (line.startsWith(' ') && joined.length > 0) joined[joined.length - 1] += line.slice(1);
    else joined.push(line);
  }
  const prefix = `${name.toLowerCase()}:`;
  const hit = joined.find((l) => l.toLowerCase().startsWith(prefix));
  const value = hit?.slice(prefix.length).trim();
  return value ? value : undefined;
}
