import { afterEach } from 'vitest';
import { ClusterClient } from 'flink-client';
import { type MswServer, startMswServer } from './msw-server.js';

/** Loopback JobManagers and clients of a failover test; see {@link failoverTestbed}. */
export interface FailoverTestbed {
  /** A new loopback JobManager with no handlers (add them with `use`). */
  server(): Promise<MswServer>;
  /** A client of these JobManagers, with fast retries. */
  client(urls: string[]): ClusterClient;
  /** Takes a JobManager the test closed itself out of the cleanup. */
  forget(server: MswServer): void;
}

/**
 * The JobManagers and clients of failover tests (several loopback servers behind one client),
 * closed after each test of the file that calls this.
 */
export function failoverTestbed(): FailoverTestbed {
  const servers: MswServer[] = [];
  const clients: ClusterClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return {
    async server() {
      const s = await startMswServer([]);
      servers.push(s);
      return s;
    },
    client(urls) {
      const c = new ClusterClient({ url: urls, retry: { initialDelayMs: 5, maxDelayMs: 20 } });
      clients.push(c);
      return c;
    },
    forget(server) {
      const i = servers.indexOf(server);
      if (i >= 0) servers.splice(i, 1);
    },
  };
}
