import type { Readable } from 'node:stream';

/** What reading a response body gave: its text, or the news that it was too large. */
export type ReadBodyResult = { ok: true; text: string } | { ok: false; tooLarge: true };

function discard(body: Readable): void {
  // Destroying emits an abort error on the stream; nobody else listens, so swallow it here.
  body.on('error', () => undefined);
  body.destroy();
}

/**
 * Reads a whole response body as UTF-8 text, but stops and discards the rest as soon as it
 * exceeds `limit` bytes, so an oversized answer cannot exhaust memory. The stream is always
 * drained or destroyed, which returns the connection to the pool (or closes it).
 *
 * With a Content-Length (Flink always sends one) the size is known up front and the body is read
 * with undici's own consumer, much cheaper than iterating the stream; without one, chunks are
 * counted as they arrive.
 */
export async function readBody(body: Readable & { text?: () => Promise<string> }, limit: number, contentLength: number | undefined): Promise<ReadBodyResult> {
  if (contentLength !== undefined && Number.isFinite(contentLength)) {
    if (contentLength > limit) {
      discard(body);
      return { ok: false, tooLarge: true };
    }
    // HTTP framing stops undici at Content-Length bytes, so the cap holds.
    if (typeof body.text === 'function') return { ok: true, text: await body.text() };
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
  return { ok: true, text: (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)).toString('utf8') };
}
