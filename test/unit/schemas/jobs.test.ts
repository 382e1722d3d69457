import { describe, expect, it } from 'vitest';
import {
  JobAccumulatorsSchema,
  JobConfigSchema,
  JobDetailsSchema,
  JobExceptionsSchema,
  JobExecutionResultResponseSchema,
  JobIdsWithStatusSchema,
  JobOverviewSchema,
  JobPlanSchema,
  JobsOverviewSchema,
  JobStatusInfoSchema,
  ResourceRequirementsSchema,
  SerializedThrowableSchema,
} from '../../../src/schemas/jobs.js';
import { describeSchemaCases, fixture, getAt, setAt } from './schema-cases.js';

const V1 = 'ea27fd291a97cca54a5118b66652a19f';
/** How the OpenAPI specs (wrongly) show ids such as ApplicationID. */
const SPEC_ID_OBJECT = { bytes: 'UbzLlI2ruNosSW1k27jVOA==', lowerPart: 5888421651530848728, upperPart: 3101929090563470904 };

describeSchemaCases([
  {
    name: 'JobIdsWithStatusSchema (GET /jobs)',
    schema: JobIdsWithStatusSchema,
    fixtures: ['jobs/job-ids.2.3.json', 'jobs/job-ids.1.20.json'],
    objectPaths: [[], ['jobs', 0]],
    enumPaths: [['jobs', 0, 'status']],
    wrongTypes: [
      [['jobs'], {}],
      [['jobs', 0, 'status'], 1],
      [['jobs', 0, 'id'], SPEC_ID_OBJECT],
    ],
  },
  {
    name: 'JobsOverviewSchema (GET /jobs/overview)',
    schema: JobsOverviewSchema,
    fixtures: ['jobs/jobs-overview.2.3.json', 'jobs/jobs-overview.1.20.json'],
    objectPaths: [[], ['jobs', 0], ['jobs', 0, 'tasks']],
    enumPaths: [
      ['jobs', 0, 'state'],
      ['jobs', 0, 'jobType'],
      ['jobs', 0, 'schedulerType'],
    ],
    wrongTypes: [
      [['jobs'], {}],
      [['jobs', 0, 'state'], 1],
      [['jobs', 0, 'jid'], null],
      [['jobs', 0, 'start-time'], '1795239586628'],
      [['jobs', 0, 'tasks', 'running'], '7'],
    ],
  },
  {
    name: 'JobDetailsSchema (GET /jobs/:id)',
    schema: JobDetailsSchema,
    fixtures: ['jobs/job-details.2.3.json', 'jobs/job-details-batch.2.3.json', 'jobs/job-details.1.20.json'],
    objectPaths: [[], ['vertices', 0], ['vertices', 0, 'metrics'], ['plan'], ['plan', 'nodes', 0], ['plan', 'nodes', 0, 'inputs', 0]],
    enumPaths: [['state'], ['job-type'], ['schedulerType'], ['vertices', 0, 'status'], ['plan', 'type']],
    wrongTypes: [
      [['state'], null],
      [['vertices'], {}],
      [['vertices', 0, 'parallelism'], '2'],
      [['timestamps', 'RUNNING'], '1795239586805'],
      [['plan'], '{"jid":"51bcbb948dabb8da2c496d64dbb8d538"}'],
      [['application-id'], SPEC_ID_OBJECT],
    ],
  },
  {
    name: 'JobStatusInfoSchema (GET /jobs/:id/status)',
    schema: JobStatusInfoSchema,
    fixtures: ['jobs/job-status.2.3.json', 'jobs/job-status.1.20.json'],
    objectPaths: [[]],
    enumPaths: [['status']],
    wrongTypes: [
      [['status'], 1],
      [[], 'RUNNING'],
    ],
  },
  {
    name: 'JobExecutionResultResponseSchema (GET /jobs/:id/execution-result)',
    schema: JobExecutionResultResponseSchema,
    fixtures: [
      'jobs/execution-result-failed.2.3.json',
      'jobs/execution-result-finished.2.3.json',
      'jobs/execution-result-in-progress.json',
      'jobs/execution-result-finished.1.20.json',
      'jobs/execution-result-canceled.1.20.json',
    ],
    objectPaths: [[], ['status'], ['job-execution-result'], ['job-execution-result', 'failure-cause']],
    enumPaths: [
      ['status', 'id'],
      ['job-execution-result', 'application-status'],
    ],
    wrongTypes: [
      [['status'], 'COMPLETED'],
      [['status', 'id'], true],
      [['job-execution-result', 'net-runtime'], '111'],
      [['job-execution-result', 'failure-cause'], 'org.apache.flink.runtime.JobException: ...'],
      [['job-execution-result', 'accumulator-results'], []],
    ],
  },
  {
    name: 'JobAccumulatorsSchema (GET /jobs/:id/accumulators)',
    schema: JobAccumulatorsSchema,
    fixtures: ['jobs/accumulators.2.3.json', 'jobs/accumulators-serialized.1.20.json', 'jobs/accumulators.1.20.json'],
    objectPaths: [[], ['user-task-accumulators', 0]],
    wrongTypes: [
      [['user-task-accumulators'], {}],
      [['user-task-accumulators', 0, 'value'], 1000],
      [['serialized-user-task-accumulators'], []],
    ],
  },
  {
    name: 'JobExceptionsSchema (GET /jobs/:id/exceptions)',
    schema: JobExceptionsSchema,
    fixtures: ['jobs/exceptions.2.3.json', 'jobs/exceptions-none.2.3.json', 'jobs/exceptions.1.20.json', 'jobs/exceptions-none.1.20.json'],
    objectPaths: [[], ['exceptionHistory'], ['exceptionHistory', 'entries', 0], ['exceptionHistory', 'entries', 0, 'concurrentExceptions', 0]],
    wrongTypes: [
      [['exceptionHistory', 'entries'], {}],
      [['exceptionHistory', 'entries', 0, 'timestamp'], '1795239602994'],
      [['exceptionHistory', 'entries', 0, 'stacktrace'], null],
    ],
  },
  {
    name: 'JobConfigSchema (GET /jobs/:id/config)',
    schema: JobConfigSchema,
    fixtures: ['jobs/job-config.2.3.json', 'jobs/job-config.1.20.json'],
    objectPaths: [[], ['execution-config']],
    wrongTypes: [
      [['execution-config', 'job-parallelism'], '2'],
      [['jid'], null],
    ],
  },
  {
    name: 'JobPlanSchema (GET /jobs/:id/plan)',
    schema: JobPlanSchema,
    fixtures: ['jobs/job-plan.2.3.json', 'jobs/job-plan.1.20.json'],
    objectPaths: [[], ['plan'], ['plan', 'nodes', 0], ['plan', 'nodes', 0, 'inputs', 0]],
    enumPaths: [['plan', 'type']],
    wrongTypes: [
      [['plan', 'nodes'], {}],
      [['plan'], '{"jid":"51bcbb948dabb8da2c496d64dbb8d538"}'],
      [['plan', 'nodes', 0, 'parallelism'], '2'],
    ],
  },
  {
    name: 'ResourceRequirementsSchema (GET /jobs/:id/resource-requirements)',
    schema: ResourceRequirementsSchema,
    fixtures: ['jobs/resource-requirements.2.3.json', 'jobs/resource-requirements.1.20.json'],
    objectPaths: [[V1], [V1, 'parallelism']],
    wrongTypes: [
      [[V1, 'parallelism', 'upperBound'], '2'],
      [[V1, 'parallelism'], 2],
      [[], []],
    ],
  },
]);

