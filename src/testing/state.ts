import type { SimulatedException } from './java.js';

/**
 * The simulator's state API as tests see it: live handles on jobs, applications, jars, savepoints
 * and asynchronous operations, to observe them and to drive them.
 */

/** A job status, spelled as Flink spells it. */
export type SimulatedJobStatus =
  | 'INITIALIZING'
  | 'CREATED'
  | 'RUNNING'
  | 'FAILING'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELED'
  | 'FINISHED'
  | 'RESTARTING'
  | 'SUSPENDED'
  | 'RECONCILING';

/** An application state (Flink 2.3). Note `CANCELING` with one L. */
export type SimulatedApplicationStatus = 'CREATED' | 'RUNNING' | 'FAILING' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'FINISHED';

/**
 * A live handle on a simulated job (`sim.jobs.get(id)`): what Flink would report about it, plus
 * controls that make it change state as a real job would. Every control acts at the current
 * simulated time; the follow-up states (CANCELLING → CANCELED, ...) come with the configured timing.
 */
export interface SimulatedJob {
  /** The job id (32 hex). */
  readonly id: string;
  /** The job name. */
  readonly name: string;
  /** The current status. */
  readonly status: SimulatedJobStatus;
  /** When each status was last entered (epoch ms, simulated), 0 for never. */
  readonly timestamps: Readonly<Record<SimulatedJobStatus, number>>;
  /** The application the job belongs to (Flink 2.3 profile), else undefined. */
  readonly applicationId: string | undefined;
  /** The jar that submitted it. */
  readonly jarId: string | undefined;
  /** The entry class that submitted it. */
  readonly entryClass: string | undefined;
  /** Program arguments of the run. */
  readonly args: readonly string[];
  /** The job's parallelism. */
  readonly parallelism: number;
  /** `flinkConfiguration` of the run. */
  readonly configuration: Readonly<Record<string, string>>;
  /** The savepoint (or checkpoint) path the job restored from, if any. */
  readonly restoredFrom: string | undefined;
  /** `claimMode` (or the legacy `restoreMode`) the run asked for. */
  readonly claimMode: string | undefined;
  /** Locations of the savepoints taken of this job, oldest first. */
  readonly savepoints: readonly string[];
  /**
   * The job's user accumulators: name → type and Flink's string rendering of the value (the REST
   * API lists the job's own ones only once it FINISHED; see `SimulatedJobSpec.accumulators`).
   */
  readonly accumulators: Readonly<
    Record<
      string,
      {
        /** The accumulator's Java class, such as `IntCounter`. */
        type: string;
        /** Flink's string rendering of the value. */
        value: string;
      }
    >
  >;
  /** Whether the job reached FINISHED, FAILED or CANCELED. */
  readonly isGloballyTerminal: boolean;
  /**
   * What `POST /jobs` received for this job (`flink run -m`, `RestClusterClient.submitJob`): the
   * serialized job graph, kept as bytes and never deserialized, and the names of the jars and
   * artifacts sent with it. Undefined for jobs submitted any other way.
   */
  readonly jobGraph: SimulatedJobGraph | undefined;
  /** Makes the job FINISHED now (a bounded job running out of input). */
  finish(): void;
  /**
   * Makes the job fail now (FAILING → FAILED, no restart), with the given user exception.
   * @default IllegalStateException "Simulated job failure"
   */
  fail(error?: string | SimulatedException): void;
  /** Cancels the job (CANCELLING → CANCELED), as `PATCH /jobs/:id` does. */
  cancel(): void;
  /** A failover: RUNNING → RESTARTING → RUNNING, recording the cause in the exception history. */
  restart(cause?: string | SimulatedException): void;
  /** SUSPENDED (the JobManager lost leadership); locally terminal only. */
  suspend(): void;
  /** Recovers a SUSPENDED job: INITIALIZING → CREATED → RUNNING, restoring its latest checkpoint. */
  recover(): void;
  /** Sets (or adds) a user accumulator; the REST API reports it at once, also while the job runs. */
  setAccumulator(name: string, value: number | bigint | string, type?: string): void;
  /**
   * Resolves when the job reaches the status (or any of the statuses), at once if it is there.
   * Simulated time must pass for it to happen (advance a virtual clock).
   */
  waitForStatus(status: SimulatedJobStatus | readonly SimulatedJobStatus[]): Promise<SimulatedJobStatus>;
}

/** A job graph submitted through `POST /jobs`, as the simulator stores it. */
export interface SimulatedJobGraph {
  /** The graph's file name in the request (`executionPlanFileName` on 2.x, `jobGraphFileName` on 1.x). */
  readonly fileName: string;
  /** The Java-serialized `StreamGraph` (2.x) or `JobGraph` (1.x), exactly as sent. */
  readonly bytes: Uint8Array;
  /** The jars sent with it (`jobJarFileNames`), with their sizes. */
  readonly jars: readonly {
    /** The jar's file name. */
    readonly name: string;
    /** Its size in bytes. */
    readonly size: number;
  }[];
  /** The distributed-cache artifacts sent with it (`jobArtifactFileNames`). */
  readonly artifacts: readonly {
    /** The name the job registers the file under in the distributed cache. */
    readonly entryName: string;
    /** The uploaded file's name. */
    readonly fileName: string;
  }[];
  /** The first jar's `Main-Class`, whose registered program the job follows, if known. */
  readonly entryClass: string | undefined;
}

