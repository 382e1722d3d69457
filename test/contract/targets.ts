import { mkdtempSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ClusterClient } from 'flink-client';
import {
  createSimulatorTarget,
  type FixtureKey,
  type FlinkSimulator,
  type FlinkTestTarget,
  SIMULATOR_FLINK_VERSIONS,
  type SimulatorFlinkVersion,
  uploadJarBytes,
} from 'flink-client/testing';
import type { RealCluster } from '../integration/global-setup.js';

/**
 * The two kinds of contract target: a real Flink cluster started by the integration global setup,
 * and a simulator configured like it. Scenarios only see {@link ContractTarget}.
 */

/**
 * A real cluster of the global setup as a {@link FlinkTestTarget}: uploads the fixture jars the
 * setup built for its version (the same multipart upload the simulator target sends).
 */
export function realClusterTarget(cluster: RealCluster): FlinkTestTarget {
  return {
    kind: 'flink',
    url: cluster.url,
    flinkVersion: cluster.version,
    uploadFixture: (key: FixtureKey) => {
      const path = cluster.jars[key];
      return uploadJarBytes(cluster.url, basename(path), readFileSync(path));
    },
    // The global setup owns the cluster and stops it after the run.
    close: async () => {},
  };
}

/** What a raw `fetch` saw: status, the headers a client may depend on, and the parsed body. */
export interface RawAnswer {
  status: number;
  contentType: string | null;
  /** Whether `access-control-allow-origin` was sent (Flink's static-file 404 has none). */
  cors: boolean;
  /** Parsed JSON, or the text when it is not JSON. */
  body: unknown;
}

/** A target as the scenarios use it: the SDK (strict validation), raw HTTP, jars, scratch space. */
export interface ContractTarget {
  readonly kind: 'flink' | 'simulator';
  /** `Flink 2.3.0` or `simulator 2.3.0`, for messages. */
  readonly label: string;
  readonly url: string;
  readonly flinkVersion: string;
  /** One client per target, reused by every scenario; `validation: 'strict'`. */
  readonly client: ClusterClient;
  /** Uploads a fixture jar (a fresh upload every call). */
  upload(key: FixtureKey): Promise<string>;
  /** A fixture jar uploaded once per target and shared by scenarios that only run it. */
  jar(key: FixtureKey): Promise<string>;
  /** One HTTP exchange without the SDK; `body` is sent as JSON unless it is a string or FormData. */
  raw(method: string, path: string, body?: unknown): Promise<RawAnswer>;
  /** A new, empty directory for savepoints, as a `file://` URL. */
  scratchDir(name: string): string;
  /** How many savepoints the cluster wrote directly under a directory (a `file://` URL). */
  savepointsIn(dirUrl: string): Promise<number>;
}

/** The simulator's target, which also exposes the simulator for reports. */
export interface SimulatorContractTarget extends ContractTarget {
  readonly kind: 'simulator';
  readonly simulator: FlinkSimulator;
}

/** The options of the client every target shares: strict bodies, quick retries. */
function newClient(url: string): ClusterClient {
  return new ClusterClient({ url, validation: 'strict', retry: { initialDelayMs: 20, maxDelayMs: 200 } });
}

async function rawFetch(url: string, method: string, path: string, body?: unknown): Promise<RawAnswer> {
  const init: RequestInit = { method };
  if (body instanceof FormData) init.body = body;
  else if (typeof body === 'string') {
    init.body = body;
    init.headers = { 'content-type': 'application/json' };
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const res = await fetch(`${url.replace(/\/+$/, '')}${path}`, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? '' : JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, contentType: res.headers.get('content-type'), cors: res.headers.has('access-control-allow-origin'), body: parsed };
}

function withSharedJars(upload: (key: FixtureKey) => Promise<string>): (key: FixtureKey) => Promise<string> {
  const jars = new Map<FixtureKey, Promise<string>>();
  return (key) => {
    let jar = jars.get(key);
    if (!jar) {
      jar = upload(key);
      jars.set(key, jar);
      jar.catch(() => jars.delete(key));
    }
    return jar;
  };
}

/** Wraps a real cluster. The client is created here and closed by {@link closeTarget}. */
export function realContractTarget(cluster: RealCluster): ContractTarget {
  const base = realClusterTarget(cluster);
  const scratchRoot = mkdtempSync(join(cluster.workDir, 'contract-'));
  let n = 0;
  return {
    kind: 'flink',
    label: `Flink ${cluster.version}`,
    url: base.url,
    flinkVersion: base.flinkVersion,
    client: newClient(base.url),
    upload: (key) => base.uploadFixture(key),
    jar: withSharedJars((key) => base.uploadFixture(key)),
    raw: (method, path, body) => rawFetch(base.url, method, path, body),
    scratchDir: (name) => pathToFileURL(join(scratchRoot, `${name}-${++n}`)).href,
    savepointsIn: async (dirUrl) => {
      try {
        return (await readdir(fileURLToPath(dirUrl))).filter((d) => d.startsWith('savepoint-')).length;
      } catch {
        return 0;
      }
    },
  };
}

/** A local path (no scheme, one leading slash) of a `file:` location, for prefix comparisons. */
function pathOf(location: string): string {
  return location.replace(/^file:\/*/, '/').replace(/\/+$/, '');
}

/**
 * Starts a simulator configured like the real clusters of the global setup (one task manager with
 * 8 slots, a default savepoint directory, `web.refresh-interval` 3 s with the execution-graph cache
 * on) with the version's profile, and wraps it.
 *
 * Timing is `'realistic'`: the simulator runs next to the real cluster, so its wall time is hidden
 * behind the real cluster's, and realistic step durations make the states a poller can see (such as
 * an application's two-second CANCELING) the ones Flink shows.
 */
export async function simulatorContractTarget(version: string): Promise<SimulatorContractTarget> {
  if (!(SIMULATOR_FLINK_VERSIONS as readonly string[]).includes(version)) throw new Error(`the simulator has no profile for Flink ${version}`);
  const base = await createSimulatorTarget({
    flinkVersion: version as SimulatorFlinkVersion,
    timing: 'realistic',
    taskManagers: 1,
    slotsPerTaskManager: 8,
    jobDetailsCache: true,
    refreshIntervalMs: 3000,
  });
  let n = 0;
  return {
    kind: 'simulator',
    label: `simulator ${version}`,
    simulator: base.simulator,
    url: base.url,
    flinkVersion: base.flinkVersion,
    client: newClient(base.url),
    upload: (key) => base.uploadFixture(key),
    jar: withSharedJars((key) => base.uploadFixture(key)),
    raw: (method, path, body) => rawFetch(base.url, method, path, body),
    scratchDir: (name) => `file:///tmp/flink-simulator/contract/${name}-${++n}`,
    savepointsIn: async (dirUrl) => {
      const dir = pathOf(dirUrl);
      return base.simulator.savepoints.list().filter((sp) => pathOf(sp.path).startsWith(`${dir}/`) && !pathOf(sp.path).slice(dir.length + 1).includes('/')).length;
    },
  };
}

/** Closes a target's client (and its simulator). */
export async function closeTarget(target: ContractTarget | undefined): Promise<void> {
  if (!target) return;
  await target.client.close();
  if (target.kind === 'simulator') await (target as SimulatorContractTarget).simulator.close();
}