describe('JobOverviewSchema (one /jobs/overview entry)', () => {
  const entries = [
    ...(fixture('jobs/jobs-overview.2.3.json') as { jobs: unknown[] }).jobs,
    ...(fixture('jobs/jobs-overview.1.20.json') as { jobs: unknown[] }).jobs,
    ...(fixture('applications/application-details.2.3.json') as { jobs: unknown[] }).jobs,
  ];

  it.each(entries.map((e, i) => [i, e]))('accepts entry %i in both modes', (_i, entry) => {
    expect(JobOverviewSchema.for('strict').safeParse(entry).success).toBe(true);
    expect(JobOverviewSchema.for('lenient').safeParse(entry).success).toBe(true);
  });

  it('accepts null jobType and schedulerType (a job that failed before it was scheduled)', () => {
    const entry = setAt(setAt(entries[0], ['jobType'], null), ['schedulerType'], null);
    expect(JobOverviewSchema.for('strict').parse(entry)).toMatchObject({ jobType: null, schedulerType: null });
  });

  it('has no application-id (only /jobs/:id carries it)', () => {
    expect(JobOverviewSchema.for('strict').safeParse(setAt(entries[0], ['application-id'], 'ab'.repeat(16))).success).toBe(false);
  });
});

describe('SerializedThrowableSchema', () => {
  const throwable = getAt(fixture('jobs/execution-result-failed.2.3.json'), ['job-execution-result', 'failure-cause']);

  it('keeps the Java-serialized bytes as an opaque string', () => {
    const parsed = SerializedThrowableSchema.for('strict').parse(throwable);
    expect(parsed.class).toBe('org.apache.flink.runtime.JobException');
    expect(typeof parsed['serialized-throwable']).toBe('string');
  });

  it('rejects the spec shape (only serialized-throwable, as binary) in both modes', () => {
    const specShape = { 'serialized-throwable': 'rO0ABXNy' };
    expect(SerializedThrowableSchema.for('lenient').safeParse(specShape).success).toBe(false);
    expect(SerializedThrowableSchema.for('strict').safeParse(specShape).success).toBe(false);
  });

  it('rejects an unknown key only in strict mode', () => {
    const body = setAt(throwable, ['cause'], null);
    expect(SerializedThrowableSchema.for('lenient').safeParse(body).success).toBe(true);
    expect(SerializedThrowableSchema.for('strict').safeParse(body).success).toBe(false);
  });
});

