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
let plainServer: MswServer;

beforeAll(async () => {
  pki = generateTestPki();
  tlsServer = await startMswServer(handlers, { tls: { cert: pki.serverCert, key: pki.serverKey } });
  mtlsServer = await startMswServer(handlers, {
    tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
  });
  plainServer = await startMswServer(handlers);
});
afterAll(async () => {
  await tlsServer.close();
  await mtlsServer.close();
  await plainServer.close();
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

describe('TLS mismatches say which', () => {
  const fail = (options: ConstructorParameters<typeof ClusterClient>[0]): Promise<FlinkConnectionError> =>
    withClient({ maxRetries: 0, ...options }, (c) => c.job(JOB).status()).then(
      () => {
        throw new Error('expected a connection error');
      },
      (e: unknown) => {
        expect(e).toBeInstanceOf(FlinkConnectionError);
        return e as FlinkConnectionError;
      },
    );

  it('an unknown CA: the certificate is not signed by a trusted CA, pass tls.ca', async () => {
    const err = await fail({ url: tlsServer.url });
    expect(err.message).toMatch(/certificate is not signed by a CA this client trusts \([A-Z_]+\): pass the CA certificate as tls\.ca/);
  });

  it('a wrong host name: the certificate is not valid for the host', async () => {
    const err = await fail({ url: tlsServer.url, tls: { ca: pki.ca, servername: 'flink.example.com' } });
    expect(err.message).toMatch(/certificate is not valid for host/);
  });

  it('https:// against a plain HTTP port: the server does not speak TLS, use http://', async () => {
    const url = plainServer.url.replace(/^http:/, 'https:');
    const err = await fail({ url, tls: { ca: pki.ca } });
    // Node's http server answers a ClientHello with a 400 (`wrong version number`); others just close.
    expect(err.message).toMatch(/(does not|may not) speak TLS on that port: use http:\/\//);
    expect(err.message).toContain(url.replace(/^https:/, 'http:').replace(/\/+$/, ''));
  });

  it('http:// against a TLS port: the server serves TLS, use https://', async () => {
    const err = await fail({ url: tlsServer.url.replace(/^https:/, 'http:') });
    expect(err.message).toMatch(/if it serves TLS, use https:/);
  });

  it('mutual TLS without a client certificate: a client certificate is required', async () => {
    const err = await fail({ url: mtlsServer.url, tls: { ca: pki.ca } });
    expect(err.message).toMatch(/client certificate/);
  });
});
