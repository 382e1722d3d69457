import { describe, expectTypeOf, it } from 'vitest';
import type { ApplicationDetails, ApplicationStatus } from '../../../src/schemas/applications.js';
import type { CheckpointingStatistics, CheckpointStatistics } from '../../../src/schemas/checkpoints.js';
import type { FlinkDouble } from '../../../src/schemas/common.js';
import type { JobStatus } from '../../../src/schemas/job-status.js';
import type { JobDetails, JobExecutionResultResponse, JobOverview, ResourceRequirements, SerializedThrowable } from '../../../src/schemas/jobs.js';
import type { SavepointStatus } from '../../../src/schemas/operations.js';

// Compile-time checks (tsc): the inferred response types expose Flink's wire names with useful types.
describe('inferred response types', () => {
  it('types status fields as open enums with autocompletion', () => {
    expectTypeOf<JobOverview['state']>().toEqualTypeOf<JobStatus>();
    expectTypeOf<'RUNNING'>().toExtend<JobOverview['state']>();
    expectTypeOf<ApplicationDetails['status']>().toEqualTypeOf<ApplicationStatus>();
    expectTypeOf<ApplicationDetails['jobs'][number]>().toEqualTypeOf<JobOverview>();
  });

  it('types optional and nullable fields as such', () => {
    expectTypeOf<JobOverview['pending-operators']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<JobDetails['application-id']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<CheckpointingStatistics['latest']['restored']>().toExtend<object | null>();
    expectTypeOf<CheckpointStatistics['failure_message']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<SavepointStatus['operation']>().toExtend<object | null | undefined>();
  });

  it('types the job result and its failure cause', () => {
    type Result = NonNullable<JobExecutionResultResponse['job-execution-result']>;
    expectTypeOf<Result['net-runtime']>().toEqualTypeOf<number>();
    expectTypeOf<Result['failure-cause']>().toEqualTypeOf<SerializedThrowable | undefined>();
    expectTypeOf<SerializedThrowable['stack-trace']>().toEqualTypeOf<string>();
  });

  it('types maps and quoted doubles', () => {
    expectTypeOf<ResourceRequirements>().toExtend<Record<string, { parallelism: { lowerBound: number; upperBound: number } }>>();
    expectTypeOf<JobDetails['timestamps']>().toEqualTypeOf<Record<string, number>>();
    expectTypeOf<CheckpointingStatistics['summary']['state_size']['p99']>().toEqualTypeOf<FlinkDouble>();
  });
});
