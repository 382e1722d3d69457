import { badRequestBody, type JavaThrowable, typeMismatchCause } from '../java.js';
import { defineRoute, fail, ok, param, type Route } from '../route-kit.js';

/**
 * `PATCH /jobs/:jobid/clientHeartbeat` (`JobClientHeartbeatRequestBody`): an attached client
 * saying it is alive until `expiredTimestamp`. Flink's dispatcher answers 202 `{}` for any
 * well-formed job id; for a job it does not run it only logs a warning (here: in the
 * JobManager's simulated log). `expiredTimestamp` is a required `long` (real 2.3.0 and 1.20.5
 * answer `{}` with 400): Jackson's `MismatchedInputException` when it is missing or no number,
 * `InvalidFormatException` for text that is not one.
 */

const BODY = 'org.apache.flink.runtime.rest.messages.job.JobClientHeartbeatRequestBody';
const JACKSON = 'org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.exc';
const SOURCE = '\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 2]';

/** Why `expiredTimestamp` does not read as a `long`, or undefined when it does. */
function badTimestamp(value: unknown): JavaThrowable | undefined {
  if (value === undefined || value === null) return { className: `${JACKSON}.MismatchedInputException`, message: `Missing required creator property 'expiredTimestamp' (index 0)${SOURCE} (through reference chain: ${BODY}["expiredTimestamp"])` };
  if (typeof value === 'number' && Number.isInteger(value)) return undefined;
  if (typeof value === 'string') {
    if (/^-?\d+$/.test(value.trim())) return undefined;
    return { className: `${JACKSON}.InvalidFormatException`, message: `Cannot deserialize value of type \`long\` from String "${value}": not a valid \`long\` value${SOURCE} (through reference chain: ${BODY}["expiredTimestamp"])` };
  }
  return typeMismatchCause('long', BODY, 'expiredTimestamp');
}

/** @internal */
export const clientHeartbeatRoutes: readonly Route[] = [
  defineRoute({
    method: 'PATCH',
    path: '/jobs/:jobid/clientHeartbeat',
    params: { jobid: param.flinkId },
    body: {
      className: 'JobClientHeartbeatRequestBody',
      package: 'org.apache.flink.runtime.rest.messages.job',
      read: (b) => {
        const cause = badTimestamp(b.value.expiredTimestamp);
        return cause ? fail({ status: 400, body: badRequestBody('JobClientHeartbeatRequestBody', cause) }) : { expiredTimestamp: Number(b.value.expiredTimestamp) };
      },
    },
    handle: ({ model, params }) => {
      const job = model.jobs.get(params.jobid);
      if (!job || job.isGloballyTerminal) model.logs.jobManagerEvent('WARN', 'org.apache.flink.runtime.dispatcher.StandaloneDispatcher', `Fail to find job ${params.jobid} for client.`);
      return ok({}, 202);
    },
  }),
];
