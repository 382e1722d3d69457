import type { SchedulingClock } from './clock.js';
import type { SimulatedSavepoint } from './state.js';

/** Normalises a savepoint or checkpoint location the way Flink's `Path` prints it. @internal */
export function normalizeLocation(location: string): string {
  let d = location.trim().replace(/\/+$/, '');
  if (d.startsWith('file:///')) d = `file:/${d.slice('file:///'.length)}`;
  else if (d.startsWith('/')) d = `file:${d}`;
  return d;
}

/** A savepoint on "disk". @internal */
export class SavepointRecord implements SimulatedSavepoint {
  disposed = false;
  constructor(
    readonly path: string,
    readonly jobId: string | undefined,
    readonly checkpointId: number,
    readonly createdAt: number,
    readonly format: 'CANONICAL' | 'NATIVE',
  ) {}
}

/**
 * The savepoints the cluster knows, by normalised location. They are files: they survive a
 * JobManager restart without state. @internal
 */
export class SavepointStore extends Map<string, SavepointRecord> {
  readonly #clock: SchedulingClock;

  constructor(clock: SchedulingClock) {
    super();
    this.#clock = clock;
  }

  /** The savepoint at a location, in any spelling (`file:///x`, `file:/x`, `/x`). */
  find(location: string): SavepointRecord | undefined {
    return this.get(normalizeLocation(location));
  }

  /** Records a savepoint (written by the cluster, or registered by a test so runs can restore from it). */
  add(path: string, options: { jobId?: string; checkpointId?: number; format?: 'CANONICAL' | 'NATIVE' } = {}): SavepointRecord {
    const location = normalizeLocation(path);
    const record = new SavepointRecord(location, options.jobId, options.checkpointId ?? 1, this.#clock.now(), options.format ?? 'CANONICAL');
    this.set(location, record);
    return record;
  }
}
