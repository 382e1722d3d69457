// Type tests of the public surface. `npm test` typechecks this file (tsc), so a wrong type fails
// the run; the runtime assertions below only keep vitest from reporting an empty file.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ApplicationDescription,
  type ApplicationClient,
  type ApplicationStatus,
  type AsyncOperation,
  ClusterClient,
  type ClusterClientOptions,
  type ClusterDescriptor,
  FlinkApiError,
  FlinkError,
  type FlinkErrorCode,
  isFlinkError,
  FlinkTimeoutError,
  type JobDetails,
  type JobClient,
  type JobOverview,
  type JobResult,
  type JobStatus,
  JobNotFoundError,
  LocalClusterDescriptor,
  type OperationStatus,
  type RequestOptions,
  RestClusterDescriptor,
  type WaitOptions,
} from 'flink-client';

declare const job: JobClient;

describe('public types', () => {
  it('descriptors produce ClusterClients', () => {
    expectTypeOf<RestClusterDescriptor>().toMatchTypeOf<ClusterDescriptor>();
    expectTypeOf<LocalClusterDescriptor>().toMatchTypeOf<ClusterDescriptor>();
    expectTypeOf<ClusterDescriptor['retrieve']>().returns.resolves.toEqualTypeOf<ClusterClient>();
    expectTypeOf<LocalClusterDescriptor['deploy']>().returns.resolves.toEqualTypeOf<ClusterClient>();
    expect(true).toBe(true);
  });

  it('handles are synchronous; calls are promises with options last', () => {
    expectTypeOf<ClusterClient['job']>().returns.toEqualTypeOf<JobClient>();
    expectTypeOf<ClusterClient['application']>().returns.toEqualTypeOf<ApplicationClient>();
    expectTypeOf<JobClient['status']>().parameters.toEqualTypeOf<[options?: RequestOptions]>();
    expectTypeOf<JobClient['status']>().returns.resolves.toEqualTypeOf<JobStatus>();
    expectTypeOf<JobClient['describe']>().returns.resolves.toEqualTypeOf<JobDetails>();
    expectTypeOf<JobClient['result']>().parameters.toEqualTypeOf<[options?: WaitOptions]>();
    expectTypeOf<JobClient['result']>().returns.resolves.toEqualTypeOf<JobResult>();
    expectTypeOf<ClusterClient['listJobs']>().returns.resolves.toEqualTypeOf<JobOverview[]>();
    expect(true).toBe(true);
  });

  it('operations are typed by their result', () => {
    expectTypeOf<JobClient['triggerSavepoint']>().returns.resolves.toEqualTypeOf<AsyncOperation<string>>();
    expectTypeOf<JobClient['stopWithSavepoint']>().returns.resolves.toEqualTypeOf<AsyncOperation<string>>();
    expectTypeOf<JobClient['triggerCheckpoint']>().returns.resolves.toEqualTypeOf<AsyncOperation<number>>();
    expectTypeOf<ClusterClient['disposeSavepoint']>().returns.resolves.toEqualTypeOf<AsyncOperation<void>>();
    expectTypeOf<Awaited<ReturnType<AsyncOperation<string>['status']>>>().toEqualTypeOf<OperationStatus<string>>();
    expect(true).toBe(true);
  });

  it('statuses autocomplete the known values and accept new ones', () => {
    const known: JobStatus = 'RUNNING';
    const future: JobStatus = 'SOME_FUTURE_STATUS';
    const app: ApplicationStatus = 'CANCELING';
    expectTypeOf<ApplicationDescription['status']>().toEqualTypeOf<ApplicationStatus>();
    // Wire names are kept on response types.
    expectTypeOf<JobDetails['start-time']>().toEqualTypeOf<number>();
    expectTypeOf<JobOverview['state']>().toEqualTypeOf<JobStatus>();
    expect([known, future, app]).toHaveLength(3);
  });

  it('errors narrow with instanceof and carry typed fields', () => {
    const err: unknown = new JobNotFoundError({ status: 404, method: 'GET', url: 'u', path: '/p', errors: [], body: '', jobId: 'a'.repeat(32) });
    if (err instanceof JobNotFoundError) expectTypeOf(err.jobId).toEqualTypeOf<string>();
    if (err instanceof FlinkApiError) expectTypeOf(err.status).toEqualTypeOf<number>();
    if (err instanceof FlinkTimeoutError) expectTypeOf(err.phase).toEqualTypeOf<'attempt' | 'wait'>();
    if (err instanceof FlinkError) expectTypeOf(err.code).toEqualTypeOf<FlinkErrorCode>();
    if (isFlinkError(err, 'FLINK_JOB_NOT_FOUND')) expectTypeOf(err).toEqualTypeOf<FlinkError>();
    // @ts-expect-error a misspelt code does not compile
    isFlinkError(err, 'FLINK_JOB_NOTFOUND');
    expect(err).toBeInstanceOf(FlinkError);
  });

  it('rejects wrong options at compile time', () => {
    // @ts-expect-error validation takes only the three modes
    const bad: ClusterClientOptions = { url: 'http://x', validation: 'sometimes' };
    // @ts-expect-error auth needs a type
    const badAuth: ClusterClientOptions = { url: 'http://x', auth: { token: 't' } };
    // Never called: only compiled.
    const wrongFormat = () =>
      // @ts-expect-error savepoint formats are CANONICAL or NATIVE
      job.triggerSavepoint({ formatType: 'ZIP' });
    expect([bad, badAuth, wrongFormat]).toHaveLength(3);
  });
});
