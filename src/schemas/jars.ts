import { z } from 'zod';
import { hexId } from './common.js';
import { defineSchema, typedSchema } from './schema-kit.js';

/** An entry class a jar declares or contains. */
export interface JarEntryInfo {
  /** The fully qualified class name, such as `com.example.Etl`. */
  name: string;
  /** A description of the program; usually `null`. */
  description: string | null;
}

/** One uploaded jar (`JarListInfo.JarFileInfo`). */
export interface JarFileInfo {
  /**
   * The jar id: its file name on the server, `<uuid>_<original name>.jar`, **not** a hex id. Use it
   * in `/jars/:jarid/...` paths.
   */
  id: string;
  /** The original file name, such as `job.jar`. */
  name: string;
  /** When it was uploaded, ms since the epoch. */
  uploaded: number;
  /** The entry classes Flink found in the jar; can be empty. */
  entry: JarEntryInfo[];
}

/** The body of `GET /jars`: the jars uploaded to this JobManager. */
export interface JarList {
  /** The REST address of the JobManager holding the jars, such as `http://127.0.0.1:8081`. */
  address: string;
  /**
   * The uploaded jars. They live in the JobManager's `web.upload.dir`: another JobManager (after a
   * failover) does not have them.
   */
  files: JarFileInfo[];
}

/**
 * The jars uploaded to the cluster, with their entry classes.
 *
 * Validates `GET /jars`: `{"address", "files": [{"id", "name", "uploaded", "entry": [{"name",
 * "description"}]}]}`. A jar's `id` is its upload file name (`<uuid>_<name>.jar`), not a hex id;
 * an entry's `description` is usually `null`.
 */
export const JarListSchema = typedSchema<JarList>()(defineSchema((k) =>
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
));

/** The body of `POST /jars/upload`. */
export interface JarUploadResponse {
  /** The jar's path on the server, `<web.upload.dir>/flink-web-upload/<uuid>_<name>.jar`; its last segment is the jar id. */
  filename: string;
  /** Always `success` (a failed upload answers with an error status instead). */
  status: 'success' | (string & {});
}

/**
 * The result of a jar upload.
 *
 * Validates `POST /jars/upload`: `{"filename": "<server path>", "status": "success"}`; the jar id
 * is the last path segment of `filename`.
 */
export const JarUploadResponseSchema = typedSchema<JarUploadResponse>()(defineSchema((k) =>
  k.object({
    filename: z.string(),
    status: k.openEnum(['success']),
  }),
));

/** The body of `POST /jars/:jarid/run`: the job the run submitted. */
export interface JarRunResponse {
  /**
   * The id of the first job `main()` submitted. A `main()` that submits several jobs runs them
   * all, but only the first is named here.
   */
  jobid: string;
  /**
   * Flink 2.3+ (camelCase): the id of the single-job application wrapping the job, equal to
   * `jobid`; absent before 2.3.
   */
  applicationId?: string | null;
}

/**
 * The job a jar run submitted.
 *
 * Validates `POST /jars/:jarid/run`: `{"jobid"}`, plus on Flink 2.3 `applicationId` (camelCase;
 * the id of the single-job application wrapping the job, equal to the job id).
 */
export const JarRunResponseSchema = typedSchema<JarRunResponse>()(defineSchema((k) =>
  k.object({
    jobid: hexId(k),
    applicationId: hexId(k).nullable().optional(),
  }),
));

/** The 202 body of `POST /jars/:jarid/run-application` (Flink 2.3+). */
export interface ApplicationRunResponse {
  /** The new application's id: all lower case, unlike `applicationId` of `/run`. */
  applicationid: string;
}

/**
 * The application a jar run-application call created (Flink 2.3+).
 *
 * Validates the 202 body of `POST /jars/:jarid/run-application`: `{"applicationid"}` (all lower
 * case, unlike `applicationId` of `/run`).
 */
export const ApplicationRunResponseSchema = typedSchema<ApplicationRunResponse>()(
  defineSchema((k) => k.object({ applicationid: hexId(k) })),
);
