/**
 * flink-client/testing: a stateful Flink simulator for test harnesses.
 *
 * `createFlinkSimulator()` starts an in-process Flink "cluster" on a loopback port that speaks the
 * Flink REST API (Flink 2.3.0 or 1.20.5 flavour: status codes, error bodies and field names as
 * recorded on real clusters). Any HTTP client can talk to it; its routes are also exported as msw
 * request handlers for fetch-based code under msw's `setupServer`.
 *
 * - Programs (`sim.programs.register(entryClass, program)`) script what a jar's `main()` does:
 *   submit jobs in sequence or in parallel, sleep, throw. `fixturePrograms` mirrors the real
 *   fixture jobs.
 * - Jobs move through Flink's states with realistic timing, driven by the clock or by the test
 *   (`sim.jobs.get(id).finish()`, `.fail()`, `.cancel()`, `.restart()`).
 * - Savepoints, stop-with-savepoint, checkpoints and disposal are asynchronous operations with
 *   trigger-id idempotency and result expiry.
 * - Applications (2.3) follow FLIP-549's state machine as real Flink 2.3.0 does.
 * - Faults: latency, 503 leader election, 500s, connection resets, truncated or malformed bodies,
 *   JobManager restarts.
 * - A virtual clock (`clock: 'virtual'`) makes tests independent of wall time.
 *
 * msw is an optional peer dependency of flink-client; install it to use this entry point.
 *
 * @example
 * ```ts
 * import { ClusterClient } from 'flink-client';
 * import { createFlinkSimulator } from 'flink-client/testing';
 *
 * const sim = await createFlinkSimulator({ clock: 'virtual' });
 * sim.programs.register('com.example.Etl', { jobs: [{ name: 'etl', durationMs: 2_000 }] });
 * const jar = sim.jars.add({ name: 'etl.jar', mainClass: 'com.example.Etl' });
 *
 * const cluster = new ClusterClient({ url: sim.url });
 * const job = await cluster.runJar(jar.id);
 * sim.clock.advance(3_000);
 * expect(await job.status()).toBe('FINISHED');
 * await cluster.close();
 * await sim.close();
 * ```
 * @packageDocumentation
 */

// The simulator
export {
  createFlinkHandlers,
  createFlinkSimulator,
  FlinkSimulator,
  type FlinkHandlersOptions,
  type FlinkSimulatorOptions,
  type SimulatedApplications,
  type SimulatedJars,
  type SimulatedJobs,
  type SimulatedOperations,
  type SimulatedSavepoints,
  type SimulatorFaults,
} from './simulator.js';
export { SIMULATOR_FLINK_VERSIONS, type SimulatorFlinkVersion } from './profiles.js';
export { type SimulatedArchive, type SimulatedHistoryRequest, SimulatedHistoryServer, type SimulatedHistoryServerOptions } from './history/history-server.js';

// Time
export type { SimulatorClock, SimulatorClockKind } from './clock.js';
export { FAST_TIMING, REALISTIC_TIMING, type SimulatorTiming } from './timing.js';

// Programs
export {
  FIXTURE_JARS,
  type FixtureJarInfo,
  type FixtureKey,
  fixturePrograms,
  type ProgramContext,
  type ProgramDefinition,
  ProgramRegistry,
  type ProgramSource,
  type ProgramStep,
  type SimulatedAccumulator,
  type SimulatedFailure,
  type SimulatedJobSpec,
  type SimulatedProgram,
  type SimulatedVertex,
} from './programs.js';
export type { SimulatedException } from './java.js';
export { buildJar, type BuildJarOptions } from './jar-file.js';

// State
export type {
  SimulatedApplication,
  SimulatedApplicationStatus,
  SimulatedJar,
  SimulatedJob,
  SimulatedJobGraph,
  SimulatedJobStatus,
  SimulatedOperation,
  SimulatedSavepoint,
  SimulatorEvents,
  SimulatorRequest,
} from './state.js';

// Faults
export type { Fault, FaultHandle, FaultMatch, FaultRule, JobManagerRestartOptions } from './faults.js';

// Contract targets
export { createSimulatorTarget, type FixtureJar, fixtureJar, type FlinkTestTarget, uploadJarBytes } from './target.js';

// SQL Gateway simulator
export {
  createSqlGatewaySimulator,
  type SimulatedSqlSession,
  type SqlGatewayRequest,
  SqlGatewaySimulator,
  type SqlGatewaySimulatorOptions,
} from './sql-gateway/sql-gateway-simulator.js';
export {
  type SimulatedSqlError,
  type SimulatedStatement,
  type SimulatedStatementHandle,
  SimulatedStatements,
  type SqlStatementMatcher,
} from './sql-gateway/statements.js';
export type { SimulatedColumn, SimulatedRow, SimulatedRowKind } from './sql-gateway/column-types.js';
// Control API (what `flink-client simulate` serves beside the REST API)
export { type ControlApiOptions, type ControlApiServer, type ControlRequest, type ControlResponse, controlRequest, startControlApi } from './control-api.js';
