import type { TestProject } from 'vitest/node';
import { buildFixtures, type FixtureJob } from '../../scripts/build-fixtures.mjs';
import { ALL_VERSIONS, provisionFlink } from '../../scripts/provision-flink.mjs';
import { LocalClusterDescriptor } from '../../src/index.js';

/** One real Flink cluster the integration and contract suites run against. */
export interface RealCluster {
  version: string;
  url: string;
  flinkHome: string;
  workDir: string;
  savepointDir: string;
  /** Fixture jar path per job key (test/fixtures/jobs/README.md). */
  jars: Record<FixtureJob, string>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    flink: { clusters: RealCluster[]; homes: Record<string, string>; jars: Record<string, Record<FixtureJob, string>> };
  }
}

/**
 * Provisions every Flink line under test (2.3.0 and 1.20.5 unless FLINK_VERSIONS says otherwise),
 * builds the fixture jobs against each, and starts one shared session cluster per version with
 * LocalClusterDescriptor. A failure here fails the whole suite: a real-Flink suite that cannot get
 * Flink must not pass by skipping.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const versions = process.env.FLINK_VERSIONS?.split(',').map((v) => v.trim()).filter(Boolean) ?? ALL_VERSIONS;
  const log = (line: string): void => {
    process.stderr.write(`[flink] ${line}\n`);
  };
  const homes: Record<string, string> = {};
  const jars: Record<string, Record<FixtureJob, string>> = {};
  for (const version of versions) {
    const { flinkHome } = await provisionFlink({ version, log });
    homes[version] = flinkHome;
    jars[version] = (await buildFixtures({ flinkHome, log })).jars;
  }
  const descriptors: LocalClusterDescriptor[] = [];
  const started = Date.now();
  try {
    const clusters = await Promise.all(
      versions.map(async (version): Promise<RealCluster> => {
        const descriptor = new LocalClusterDescriptor({
          flinkHome: homes[version],
          taskManagers: 1,
          slots: 8,
          configuration: { 'taskmanager.memory.process.size': '1536m' },
        });
        descriptors.push(descriptor);
        const client = await descriptor.deploy();
        const reported = await client.flinkVersion();
        if (reported !== version) throw new Error(`expected Flink ${version}, the cluster reports ${reported}`);
        return {
          version,
          url: descriptor.restUrl as string,
          flinkHome: homes[version] as string,
          workDir: descriptor.workDir as string,
          savepointDir: descriptor.savepointDir as string,
          jars: jars[version] as Record<FixtureJob, string>,
        };
      }),
    );
    log(`clusters up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${clusters.map((c) => `${c.version} at ${c.url}`).join(', ')}`);
    project.provide('flink', { clusters, homes, jars });
  } catch (err) {
    await Promise.all(descriptors.map((d) => d.shutdown()));
    throw err;
  }
  return async () => {
    await Promise.all(descriptors.map((d) => d.shutdown()));
  };
}
