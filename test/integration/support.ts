import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { RealCluster } from './global-setup.js';

/** The real clusters the global setup started, one per Flink version. */
export function realClusters(): RealCluster[] {
  const provided = inject('flink');
  if (!provided || provided.clusters.length === 0) throw new Error('no real Flink cluster was provided by the global setup');
  return provided.clusters;
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
