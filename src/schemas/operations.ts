import { z } from 'zod';
import { hexId } from './common.js';
import { queueStatus, serializedThrowable } from './jobs.js';
import { defineSchema, type SchemaOutput } from './schema-kit.js';

/**
 * The id of a triggered asynchronous operation.
 *
 * Validates the 202 bodies of `POST /jobs/:jobid/savepoints`, `POST /jobs/:jobid/stop`,
 * `POST /jobs/:jobid/checkpoints`, `DELETE /datasets/:datasetid` and the 200 body of
 * `POST /savepoint-disposal`: `{"request-id"}`.
 */
export const TriggerResponseSchema = defineSchema((k) => k.object({ 'request-id': hexId(k) }));
/** The body of a trigger call: the trigger id to poll. */
export type TriggerResponse = SchemaOutput<typeof TriggerResponseSchema>;

/**
 * The status of a savepoint or stop-with-savepoint operation.
 *
 * Validates `GET /jobs/:jobid/savepoints/:triggerid`: `{"status": {"id"}, "operation"?}`.
 * `operation` is `null` (or absent) while in progress; once completed it holds `location` on
 * success or `failure-cause` on failure.
 */
export const SavepointStatusSchema = defineSchema((k) =>
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
);
/** The body of `GET /jobs/:jobid/savepoints/:triggerid`. */
export type SavepointStatus = SchemaOutput<typeof SavepointStatusSchema>;

/**
 * The status of a manually triggered checkpoint.
 *
 * Validates `GET /jobs/:jobid/checkpoints/:triggerid`: like the savepoint status, but the
 * completed payload is camelCase: `checkpointId` on success, `failureCause` on failure.
 */
export const CheckpointTriggerStatusSchema = defineSchema((k) =>
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
);
/** The body of `GET /jobs/:jobid/checkpoints/:triggerid`. */
export type CheckpointTriggerStatus = SchemaOutput<typeof CheckpointTriggerStatusSchema>;

/**
 * The status of an operation without a result value: savepoint disposal or data set deletion.
 *
 * Validates `GET /savepoint-disposal/:triggerid` and `GET /datasets/delete/:triggerid`:
 * `{"status": {"id"}, "operation"?: {"failure-cause"?}}`; an empty `operation` means success.
 */
export const AsynchronousOperationStatusSchema = defineSchema((k) =>
  k.object({
    status: queueStatus(k),
    operation: k
      .object({ 'failure-cause': serializedThrowable(k).optional() })
      .nullable()
      .optional(),
  }),
);
/** The body of `GET /savepoint-disposal/:triggerid`. */
export type AsynchronousOperationStatus = SchemaOutput<typeof AsynchronousOperationStatusSchema>;

/**
 * An empty JSON object, the body of calls that return nothing.
 *
 * Validates `{}` bodies such as the 202 of `PATCH /jobs/:jobid` (cancel) and
 * `POST /applications/:id/cancel`, and the 200 of `PUT /jobs/:jobid/resource-requirements`,
 * `DELETE /jars/:jarid` and `DELETE /cluster`. Strict mode rejects any key.
 */
export const EmptyResponseSchema = defineSchema((k) => k.object({}));
/** An empty response body. */
export type EmptyResponse = SchemaOutput<typeof EmptyResponseSchema>;
