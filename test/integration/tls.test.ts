import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ClusterClient, FlinkApiError, FlinkConnectionError, LocalClusterDescriptor } from 'flink-client';

// One real Flink whose REST API requires mutual TLS (security.ssl.rest.*, a throwaway CA made by
// the descriptor): what a client without the CA, without a client certificate, by the wrong
// name or over plain HTTP gets from it.
const version = '2.3.0';
const flinkHome = inject('flink').homes[version];

describe.runIf(flinkHome)(`REST over mutual TLS on real Flink ${version}`, () => {
  let descriptor: LocalClusterDescriptor;
  let url = '';
  let ca = '';
  let cert = '';
  let key = '';
  const clients: ClusterClient[] = [];
  const client = (options: ConstructorParameters<typeof ClusterClient>[0]): ClusterClient => {
    const c = new ClusterClient({ maxRetries: 0, ...options });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    descriptor = new LocalClusterDescriptor({ flinkHome, slots: 1, tls: { mutual: true } });
    await descriptor.deploy();
    url = descriptor.restUrl as string;
    ({ ca } = descriptor.tlsMaterial as { ca: string });
    cert = descriptor.tlsMaterial?.cert as string;
    key = descriptor.tlsMaterial?.key as string;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    const pids = descriptor?.processes.map((p) => p.pid) ?? [];
    await descriptor?.shutdown();
    expect(pids.filter((pid) => { try { process.kill(pid, 0); return true; } catch { return false; } })).toEqual([]);
  });

  it('serves https on 127.0.0.1, and the client the descriptor returns trusts it', async () => {
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await descriptor.retrieve()).flinkVersion()).toBe(version);
    expect((await client({ url, tls: { ca, cert, key } }).overview())['slots-total']).toBe(1);
  });

  it('verifies the server by default: an unknown CA is refused, typed, saying to pass tls.ca', async () => {
    const err = await client({ url, tls: { cert, key } }).overview().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkConnectionError);
    expect(err.message).toMatch(/not signed by a CA this client trusts/);
    expect(err.message).toContain('tls.ca');
  });

  it('checks the host name: the certificate names 127.0.0.1, not localhost', async () => {
    const err = await client({ url: url.replace('127.0.0.1', 'localhost'), tls: { ca, cert, key } }).overview().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkConnectionError);
    expect(err.message).toMatch(/not valid for host localhost/);
  });

  it('says a client certificate is required when none is given', async () => {
    const err = await client({ url, tls: { ca } }).overview().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkConnectionError);
    expect(err.message).toMatch(/client certificate/);
  });

  it('says to use https:// when plain HTTP reaches the TLS port (Flink answers it with a 301 to https, never followed)', async () => {
    const err = await client({ url: url.replace('https:', 'http:') }).overview().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkApiError);
    expect(err.status).toBe(301);
    expect(err.message).toMatch(/it serves TLS, use an https:\/\/ URL/);
  });
});
