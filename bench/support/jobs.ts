/**
 * Job entries for benchmarks, shaped exactly like a real Flink 2.3.0 `/jobs/overview` entry
 * (test/fixtures/recorded/2.3.0/jobs-overview-running.json), with distinct ids and names.
 */
import { readFileSync } from 'node:fs';
import type { JobOverview } from '../../src/index.js';

const recorded = JSON.parse(readFileSync(new URL('../../test/fixtures/recorded/2.3.0/jobs-overview-running.json', import.meta.url), 'utf8')) as {
  body: { jobs: JobOverview[] };
};
const template = recorded.body.jobs[0] as JobOverview;

/** The id of benchmark job `i`: 32 hex characters. */
export function benchJobId(i: number): string {
  return i.toString(16).padStart(32, '0');
}

/** `n` RUNNING jobs as a real cluster lists them. */
export function benchJobs(n: number): JobOverview[] {
  const start = 1_795_000_000_000;
  return Array.from({ length: n }, (_, i) => ({
    ...template,
    jid: benchJobId(i),
    name: `pipeline-${i}-${template.name}`,
    'start-time': start + i,
    'end-time': -1,
    duration: 600_000 + i,
    state: 'RUNNING',
    'last-modification': start + i + 1_000,
    tasks: { ...template.tasks },
  }));
}
