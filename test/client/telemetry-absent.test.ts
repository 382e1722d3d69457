import { afterEach, expect, it, vi } from 'vitest';
import { ClusterClient } from 'flink-client';
import { createFlinkSimulator, type FlinkSimulator } from 'flink-client/testing';

// Without @opentelemetry/api (an optional peer dependency) the SDK works as before: the lazy
// import fails once, quietly, and every span is a no-op.
vi.mock('@opentelemetry/api', () => {
  throw new Error("Cannot find package '@opentelemetry/api'");
});

let sim: FlinkSimulator | undefined;
let cluster: ClusterClient | undefined;

afterEach(async () => {
  await cluster?.close();
  await sim?.close();
});

it('without @opentelemetry/api installed, calls and waits work and nothing is traced', async () => {
  sim = await createFlinkSimulator({ clock: 'virtual' });
  cluster = new ClusterClient({ url: sim.url });
  const overview = await cluster.overview();
  expect(overview['flink-version']).toMatch(/^\d/);
  const telemetry = await import('../../src/internal/telemetry.js');
  expect(telemetry.telemetryLoaded()).toBe(true);
  expect(telemetry.startSpan('x', 'internal', {}).recording).toBe(false);
  await expect(import('@opentelemetry/api')).rejects.toThrow();
});
