import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, inject } from 'vitest';
import { ClusterClient } from 'flink-client';
import type { FixtureJob } from '../../scripts/build-fixtures.mjs';
import type { RealCluster } from './global-setup.js';

/** The real clusters the global setup started, one per Flink version. */
export function realClusters(): RealCluster[] {
  const provided = inject('flink');
  if (!provided || provided.clusters.length === 0) throw new Error('no real Flink cluster was provided by the global setup');
  return provided.clusters;
}

/**
 * A strict ClusterClient on a shared real cluster for one describe block, with the given fixture
 * jars uploaded before its tests (`jarIds` is filled in `beforeAll`) and the client closed after
 * them. Creating the client sends nothing, so it is usable in the describe body.
 */
export function sharedCluster<K extends FixtureJob>(flink: RealCluster, jobs: readonly K[]): { cluster: ClusterClient; jarIds: Record<K, string> } {
  const cluster = new ClusterClient({ url: flink.url, validation: 'strict' });
  const jarIds = {} as Record<K, string>;
  beforeAll(async () => {
    for (const key of jobs) jarIds[key] = (await cluster.uploadJar(flink.jars[key])).jarId;
  });
  afterAll(async () => {
    await cluster.close();
  });
  return { cluster, jarIds };
}

/** Whether a version is at least `want` (numeric compare of x.y.z). */
export function atLeast(version: string, want: string): boolean {
  const a = version.split('.').map(Number);
  const b = want.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** A savepoint location as Flink reports it (`file:/...`) turned into a local path. */
export function localPath(location: string): string {
  return location.startsWith('file:') ? fileURLToPath(new URL(location)) : location;
}

/** The savepoint directories directly inside `dir`. */
export async function savepointDirs(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir)).filter((d) => d.startsWith('savepoint-'));
}

/** The streaming fixture's running total, written to `<dir>/count`; undefined before the first write. */
export function readCount(dir: string): number | undefined {
  try {
    const text = readFileSync(`${dir}/count`, 'utf8').trim();
    return text ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Polls `read` until it returns a value accepted by `ok`, or fails after `timeoutMs`. */
export async function eventually<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
