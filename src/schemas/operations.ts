import { z } from 'zod';
import { hexId } from './common.js';
import { type QueueStatus, queueStatus, type SerializedThrowable, serializedThrowable } from './jobs.js';
import { defineSchema, typedSchema } from './schema-kit.js';

/** The body of a call that triggers an asynchronous operation: the trigger id to poll. */
export interface TriggerResponse {
  /**
   * The trigger id (32 hex characters). When the request carried a `triggerId`, it is that id, and
   * repeating the request returns it again without starting a second operation.
   */
  'request-id': string;
}

/**
 * The id of a triggered asynchronous operation.
 *
 * Validates the 202 bodies of `POST /jobs/:jobid/savepoints`, `POST /jobs/:jobid/stop`,
 * `POST /jobs/:jobid/checkpoints`, `DELETE /datasets/:datasetid` and the 200 body of
 * `POST /savepoint-disposal`: `{"request-id"}`.
 */
export const TriggerResponseSchema = typedSchema<TriggerResponse>()(defineSchema((k) => k.object({ 'request-id': hexId(k) })));

/** The outcome of a completed savepoint or stop-with-savepoint: a location or a failure cause. */
export interface SavepointOperation {
  /** On success: where the savepoint was written, such as `file:/tmp/sp/savepoint-621bbd-1474fe357789` (note `file:/`, one slash). */
  location?: string;
  /**
   * On failure: why. Flink accepts a savepoint for an unknown or ended job (202) and reports the
   * failure only here.
   */
  'failure-cause'?: SerializedThrowable;
}

/** The body of `GET /jobs/:jobid/savepoints/:triggerid` (also for stop-with-savepoint). */
export interface SavepointStatus {
  /** `IN_PROGRESS`, then `COMPLETED` whatever the outcome. */
  status: QueueStatus;
  /** `null` (or absent) while in progress; then `location` or `failure-cause`. */
  operation?: SavepointOperation | null;
}

/**
 * The status of a savepoint or stop-with-savepoint operation.
 *
 * Validates `GET /jobs/:jobid/savepoints/:triggerid`: `{"status": {"id"}, "operation"?}`.
 * `operation` is `null` (or absent) while in progress; once completed it holds `location` on
 * success or `failure-cause` on failure.
 */
export const SavepointStatusSchema = typedSchema<SavepointStatus>()(defineSchema((k) =>
  k.object({
    status: queueStatus(k),
    operation: k
      .object({
        location: z.string().optional(),
        'failure-cause': serializedThrowable(k).optional(),
      })
      .nullable()
      .optional(),
  }),
));

/** The outcome of a completed manual checkpoint. Note the camelCase, unlike the savepoint's. */
export interface CheckpointOperation {
  /** On success: the id of the checkpoint taken. */
  checkpointId?: number;
  /** On failure: why. */
  failureCause?: SerializedThrowable;
}

/** The body of `GET /jobs/:jobid/checkpoints/:triggerid`. */
export interface CheckpointTriggerStatus {
  /** `IN_PROGRESS`, then `COMPLETED` whatever the outcome. */
  status: QueueStatus;
  /** `null` (or absent) while in progress; then `checkpointId` or `failureCause`. */
  operation?: CheckpointOperation | null;
}

/**
 * The status of a manually triggered checkpoint.
 *
 * Validates `GET /jobs/:jobid/checkpoints/:triggerid`: like the savepoint status, but the
 * completed payload is camelCase: `checkpointId` on success, `failureCause` on failure.
 */
export const CheckpointTriggerStatusSchema = typedSchema<CheckpointTriggerStatus>()(defineSchema((k) =>
  k.object({
    status: queueStatus(k),
    operation: k
      .object({
        checkpointId: z.number().optional(),
        failureCause: serializedThrowable(k).optional(),
      })
      .nullable()
      .optional(),
  }),
));

/** The outcome of a completed operation without a result value: `{}` on success. */
export interface AsynchronousOperationResult {
  /** On failure: why (e.g. `Could not dispose savepoint file:/...`). Absent on success. */
  'failure-cause'?: SerializedThrowable;
}

/** The body of `GET /savepoint-disposal/:triggerid` and `GET /datasets/delete/:triggerid`. */
export interface AsynchronousOperationStatus {
  /** `IN_PROGRESS`, then `COMPLETED` whatever the outcome. */
  status: QueueStatus;
  /** `null` (or absent) while in progress; then `{}` on success or `{"failure-cause"}`. */
  operation?: AsynchronousOperationResult | null;
}

/**
 * The status of an operation without a result value: savepoint disposal or data set deletion.
 *
 * Validates `GET /savepoint-disposal/:triggerid` and `GET /datasets/delete/:triggerid`:
 * `{"status": {"id"}, "operation"?: {"failure-cause"?}}`; an empty `operation` means success.
 */
export const AsynchronousOperationStatusSchema = typedSchema<AsynchronousOperationStatus>()(defineSchema((k) =>
  k.object({
    status: queueStatus(k),
    operation: k
      .object({ 'failure-cause': serializedThrowable(k).optional() })
      .nullable()
      .optional(),
  }),
));

/** An empty response body, `{}`: what calls that return nothing answer. */
export type EmptyResponse = Record<string, never>;

/**
 * An empty JSON object, the body of calls that return nothing.
 *
 * Validates `{}` bodies such as the 202 of `PATCH /jobs/:jobid` (cancel) and
 * `POST /applications/:id/cancel`, and the 200 of `PUT /jobs/:jobid/resource-requirements`,
 * `DELETE /jars/:jarid` and `DELETE /cluster`. Strict mode rejects any key.
 */
export const EmptyResponseSchema = typedSchema<EmptyResponse>()(defineSchema((k) => k.object({})));
