import { z } from 'zod';
import { hexId } from './common.js';
import { defineSchema, type SchemaOutput } from './schema-kit.js';

/**
 * The jars uploaded to the cluster, with their entry classes.
 *
 * Validates `GET /jars`: `{"address", "files": [{"id", "name", "uploaded", "entry": [{"name",
 * "description"}]}]}`. A jar's `id` is its upload file name (`<uuid>_<name>.jar`), not a hex id;
 * an entry's `description` is usually `null`.
 */
export const JarListSchema = defineSchema((k) =>
  k.object({
    address: z.string(),
    files: z.array(
      k.object({
        id: z.string(),
        name: z.string(),
        uploaded: z.number(),
        entry: z.array(k.object({ name: z.string(), description: z.string().nullable() })),
      }),
    ),
  }),
);
/** The body of `GET /jars`. */
export type JarList = SchemaOutput<typeof JarListSchema>;

/**
 * The result of a jar upload.
 *
 * Validates `POST /jars/upload`: `{"filename": "<server path>", "status": "success"}`; the jar id
 * is the last path segment of `filename`.
 */
export const JarUploadResponseSchema = defineSchema((k) =>
  k.object({
    filename: z.string(),
    status: k.openEnum(['success']),
  }),
);
/** The body of `POST /jars/upload`. */
export type JarUploadResponse = SchemaOutput<typeof JarUploadResponseSchema>;

/**
 * The job a jar run submitted.
 *
 * Validates `POST /jars/:jarid/run`: `{"jobid"}`, plus on Flink 2.3 `applicationId` (camelCase;
 * the id of the single-job application wrapping the job, equal to the job id).
 */
export const JarRunResponseSchema = defineSchema((k) =>
  k.object({
    jobid: hexId(k),
    applicationId: hexId(k).nullable().optional(),
  }),
);
/** The body of `POST /jars/:jarid/run`. */
export type JarRunResponse = SchemaOutput<typeof JarRunResponseSchema>;

/**
 * The application a jar run-application call created (Flink 2.3+).
 *
 * Validates the 202 body of `POST /jars/:jarid/run-application`: `{"applicationid"}` (all lower
 * case, unlike `applicationId` of `/run`).
 */
export const ApplicationRunResponseSchema = defineSchema((k) => k.object({ applicationid: hexId(k) }));
/** The body of `POST /jars/:jarid/run-application`. */
export type ApplicationRunResponse = SchemaOutput<typeof ApplicationRunResponseSchema>;
