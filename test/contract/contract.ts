import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realClusters } from '../integration/support.js';
import { closeTarget, type ContractTarget, realContractTarget, simulatorContractTarget, type SimulatorContractTarget } from './targets.js';

/**
 * The contract harness: a scenario is written once against {@link ContractTarget} and returns an
 * observation (plain JSON without ids or timings). Each scenario runs against the real cluster of
 * a Flink version and against a simulator with that version's profile, at the same time, and the
 * simulator's observation must equal the real cluster's: where they differ, the simulator is wrong.
 */

/** The Flink versions the global setup started a real cluster for. */
export function contractVersions(): string[] {
  return realClusters().map((c) => c.version);
}

/** Whether a version is 2.3 or newer (FLIP-549 applications). */
export function hasApplications(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 3);
}

export interface ContractSuite {
  /** The real cluster (inside tests only). */
  readonly real: ContractTarget;
  /** The simulator (inside tests only). */
  readonly sim: SimulatorContractTarget;
  /**
   * Registers a test that runs `scenario` against both targets concurrently and compares their
   * observations (by default: deep equality). Assertions inside the scenario hold for both.
   */
  scenario<T>(name: string, scenario: (t: ContractTarget) => Promise<T>, options?: { timeoutMs?: number; compare?: (real: T, sim: T) => void }): void;
}

/**
 * Sets up the targets of one Flink version for the enclosing `describe`: the real cluster of the
 * global setup and a fresh simulator, each with one strict ClusterClient reused by every scenario.
 */
export function contractSuite(version: string): ContractSuite {
  const cluster = realClusters().find((c) => c.version === version);
  if (!cluster) throw new Error(`no real Flink ${version} cluster was provided by the global setup`);
  let real: ContractTarget | undefined;
  let sim: SimulatorContractTarget | undefined;
  beforeAll(async () => {
    real = realContractTarget(cluster);
    sim = await simulatorContractTarget(version);
  });
  afterAll(async () => {
    await Promise.all([closeTarget(real), closeTarget(sim)]);
  });
  const suite: ContractSuite = {
    get real(): ContractTarget {
      if (!real) throw new Error('the real target exists only inside tests');
      return real;
    },
    get sim(): SimulatorContractTarget {
      if (!sim) throw new Error('the simulator target exists only inside tests');
      return sim;
    },
    scenario<T>(name: string, scenario: (t: ContractTarget) => Promise<T>, options: { timeoutMs?: number; compare?: (real: T, sim: T) => void } = {}): void {
      it(
        name,
        async () => {
          const targets = [suite.real, suite.sim] as const;
          const settled = await Promise.allSettled(targets.map((t) => scenario(t)));
          const failures = settled.flatMap((s, i) => (s.status === 'rejected' ? [labelled(targets[i] as ContractTarget, s.reason)] : []));
          if (failures.length > 0) {
            const [first, ...rest] = failures as [Error, ...Error[]];
            if (rest.length > 0) first.message += `\n(also: ${rest.map((e) => e.message.split('\n')[0]).join('; ')})`;
            throw first;
          }
          const [realObs, simObs] = settled.map((s) => (s as PromiseFulfilledResult<T>).value) as [T, T];
          if (process.env.CONTRACT_DUMP) dump(process.env.CONTRACT_DUMP, version, name, { real: realObs, simulator: simObs });
          if (options.compare) options.compare(realObs, simObs);
          else expect(simObs, `the simulator (${version} profile) must behave like real Flink ${version}`).toEqual(realObs);
        },
        options.timeoutMs ?? 120_000,
      );
    },
  };
  return suite;
}

/** Prefixes an error with the target it came from, keeping assertion details (expected/actual). */
function labelled(target: ContractTarget, reason: unknown): Error {
  const err = reason instanceof Error ? reason : new Error(String(reason));
  err.message = `[${target.label}] ${err.message}`;
  return err;
}

/** Writes both observations of a scenario to `<dir>/<version>/<scenario>.json` (CONTRACT_DUMP=dir). */
function dump(dir: string, version: string, name: string, observations: unknown): void {
  const file = join(dir, version, `${name.replace(/[^\w]+/g, '-').slice(0, 80)}.json`);
  mkdirSync(join(dir, version), { recursive: true });
  writeFileSync(file, `${JSON.stringify(observations, null, 2)}\n`);
}
