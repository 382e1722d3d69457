import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient, FlinkConnectionError } from 'flink-client';
import { type MswServer, startMswServer } from '../support/msw-server.js';
import { generateTestPki, type TestPki } from '../support/tls.js';

const JOB = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';
const handlers = [http.get('*/v1/jobs/:id/status', () => HttpResponse.json({ status: 'RUNNING' }))];

let pki: TestPki;
let tlsServer: MswServer;
let mtlsServer: MswServer;

beforeAll(async () => {
  pki = generateTestPki();
  tlsServer = await startMswServer(handlers, { tls: { cert: pki.serverCert, key: pki.serverKey } });
  mtlsServer = await startMswServer(handlers, {
    tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
  });
});
afterAll(async () => {
  await tlsServer.close();
  await mtlsServer.close();
});

async function withClient<T>(options: ConstructorParameters<typeof ClusterClient>[0], fn: (c: ClusterClient) => Promise<T>): Promise<T> {
  const c = new ClusterClient(options);
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

describe('TLS', () => {
  it('verifies the server certificate by default and refuses an unknown CA', async () => {
    const err = await withClient({ url: tlsServer.url, maxRetries: 0 }, (c) => c.job(JOB).status()).catch((e) => e);
    expect(err).toBeInstanceOf(FlinkConnectionError);
    expect(tlsServer.requests).toHaveLength(0);
  });

  it('trusts a custom CA', async () => {
    expect(await withClient({ url: tlsServer.url, tls: { ca: pki.ca } }, (c) => c.job(JOB).status())).toBe('RUNNING');
  });

  it('presents a client certificate for mutual TLS', async () => {
    expect(await withClient({ url: mtlsServer.url, tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } }, (c) => c.job(JOB).status())).toBe('RUNNING');
    const err = await withClient({ url: mtlsServer.url, tls: { ca: pki.ca }, maxRetries: 0 }, (c) => c.job(JOB).status()).catch((e) => e);
    expect(err).toBeInstanceOf(FlinkConnectionError);
  });

  it('skips verification only when explicitly told to', async () => {
    expect(await withClient({ url: tlsServer.url, tls: { rejectUnauthorized: false } }, (c) => c.job(JOB).status())).toBe('RUNNING');
  });
});
