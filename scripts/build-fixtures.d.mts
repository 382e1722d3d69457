/** Types of scripts/build-fixtures.mjs, for TypeScript callers (tests, the demo). */
export type FixtureJob = 'streaming' | 'bounded' | 'failing' | 'twoJobs' | 'throwing' | 'noExecute';
export declare const FIXTURE_JOBS: Record<FixtureJob, [jarFile: string, mainClass: string]>;
export declare class BuildFixturesError extends Error {}
export declare function buildFixtures(options?: {
  flinkHome?: string;
  outDir?: string;
  log?: (line: string) => void;
}): Promise<{ jars: Record<FixtureJob, string>; outDir: string; version: string }>;
