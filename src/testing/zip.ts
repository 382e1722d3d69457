/**
 * The one zip central-directory reader, shared by the simulator's jar reader (jar-file.ts, jars in
 * memory) and scripts/provision-flink.mjs (Flink wheels on disk, read piecewise; it loads this
 * module through tsx). Pure functions over byte ranges: the caller reads the bytes. No zip64.
 */

/** One entry of a zip's central directory. @internal */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  /** Unix permission bits from the external attributes (0 when the zip has none). */
  mode: number;
  /** Where the entry's local header starts. */
  localOffset: number;
}

/** Where the central directory is, from the end-of-central-directory record. @internal */
export interface CentralDirectoryLocation {
  count: number;
  size: number;
  offset: number;
}

/** A zip that cannot be read. @internal */
export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

/** How many bytes at the end of a zip hold its end-of-central-directory record (comment included). @internal */
export const ZIP_TAIL_BYTES = 65_536 + 22;

/** A local header's fixed part. @internal */
export const LOCAL_HEADER_BYTES = 30;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Finds the central directory from a zip's last {@link ZIP_TAIL_BYTES} bytes (or all of it).
 * @throws ZipFormatError when there is no end-of-central-directory record, or the zip is zip64.
 * @internal
 */
export function locateCentralDirectory(tail: Uint8Array): CentralDirectoryLocation {
  const v = view(tail);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (v.getUint32(i, true) !== EOCD) continue;
    const count = v.getUint16(i + 10, true);
    const size = v.getUint32(i + 12, true);
    const offset = v.getUint32(i + 16, true);
    if (count === 0xffff || offset === 0xffffffff) throw new ZipFormatError('zip64 archives are not supported');
    return { count, size, offset };
  }
  throw new ZipFormatError('not a zip archive (no end of central directory)');
}

/**
 * The entries of a central directory (its `size` bytes from `offset`).
 * @throws ZipFormatError when an entry's signature is wrong or the directory is cut short.
 * @internal
 */
export function readCentralDirectory(cd: Uint8Array, count: number): ZipEntry[] {
  const v = view(cd);
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  for (let p = 0, i = 0; i < count; i++) {
    if (p + 46 > cd.length || v.getUint32(p, true) !== CENTRAL) throw new ZipFormatError('corrupt central directory');
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const commentLen = v.getUint16(p + 32, true);
    entries.push({
      name: decoder.decode(cd.subarray(p + 46, p + 46 + nameLen)),
      method: v.getUint16(p + 10, true),
      compressedSize: v.getUint32(p + 20, true),
      size: v.getUint32(p + 24, true),
      mode: (v.getUint32(p + 38, true) >>> 16) & 0o777,
      localOffset: v.getUint32(p + 42, true),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * Where an entry's data starts, from its local header ({@link LOCAL_HEADER_BYTES} bytes at
 * `entry.localOffset`).
 * @throws ZipFormatError when the local header's signature is wrong.
 * @internal
 */
export function entryDataStart(localHeader: Uint8Array, entry: ZipEntry): number {
  const v = view(localHeader);
  if (localHeader.length < LOCAL_HEADER_BYTES || v.getUint32(0, true) !== LOCAL) throw new ZipFormatError(`corrupt local header for ${entry.name}`);
  return entry.localOffset + LOCAL_HEADER_BYTES + v.getUint16(26, true) + v.getUint16(28, true);
}
