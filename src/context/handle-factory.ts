import type { AsyncOperation } from '../operations/async-operation.js';
import type { OperationDriver } from '../operations/operation-handle.js';
import type { ApplicationClient, JobClient } from './handles.js';

/**
 * Makes the handles of one client. Handles ask it for other handles (an application asks for its
 * jobs, a job for its application and its operations) instead of importing each other, which
 * keeps the layers one-way: application → job → context.
 */
export interface HandleFactory {
  /** A handle on a job; `applicationId` when already known (saves a request later). */
  job(jobId: string, applicationId?: string): JobClient;
  /** A handle on an application. */
  application(applicationId: string): ApplicationClient;
  /** A handle on an asynchronous operation, polled by `driver`. */
  operation<T>(driver: OperationDriver<T>): AsyncOperation<T>;
}
