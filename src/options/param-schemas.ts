import { z } from 'zod';
import { abortSignal, requestOptions } from './option-schemas.js';

// The parameter objects of the public methods, one schema each, checked before anything is sent.
// Ids get their format checked here too; the handles still lowercase them (internal/ids.ts).

const HEX32 = /^[0-9a-fA-F]{32}$/;

/** A Flink id: 32 hexadecimal characters. */
export const flinkId = z.string({ error: 'expected 32 hexadecimal characters' }).regex(HEX32, { error: 'expected 32 hexadecimal characters' });

const nonEmpty = (what: string) => z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}, not an empty string` });

export const jarProgramParams = z.strictObject({
  entryClass: nonEmpty('a class name').optional(),
  args: z.array(z.string(), { error: 'expected an array of strings' }).optional(),
  parallelism: z.number().int().positive({ error: 'expected a positive integer' }).optional(),
  configuration: z.record(z.string(), z.string(), { error: 'expected an object of configuration keys to string values' }).optional(),
});

const restore = {
  savepointPath: nonEmpty('a savepoint path').optional(),
  claimMode: z.enum(['CLAIM', 'NO_CLAIM', 'LEGACY']).optional(),
  allowNonRestoredState: z.boolean().optional(),
};

export const runJarParams = jarProgramParams.extend({ ...restore, jobId: z.union([flinkId, z.null()], { error: 'expected 32 hexadecimal characters, or null' }).optional() });

export const runApplicationParams = jarProgramParams.extend({ ...restore, applicationId: flinkId.optional() });

export const uploadJarOptions = requestOptions.extend({
  filename: nonEmpty('a file name ending in .jar').optional(),
  size: z.number().int().min(0).optional(),
  onProgress: z.custom<(p: unknown) => void>((v) => typeof v === 'function', { error: 'expected a function' }).optional(),
});

export const retrieveOptions = requestOptions.extend({ verify: z.boolean().optional() });

const formatType = z.enum(['CANONICAL', 'NATIVE']);

export const triggerSavepointParams = z.strictObject({
  targetDirectory: nonEmpty('a directory').optional(),
  cancelJob: z.boolean().optional(),
  formatType: formatType.optional(),
  triggerId: flinkId.optional(),
  waitForTasks: z.boolean().optional(),
});

export const stopWithSavepointParams = z.strictObject({
  targetDirectory: nonEmpty('a directory').optional(),
  drain: z.boolean().optional(),
  formatType: formatType.optional(),
  triggerId: flinkId.optional(),
  waitForTasks: z.boolean().optional(),
});

export const triggerCheckpointParams = z.strictObject({
  type: z.enum(['CONFIGURED', 'FULL', 'INCREMENTAL']).optional(),
  triggerId: flinkId.optional(),
  waitForTasks: z.boolean().optional(),
});

export const disposeSavepointParams = z.strictObject({ triggerId: flinkId.optional() });

export const exceptionsParams = z.strictObject({ maxExceptions: z.number().int().positive({ error: 'expected a positive integer' }).optional() });

const bounds = z.strictObject({
  parallelism: z
    .strictObject({ lowerBound: z.number().int().min(1), upperBound: z.number().int().min(1) })
    .refine((p) => p.lowerBound <= p.upperBound, { error: 'expected 1 <= lowerBound <= upperBound' }),
});

export const rescaleTarget = z.union([z.strictObject({ parallelism: z.number().int().positive({ error: 'expected a positive integer' }) }), z.record(flinkId, bounds)], {
  error: 'expected { parallelism: n } or resource requirements by vertex id',
});

const watchBase = {
  pollIntervalMs: z.number().positive().max(2_147_483_647).optional(),
  signal: abortSignal.optional(),
  changes: z.enum(['status', 'all']).optional(),
};

export const singleWatchOptions = z.strictObject({
  ...watchBase,
  onError: z.custom<(e: unknown) => void>((v) => typeof v === 'function', { error: 'expected a function' }).optional(),
});

const watchTargets = z.union([z.literal('all'), z.array(flinkId)], { error: "expected 'all' or an array of ids" });

export const clusterWatchOptions = z.strictObject({ ...watchBase, jobs: watchTargets.optional(), applications: watchTargets.optional() });

/** `waitFor(target)`: one status, several, or a predicate. */
export const statusTarget = z.union([nonEmpty('a status'), z.array(nonEmpty('a status')).min(1), z.custom<(s: string) => boolean>((v) => typeof v === 'function')], {
  error: 'expected a status, an array of statuses, or a predicate',
});


export const logReadOptions = requestOptions.extend({
  maxBytes: z.number().int().positive({ error: 'expected a positive integer' }).optional(),
  tailLines: z.number().int().positive({ error: 'expected a positive integer' }).optional(),
});
