// Type tests of the response types: named interfaces with Flink's wire names, nested shapes named
// too, and the public methods returning them. `npm test` typechecks this file (tsc); the runtime
// assertions only keep vitest from reporting an empty file.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  CheckpointingStatistics,
  CheckpointStatistics,
  CheckpointSummary,
  ClusterClient,
  CompletedCheckpointStatistics,
  ConfigEntries,
  ConfigEntry,
  ExecutionState,
  FlinkDouble,
  IOMetrics,
  JarFileInfo,
  JarList,
  JobClient,
  JobDetails,
  JobExceptionHistory,
  JobExceptions,
  JobOverview,
  JobPlanGraph,
  JobStatus,
  JobVertexDetails,
  ResourceRequirements,
  RootExceptionInfo,
  StatsSummary,
  TaskCounts,
  TaskManagerInfo,
  TaskManagers,
  VertexResourceRequirements,
} from 'flink-client';

describe('response types', () => {
  it('keep wire names and plain types on job details', () => {
    expectTypeOf<JobDetails['end-time']>().toEqualTypeOf<number>();
    expectTypeOf<JobDetails['state']>().toEqualTypeOf<JobStatus>();
    expectTypeOf<JobDetails['application-id']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<JobDetails['vertices']>().toEqualTypeOf<JobVertexDetails[]>();
    expectTypeOf<JobDetails['plan']>().toEqualTypeOf<JobPlanGraph>();
    expectTypeOf<JobVertexDetails['status']>().toEqualTypeOf<ExecutionState>();
    expectTypeOf<JobVertexDetails['metrics']>().toEqualTypeOf<IOMetrics>();
    expectTypeOf<IOMetrics['accumulated-busy-time']>().toEqualTypeOf<FlinkDouble>();
    expect(true).toBe(true);
  });

  it('name the nested shapes users read', () => {
    expectTypeOf<JobOverview['tasks']>().toEqualTypeOf<TaskCounts>();
    expectTypeOf<JobOverview['end-time']>().toEqualTypeOf<number>();
    expectTypeOf<CheckpointingStatistics['summary']>().toEqualTypeOf<CheckpointSummary>();
    expectTypeOf<CheckpointSummary['state_size']>().toEqualTypeOf<StatsSummary>();
    expectTypeOf<CheckpointingStatistics['history']>().toEqualTypeOf<CheckpointStatistics[]>();
    expectTypeOf<CheckpointingStatistics['latest']['completed']>().toEqualTypeOf<CompletedCheckpointStatistics | null>();
    expectTypeOf<JobExceptions['exceptionHistory']>().toEqualTypeOf<JobExceptionHistory>();
    expectTypeOf<JobExceptionHistory['entries']>().toEqualTypeOf<RootExceptionInfo[]>();
    expectTypeOf<TaskManagers['taskmanagers']>().toEqualTypeOf<TaskManagerInfo[]>();
    expectTypeOf<JarList['files']>().toEqualTypeOf<JarFileInfo[]>();
    expectTypeOf<ConfigEntries>().toEqualTypeOf<ConfigEntry[]>();
    expectTypeOf<ResourceRequirements[string]>().toEqualTypeOf<VertexResourceRequirements>();
    expect(true).toBe(true);
  });

  it('are what the public methods return', () => {
    expectTypeOf<JobClient['describe']>().returns.resolves.toEqualTypeOf<JobDetails>();
    expectTypeOf<ClusterClient['listJobs']>().returns.resolves.toEqualTypeOf<JobOverview[]>();
    expectTypeOf<ClusterClient['listTaskManagers']>().returns.resolves.toEqualTypeOf<TaskManagerInfo[]>();
    expectTypeOf<ClusterClient['listJars']>().returns.resolves.toEqualTypeOf<JarFileInfo[]>();
    expectTypeOf<JobClient['checkpoints']>().returns.resolves.toEqualTypeOf<CheckpointingStatistics>();
    expect(true).toBe(true);
  });
});
