import type { Readable } from 'node:stream';

/** What reading a response body gave. */
export type ReadBodyResult = { ok: true; data: Buffer } | { ok: false; tooLarge: true };

function discard(body: Readable): void {
  // Destroying emits an abort error on the stream; nobody else listens, so swallow it here.
  body.on('error', () => undefined);
  body.destroy();
}

/**
 * Reads a whole response body, but stops and discards the rest as soon as it exceeds `limit`
 * bytes, so an oversized answer cannot exhaust memory. The stream is always drained or destroyed,
 * which returns the connection to the pool (or closes it).
 */
export async function readBody(body: Readable, limit: number, contentLength: number | undefined): Promise<ReadBodyResult> {
  if (contentLength !== undefined && contentLength > limit) {
    discard(body);
    return { ok: false, tooLarge: true };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      discard(body);
      return { ok: false, tooLarge: true };
    }
    chunks.push(chunk);
  }
  return { ok: true, data: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) };
}
