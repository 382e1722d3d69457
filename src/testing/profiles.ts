/**
 * What differs between the Flink versions the simulator imitates. Each difference is backed by a
 * recording of a real cluster (test/fixtures/recorded/<version>/).
 */

/** The Flink versions the simulator can imitate. */
export type SimulatorFlinkVersion = '2.3.0' | '1.20.5';

/** Every simulated version. */
export const SIMULATOR_FLINK_VERSIONS: readonly SimulatorFlinkVersion[] = ['2.3.0', '1.20.5'];

/** The differences between versions, as the model and the renderers consult them. @internal */
export interface VersionProfile {
  readonly version: SimulatorFlinkVersion;
  /** `flink-revision` of `/config`. */
  readonly revision: string;
  /** `flink-commit` of `/overview`. */
  readonly commit: string;
  /** FLIP-549 applications: the `/applications` routes and `/jars/:id/run-application`. */
  readonly applications: boolean;
  /** `application-id`, `schedulerType`, `pending-operators` on job details; `jobType`, `schedulerType`, `pending-operators` on overview entries. */
  readonly jobFields2x: boolean;
  /** `name`, `start-time`, `end-time`, `application-id` in `job-execution-result`. */
  readonly resultFields23: boolean;
  /** The deprecated `root-exception`, `timestamp`, `all-exceptions`, `truncated` of `/jobs/:id/exceptions`, and `location` on exception entries. */
  readonly legacyExceptions: boolean;
  /** `execution-mode` in `/jobs/:id/config`. */
  readonly executionMode: boolean;
  /** `assignedTasks` on task managers. */
  readonly assignedTasks: boolean;
  /** The exception a repeated `jobId` on `/jars/:id/run` causes. */
  readonly duplicateSubmission: { className: string; message: string };
  /** Rescaling with the adaptive scheduler goes through RESTARTING (1.20) or keeps RUNNING (2.3). */
  readonly rescaleRestarts: boolean;
  /**
   * A later `execute()` of a `/jars/:id/run` with a client-chosen `jobId` gets the run's first job
   * back instead of submitting a second one (1.20: Flink 1.x's EmbeddedExecutor reuses a job id the
   * run already submitted; 2.3 submits again and fails as a duplicate).
   */
  readonly reusesFixedJobIdWithinRun: boolean;
  /** `host` beside `endpoint` on a vertex's subtask and TaskManager entries (1.20). */
  readonly subtaskHost: boolean;
  /** A source vertex's JobManager operator metrics list its enumerator's `unassignedSplits` (1.20; 2.3 listed none). */
  readonly sourceCoordinatorMetrics: boolean;
}

const PROFILES: Record<SimulatorFlinkVersion, VersionProfile> = {
  '2.3.0': {
    version: '2.3.0',
    revision: 'c0f8d1a @ 2026-06-14T16:29:03+02:00',
    commit: 'c0f8d1a',
    applications: true,
    jobFields2x: true,
    resultFields23: true,
    legacyExceptions: false,
    executionMode: false,
    assignedTasks: true,
    duplicateSubmission: {
      className: 'org.apache.flink.runtime.client.DuplicateApplicationSubmissionException',
      message: 'Application has already been submitted.',
    },
    rescaleRestarts: false,
    reusesFixedJobIdWithinRun: false,
    subtaskHost: false,
    sourceCoordinatorMetrics: false,
  },
  '1.20.5': {
    version: '1.20.5',
    revision: '0980485 @ 2026-06-08T09:21:06+02:00',
    commit: '0980485',
    applications: false,
    jobFields2x: false,
    resultFields23: false,
    legacyExceptions: true,
    executionMode: true,
    assignedTasks: false,
    duplicateSubmission: {
      className: 'org.apache.flink.runtime.client.DuplicateJobSubmissionException',
      message: 'Job has already been submitted.',
    },
    rescaleRestarts: true,
    reusesFixedJobIdWithinRun: true,
    subtaskHost: true,
    sourceCoordinatorMetrics: true,
  },
};

/** The profile of a version. @internal */
export function versionProfile(version: SimulatorFlinkVersion): VersionProfile {
  const profile = PROFILES[version];
  if (!profile) throw new RangeError(`unsupported flinkVersion ${JSON.stringify(version)}; expected one of ${SIMULATOR_FLINK_VERSIONS.join(', ')}`);
  return profile;
}
