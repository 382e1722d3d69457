import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient, FlinkArgumentError, FlinkServerError } from 'flink-client';
import { type MswServer, startMswServer } from '../support/msw-server.js';

let server: MswServer;
let dir: string;
let client: ClusterClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flink-client-upload-'));
  server = await startMswServer(
    [
      http.post('*/v1/jars/upload', ({ request }) => {
        if (!request.headers.get('content-type')?.startsWith('multipart/form-data; boundary=')) {
          return HttpResponse.json({ errors: ['expected multipart'] }, { status: 400 });
        }
        return HttpResponse.json({ filename: '/tmp/flink-web-1/flink-web-upload/0f8e3a2c-1111-2222-3333-444455556666_job.jar', status: 'success' });
      }),
    ],
    { keepBodyBytes: 64 * 1024 },
  );
  client = new ClusterClient({ url: server.url });
});
afterAll(async () => {
  await client.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('uploadJar', () => {
  it('sends one multipart file part and returns the jar id', async () => {
    const path = join(dir, 'small.jar');
    writeFileSync(path, 'PK\u0003\u0004 fake jar');
    const jar = await client.uploadJar(path);
    expect(jar.jarId).toBe('0f8e3a2c-1111-2222-3333-444455556666_job.jar');
    const body = server.requests.at(-1)?.body ?? '';
    expect(body).toContain('name="jarfile"; filename="small.jar"');
    expect(body).toContain('PK\u0003\u0004 fake jar');
    expect(server.requests.at(-1)?.headers['content-length']).toBe(String(server.requests.at(-1)?.bodyBytes));
  });

  it('streams a 200 MB jar with flat memory and reports progress', async () => {
    const size = 200 * 1024 * 1024;
    const path = join(dir, 'big.jar');
    const chunk = Buffer.alloc(1024 * 1024, 7);
    await pipeline(
      Readable.from((function* () {
        for (let i = 0; i < size / chunk.length; i++) yield chunk;
      })()),
      createWriteStream(path),
    );
    global.gc?.();
    const before = process.memoryUsage();
    let peak = 0;
    let lastProgress = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - before.heapUsed - before.arrayBuffers);
    }, 5);
    try {
      await client.uploadJar(path, { onProgress: (p) => { lastProgress = p.bytesSent; expect(p.totalBytes).toBe(size); } });
    } finally {
      clearInterval(sampler);
    }
    expect(lastProgress).toBe(size);
    expect(server.requests.at(-1)?.bodyBytes).toBeGreaterThan(size);
    // Buffering the jar would need 200 MB; streaming stays within a few socket buffers.
    expect(peak).toBeLessThan(64 * 1024 * 1024);
  });

  it('uploads from a stream when given a file name', async () => {
    const jar = await client.uploadJar(Readable.from([Buffer.from('PK stream')]), { filename: 'streamed.jar' });
    expect(jar.jarId).toMatch(/_job\.jar$/);
    expect(server.requests.at(-1)?.headers['transfer-encoding']).toBe('chunked');
  });

  it('rejects names that are not .jar and missing files before sending', async () => {
    const count = server.requests.length;
    await expect(client.uploadJar(Readable.from([]), { filename: 'x.zip' })).rejects.toBeInstanceOf(FlinkArgumentError);
    await expect(client.uploadJar(join(dir, 'missing.jar'))).rejects.toBeInstanceOf(FlinkArgumentError);
    await expect(client.uploadJar(Readable.from([]))).rejects.toBeInstanceOf(FlinkArgumentError);
    expect(server.requests.length).toBe(count);
  });

  it('does not retry an upload that reached the server', async () => {
    server.use(http.post('*/v1/jars/upload', () => new HttpResponse(null, { status: 503 })));
    const path = join(dir, 'retry.jar');
    writeFileSync(path, 'PK');
    const count = server.requests.length;
    await expect(client.uploadJar(path)).rejects.toBeInstanceOf(FlinkServerError);
    expect(server.requests.length - count).toBe(1);
  });
});
