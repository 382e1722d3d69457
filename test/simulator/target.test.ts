import { afterEach, describe, expect, it } from 'vitest';
import { ClusterClient, JobFailedError } from 'flink-client';
import { createSimulatorTarget, FIXTURE_JARS, fixtureJar, type FlinkTestTarget } from 'flink-client/testing';

// The contract-suite shape: a scenario written once against "a URL plus a way to upload the
// fixture jars" runs against the simulator here (and against real Flink in test/contract later).

let target: (FlinkTestTarget & { simulator?: unknown }) | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

/** A scenario that only needs a target: no simulator-specific calls. */
async function boundedAndFailingScenario(t: FlinkTestTarget): Promise<void> {
  const cluster = new ClusterClient({ url: t.url, validation: 'strict' });
  try {
    expect(await cluster.flinkVersion()).toBe(t.flinkVersion);
    const bounded = await cluster.runJar(await t.uploadFixture('bounded'), { parallelism: 2 });
    const result = await bounded.result({ pollIntervalMs: 20, maxPollIntervalMs: 50, timeoutMs: 30_000 });
    expect(result.accumulators).toEqual({ records: { type: 'IntCounter', value: '1000' }, sum: { type: 'LongCounter', value: '500500' } });
    const failing = await cluster.runJar(await t.uploadFixture('failing'));
    const err = await failing.result({ pollIntervalMs: 20, maxPollIntervalMs: 50, timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect((err as JobFailedError).rootCause).toEqual({ className: 'java.lang.IllegalStateException', message: 'flink-client fixture failure' });
    const jars = await cluster.listJars();
    expect(jars.map((f) => f.entry[0]?.name).sort()).toEqual([FIXTURE_JARS.bounded.entryClass, FIXTURE_JARS.failing.entryClass].sort());
  } finally {
    await cluster.close();
  }
}

describe.each(['2.3.0', '1.20.5'] as const)('simulator target %s', (flinkVersion) => {
  it('runs a target-only scenario', async () => {
    target = await createSimulatorTarget({ flinkVersion, timing: 'fast' });
    expect(target.kind).toBe('simulator');
    expect(target.flinkVersion).toBe(flinkVersion);
    await boundedAndFailingScenario(target);
  });
});

describe('fixture jars', () => {
  it('are small valid jars naming the real main classes', () => {
    for (const key of Object.keys(FIXTURE_JARS) as Array<keyof typeof FIXTURE_JARS>) {
      const jar = fixtureJar(key);
      expect(jar.filename).toBe(FIXTURE_JARS[key].jarName);
      expect(Buffer.from(jar.bytes.subarray(0, 4)).toString('hex')).toBe('504b0304');
      expect(Buffer.from(jar.bytes).toString('latin1')).toContain(`Main-Class: ${jar.entryClass}`);
    }
    expect(() => fixtureJar('nope' as never)).toThrow(TypeError);
  });
});