/** A live handle on a simulated application (Flink 2.3 profile, `sim.applications.get(id)`). */
export interface SimulatedApplication {
  /** The application id (32 hex). */
  readonly id: string;
  /** The name: the entry class, or `SingleJobApplication(<job name>)` for `/jars/:id/run` jobs. */
  readonly name: string;
  /** The current state. */
  readonly status: SimulatedApplicationStatus;
  /** When each state was entered, 0 for never. */
  readonly timestamps: Readonly<Record<SimulatedApplicationStatus, number>>;
  /** Ids of the application's jobs, in submission order. */
  readonly jobIds: readonly string[];
  /** Whether the application came from `/jars/:id/run` (one job, id = job id). */
  readonly singleJob: boolean;
  /** Cancels the application and its unfinished jobs, as `POST /applications/:id/cancel` does. */
  cancel(): void;
  /** Resolves when the application reaches the state (or any of the states). */
  waitForStatus(status: SimulatedApplicationStatus | readonly SimulatedApplicationStatus[]): Promise<SimulatedApplicationStatus>;
}

/** An uploaded jar as the simulator stores it. */
export interface SimulatedJar {
  /** The jar id: `<uuid>_<file name>`. */
  readonly id: string;
  /** The uploaded file name. */
  readonly name: string;
  /** Upload time (epoch ms, simulated). */
  readonly uploaded: number;
  /** The entry class the jar lists (its `Main-Class`), if known. */
  readonly mainClass: string | undefined;
  /** Other classes found in the jar. */
  readonly classes: readonly string[];
  /** Size in bytes. */
  readonly size: number;
}

/** A savepoint the simulated cluster wrote (or was told about), by path. */
export interface SimulatedSavepoint {
  /** The location, as Flink reports it (`file:/.../savepoint-<6 hex>-<12 hex>`). */
  readonly path: string;
  /** The job it was taken of (undefined for one added with `sim.savepoints.add`). */
  readonly jobId: string | undefined;
  /** Its checkpoint id. */
  readonly checkpointId: number;
  /** When it completed. */
  readonly createdAt: number;
  /** `CANONICAL` or `NATIVE`. */
  readonly format: 'CANONICAL' | 'NATIVE';
  /** Whether it was disposed (`POST /savepoint-disposal`); a disposed savepoint cannot be restored. */
  readonly disposed: boolean;
}

/** An asynchronous operation (savepoint, stop, checkpoint, disposal) behind a trigger id. */
export interface SimulatedOperation {
  /** The kind of operation. */
  readonly kind: 'savepoint' | 'stop' | 'checkpoint' | 'savepoint-disposal' | 'dataset-deletion';
  /** The trigger id (`request-id`). */
  readonly triggerId: string;
  /** The job, for job operations. */
  readonly jobId: string | undefined;
  /** `IN_PROGRESS` or `COMPLETED`. */
  readonly status: 'IN_PROGRESS' | 'COMPLETED';
  /** When it was triggered. */
  readonly triggeredAt: number;
  /** When it completed, if it did. */
  readonly completedAt: number | undefined;
  /** The savepoint location or checkpoint id it produced. */
  readonly result:
    | {
        /** The savepoint location (savepoint and stop operations). */
        location?: string;
        /** The checkpoint id (checkpoint operations). */
        checkpointId?: number;
      }
    | undefined;
  /** The first line of its failure, if it failed. */
  readonly failure: string | undefined;
  /** How many trigger requests named this operation (1 + idempotent repeats). */
  readonly triggerCount: number;
}

/** Events of a simulator (`sim.on(...)`). */
export interface SimulatorEvents {
  /** A job changed status. */
  jobStatus: [
    event: {
      /** The job. */
      jobId: string;
      /** The new status. */
      status: SimulatedJobStatus;
      /** The status before; undefined for a new job. */
      previous: SimulatedJobStatus | undefined;
      /** When, in simulated epoch ms. */
      at: number;
    },
  ];
  /** An application changed state. */
  applicationStatus: [
    event: {
      /** The application. */
      applicationId: string;
      /** The new state. */
      status: SimulatedApplicationStatus;
      /** The state before; undefined for a new application. */
      previous: SimulatedApplicationStatus | undefined;
      /** When, in simulated epoch ms. */
      at: number;
    },
  ];
  /** An asynchronous operation completed. */
  operationCompleted: [
    event: {
      /** The kind of operation. */
      kind: SimulatedOperation['kind'];
      /** Its trigger id. */
      triggerId: string;
      /** The job, for job operations. */
      jobId: string | undefined;
      /** Whether it failed. */
      failed: boolean;
      /** When, in simulated epoch ms. */
      at: number;
    },
  ];
  /** The simulator answered a request (also for injected faults). */
  request: [entry: SimulatorRequest];
  /** A timer callback or program threw (a bug in a test's program function, usually). */
  error: [error: unknown];
}

/** One request the simulator answered, with the JSON it sent back. */
export interface SimulatorRequest {
  /** HTTP method. */
  readonly method: string;
  /** The path as received, with any `/v1` prefix, without the query string. */
  readonly path: string;
  /** The query parameters. */
  readonly query: Readonly<Record<string, string>>;
  /** The route template that answered (`/jobs/:jobid`), or undefined for an unknown route. */
  readonly route: string | undefined;
  /** The request body as parsed JSON (or a placeholder for uploads), if any. */
  readonly requestBody: unknown;
  /** The status sent, or 0 when the connection was reset. */
  readonly status: number;
  /** The JSON body sent (undefined for resets, malformed-body faults and text answers such as log files). */
  readonly responseBody: unknown;
  /** The fault applied, if any. */
  readonly fault: string | undefined;
  /** Simulated time of the answer. */
  readonly at: number;
}
