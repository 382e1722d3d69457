// The published declarations (dist/*.d.ts, built by `npx tsup`): response types must reach users
// as named, documented interfaces, not as `SchemaOutput<typeof XSchema>` that editors and TypeDoc
// show without field docs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const declarations = ['index.d.ts', 'index.d.cts', 'testing.d.ts'].map((file) => ({ file, text: readFileSync(`${root}/dist/${file}`, 'utf8') }));
const index = declarations[0]!.text;

// The response types of the public API, with nested shapes users see.
const RESPONSE_INTERFACES = [
  'ApplicationExceptionInfo',
  'ApplicationExceptions',
  'CheckpointConfig',
  'CheckpointCounts',
  'CheckpointExternalization',
  'CheckpointingStatistics',
  'CheckpointMetrics',
  'CheckpointStatistics',
  'CheckpointStatisticsBase',
  'CheckpointSummary',
  'ClusterOverview',
  'CompletedCheckpointStatistics',
  'ConfigEntry',
  'DashboardConfig',
  'ExecutionExceptionInfo',
  'FailedCheckpointStatistics',
  'IOMetrics',
  'JarEntryInfo',
  'JarFileInfo',
  'JarList',
  'JobAccumulators',
  'JobConfig',
  'JobDetails',
  'JobExceptionHistory',
  'JobExceptionInfo',
  'JobExceptions',
  'JobExecutionConfig',
  'JobOverview',
  'JobPlan',
  'JobPlanGraph',
  'JobPlanInput',
  'JobPlanNode',
  'JobVertexDetails',
  'LatestCheckpoints',
  'ResourceProfile',
  'ResourceRequirements',
  'RestoredCheckpointStatistics',
  'RootExceptionInfo',
  'StatsSummary',
  'TaskCheckpointStatistics',
  'TaskCounts',
  'TaskManagerHardware',
  'TaskManagerInfo',
  'TaskManagerMemoryConfiguration',
  'TaskManagers',
  'UserTaskAccumulator',
  'VertexResourceRequirements',
];

/** The names in the d.ts's final `export { ... }` list, without `type` markers. */
function exportedNames(text: string): string[] {
  const list = /export \{([^}]*)\};\s*$/.exec(text)?.[1] ?? '';
  return list
    .split(',')
    .map((s) => s.trim().replace(/^type /, ''))
    .filter(Boolean);
}

describe('published declarations', () => {
  it('never spell a response type as SchemaOutput<...>', () => {
    for (const { file, text } of declarations) {
      expect({ file, hits: text.match(/SchemaOutput<[^\n]*/g) ?? [] }).toEqual({ file, hits: [] });
    }
  });

  it('export every response type as a named interface with a doc comment', () => {
    const exported = new Set(exportedNames(index));
    for (const name of RESPONSE_INTERFACES) {
      expect(exported.has(name), `${name} is exported`).toBe(true);
      const at = index.search(new RegExp(`^interface ${name}\\b`, 'm'));
      expect(at, `interface ${name} is declared`).toBeGreaterThan(0);
      expect(index.slice(0, at).trimEnd().endsWith('*/'), `interface ${name} has TSDoc`).toBe(true);
    }
    expect(index).toMatch(/^type ConfigEntries = ConfigEntry\[\];$/m);
  });

  it('keep the field docs that explain surprising wire values', () => {
    const jobDetails = index.slice(index.search(/^interface JobDetails\b/m));
    const body = jobDetails.slice(0, jobDetails.indexOf('\n}\n'));
    // end-time is -1 while the job runs: the doc comment sits right above the field.
    expect(body).toMatch(/-1 while it runs\*\*\.\s*\*\/\s*'end-time': number;/);
    expect(index).toMatch(/Despite the name, \*\*the time of the last heartbeat\*\*/);
  });
});