describe('jobs schemas, wire format versus spec', () => {
  it('rejects the OpenAPI JobResult field names, which Flink never sends', () => {
    const specShaped = {
      status: { id: 'COMPLETED' },
      'job-execution-result': { jobId: 'e80855c7d9e93d12b330ff018283fb87', applicationStatus: 'SUCCEEDED', netRuntime: 207, accumulatorResults: {} },
    };
    expect(JobExecutionResultResponseSchema.for('lenient').safeParse(specShaped).success).toBe(false);
    expect(JobExecutionResultResponseSchema.for('strict').safeParse(specShaped).success).toBe(false);
  });

  it('rejects the OpenAPI JobConfigInfo field names (jobId, jobName, executionConfigInfo)', () => {
    const specShaped = { jobId: '51bcbb948dabb8da2c496d64dbb8d538', jobName: 'x', executionConfigInfo: {} };
    expect(JobConfigSchema.for('lenient').safeParse(specShaped).success).toBe(false);
  });

  it('treats the 2.x/2.3 additions to /jobs/:id as optional and the 1.20 deprecated exception fields as optional', () => {
    const details = JobDetailsSchema.for('strict').parse(fixture('jobs/job-details.1.20.json'));
    expect(details['application-id']).toBeUndefined();
    expect(details['pending-operators']).toBeUndefined();
    const exceptions = JobExceptionsSchema.for('strict').parse(fixture('jobs/exceptions-none.1.20.json'));
    expect(exceptions['root-exception']).toBeNull();
  });

  it('reads the empty plan 1.20 sends for a job a new HA leader is still recovering as a plan without vertices', () => {
    const body = setAt(fixture('jobs/job-details.1.20.json'), ['plan'], {});
    const details = JobDetailsSchema.for('strict').parse(body);
    expect(details.plan).toMatchObject({ jid: details.jid, name: details.name, nodes: [] });
    // A plan that says something but lacks fields is still refused.
    expect(JobDetailsSchema.for('lenient').safeParse(setAt(body, ['plan'], { nodes: 'x' })).success).toBe(false);
  });

  it('accepts "NaN" for accumulated-busy-time (Jackson quotes non-finite doubles), not other strings', () => {
    const body = fixture('jobs/job-details-batch.2.3.json');
    expect(getAt(body, ['vertices', 0, 'metrics', 'accumulated-busy-time'])).toBe('NaN');
    expect(JobDetailsSchema.for('strict').safeParse(body).success).toBe(true);
    const bad = setAt(body, ['vertices', 0, 'metrics', 'accumulated-busy-time'], 'n/a');
    expect(JobDetailsSchema.for('lenient').safeParse(bad).success).toBe(false);
  });

  it('checks status-map keys only in strict mode', () => {
    const body = setAt(fixture('jobs/job-details.2.3.json'), ['timestamps', 'SOME_FUTURE_STATUS'], 0);
    expect(JobDetailsSchema.for('lenient').safeParse(body).success).toBe(true);
    expect(JobDetailsSchema.for('strict').safeParse(body).success).toBe(false);
  });

  it('checks the 32-hex id format only in strict mode', () => {
    const body = setAt(fixture('jobs/job-status.2.3.json'), [], { jobs: [{ id: 'job-1', status: 'RUNNING' }] });
    expect(JobIdsWithStatusSchema.for('lenient').safeParse(body).success).toBe(true);
    expect(JobIdsWithStatusSchema.for('strict').safeParse(body).success).toBe(false);
    const requirements = { 'not-a-vertex-id': { parallelism: { lowerBound: 1, upperBound: 2 } } };
    expect(ResourceRequirementsSchema.for('lenient').safeParse(requirements).success).toBe(true);
    expect(ResourceRequirementsSchema.for('strict').safeParse(requirements).success).toBe(false);
  });
});
