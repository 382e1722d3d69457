import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { StreamBody } from './request-pipeline.js';

/** Progress of a streamed upload. */
export interface UploadProgress {
  /** Bytes of the file sent so far. */
  bytesSent: number;
  /** Size of the file, when known. */
  totalBytes: number | undefined;
}

/**
 * Wraps a file stream into a `multipart/form-data` body with one file part, streamed chunk by
 * chunk (the file is never held in memory), reporting progress as chunks are pulled by the socket.
 */
export function multipartFileBody(options: {
  source: AsyncIterable<Uint8Array | string>;
  filename: string;
  size: number | undefined;
  fieldName?: string;
  onProgress?: (progress: UploadProgress) => void;
}): StreamBody {
  const boundary = `----flink-client-${randomBytes(12).toString('hex')}`;
  const safeName = options.filename.replace(/["\\\r\n]/g, '_');
  const head = Buffer.from(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="${options.fieldName ?? 'jarfile'}"; filename="${safeName}"\r\n` +
      'Content-Type: application/java-archive\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const { source, size, onProgress } = options;
  async function* generate(): AsyncGenerator<Uint8Array> {
    yield head;
    let sent = 0;
    for await (const chunk of source) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      sent += bytes.length;
      yield bytes;
      onProgress?.({ bytesSent: sent, totalBytes: size });
    }
    if (size !== undefined && sent !== size) {
      throw new Error(`upload source produced ${sent} bytes, expected ${size}`);
    }
    yield tail;
  }
  return {
    body: Readable.from(generate(), { objectMode: false }),
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: size === undefined ? undefined : head.length + size + tail.length,
  };
}
