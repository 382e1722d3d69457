import { buildJar } from './jar-file.js';
import { FIXTURE_JARS, type FixtureKey, fixturePrograms } from './programs.js';
import { createFlinkSimulator, type FlinkSimulator, type FlinkSimulatorOptions } from './simulator.js';

/**
 * Helpers for suites that run the same scenarios against a real Flink cluster and against the
 * simulator: both are "a REST URL plus a way to upload the fixture jars".
 */

/** A fixture jar as bytes, ready to upload anywhere. */
export interface FixtureJar {
  /** The file name the real fixture build produces (`streaming-counter.jar`, ...). */
  filename: string;
  /** The jar's `Main-Class`. */
  entryClass: string;
  /** A small valid jar whose manifest names `entryClass` (no real classes inside). */
  bytes: Uint8Array;
}

/**
 * One of the fixture jars (test/fixtures/jobs) as a small jar file whose manifest names the real
 * main class. Uploaded to a simulator with {@link fixturePrograms} registered, it runs like the real
 * fixture job; uploaded to a real cluster it would not run (use the real build there).
 *
 * @throws TypeError for an unknown key.
 * @example
 * ```ts
 * const { filename, bytes } = fixtureJar('bounded');
 * const { jarId } = await cluster.uploadJar(Readable.from([bytes]), { filename });
 * ```
 */
export function fixtureJar(key: FixtureKey): FixtureJar {
  const info = FIXTURE_JARS[key];
  if (!info) throw new TypeError(`unknown fixture ${JSON.stringify(key)}; expected one of ${Object.keys(FIXTURE_JARS).join(', ')}`);
  return { filename: info.jarName, entryClass: info.entryClass, bytes: buildJar({ mainClass: info.entryClass }) };
}

/**
 * Where contract scenarios run: a REST URL, the Flink version behind it, and a way to upload the
 * fixture jars. Implement it for a real cluster (uploading the built fixture jars) and use
 * {@link createSimulatorTarget} for the simulator, then write each scenario once.
 */
export interface FlinkTestTarget {
  /** `'simulator'` or `'flink'` (a real cluster). */
  readonly kind: 'simulator' | 'flink';
  /** The REST root, such as `http://127.0.0.1:8081`. */
  readonly url: string;
  /** The Flink version (`2.3.0`, `1.20.5`). */
  readonly flinkVersion: string;
  /** Uploads a fixture jar through `POST /jars/upload` and returns its jar id. */
  uploadFixture(key: FixtureKey): Promise<string>;
  /** Releases the target (stops the simulator / the cluster it started). */
  close(): Promise<void>;
}

/**
 * Uploads jar bytes to a Flink REST endpoint (`POST /v1/jars/upload`, one multipart file part)
 * with plain `fetch`, and returns the jar id.
 *
 * @throws Error when the upload is not answered with 200.
 */
export async function uploadJarBytes(url: string, filename: string, bytes: Uint8Array): Promise<string> {
  const form = new FormData();
  form.append('jarfile', new Blob([bytes], { type: 'application/java-archive' }), filename);
  const res = await fetch(`${url.replace(/\/+$/, '')}/v1/jars/upload`, { method: 'POST', body: form });
  const body = (await res.json()) as { filename?: string; errors?: string[] };
  if (res.status !== 200 || typeof body.filename !== 'string') throw new Error(`jar upload failed with ${res.status}: ${body.errors?.[0]?.split('\n')[0] ?? 'no body'}`);
  return body.filename.split(/[/\\]/).pop() as string;
}

/**
 * Starts a simulator with the fixture programs registered and wraps it as a
 * {@link FlinkTestTarget}; the simulator itself is on `.simulator` for simulator-only checks.
 *
 * @example
 * ```ts
 * const target = await createSimulatorTarget({ flinkVersion: '1.20.5', timing: 'fast' });
 * const jarId = await target.uploadFixture('streaming');
 * // ... run the scenario against target.url ...
 * await target.close();
 * ```
 */
export async function createSimulatorTarget(
  options: FlinkSimulatorOptions = {},
): Promise<
  FlinkTestTarget & {
    /** The simulator behind the target, for simulator-only checks and controls. */
    readonly simulator: FlinkSimulator;
  }
> {
  const simulator = await createFlinkSimulator({ ...options, programs: [...fixturePrograms, ...(options.programs ?? [])] });
  return {
    kind: 'simulator',
    simulator,
    url: simulator.url,
    flinkVersion: simulator.flinkVersion,
    uploadFixture: (key) => {
      const jar = fixtureJar(key);
      return uploadJarBytes(simulator.url, jar.filename, jar.bytes);
    },
    close: () => simulator.close(),
  };
}
