import type { SimulatedException } from './java.js';

/**
 * Programs: what a jar's `main()` does in the simulator. A test registers a program per entry
 * class; running a jar (`/jars/:id/run` or `/jars/:id/run-application`) runs the program of the
 * requested entry class, or of the jar's `Main-Class`.
 */

/** One vertex (a chain of operators) of a simulated job graph. */
export interface SimulatedVertex {
  /** The vertex name, such as `Source: numbers -> Map -> Sink: out`. */
  name: string;
  /**
   * The vertex's parallelism.
   * @default the job's parallelism
   */
  parallelism?: number;
  /** The plan description; defaults to `<name><br/>`. */
  description?: string;
  /** A fixed vertex id (32 hex); by default derived from the job and vertex names, stable across runs as in Flink. */
  id?: string;
  /**
   * The ship strategy of the edge from the previous vertex (`HASH`, `REBALANCE`, `FORWARD`, ...).
   * @default 'HASH'
   */
  shipStrategy?: string;
}

/** How a simulated job fails. */
export interface SimulatedFailure {
  /**
   * Running time before the failure, in simulated milliseconds.
   * @default 150
   */
  afterMs?: number;
  /**
   * The user exception; a string is the message of a `java.lang.IllegalStateException`.
   * @default IllegalStateException "Simulated job failure"
   */
  exception?: string | SimulatedException;
  /**
   * How many times the job restarts (RUNNING → RESTARTING → RUNNING, each attempt failing again)
   * before it ends FAILED; 0 is restart strategy `none`.
   * @default 0
   */
  restarts?: number;
}

/** An accumulator value: a number (a `LongCounter`), or an explicit type and value. */
export type SimulatedAccumulator =
  | number
  | bigint
  | string
  | {
      /** The accumulator's Java class as the REST API names it, such as `IntCounter`. */
      type: string;
      /** The value; the REST API renders it as a string. */
      value: number | bigint | string;
    };

/** A job that a simulated `main()` submits with `execute()`. */
export interface SimulatedJobSpec {
  /** The job name (`execute(name)`). */
  name: string;
  /**
   * How long the job runs (in RUNNING) before it finishes, in simulated milliseconds, or
   * `'unbounded'` for a streaming job that runs until it is cancelled, stopped or told to finish.
   * @default 'unbounded'
   */
  durationMs?: number | 'unbounded';
  /** Make the job fail (instead of finishing); `true` uses the defaults of {@link SimulatedFailure}. */
  fail?: boolean | SimulatedFailure;
  /**
   * The job's user accumulators at its end: the execution result of a FINISHED job carries them,
   * and `GET /jobs/:id/accumulators` lists them once the job FINISHED (its tasks report them when
   * they finish; while it runs the list is empty, as on a real cluster).
   */
  accumulators?: Record<string, SimulatedAccumulator>;
  /**
   * Periodic checkpointing; `true` means every 1 000 ms.
   * @default off
   */
  checkpointing?:
    | boolean
    | {
        /**
         * The checkpoint interval in simulated milliseconds.
         * @default 1 000
         */
        intervalMs?: number;
        /**
         * The state size each checkpoint reports, in bytes.
         * @default 4096
         */
        stateSizeBytes?: number;
      };
  /**
   * The job graph's vertices, sources first.
   * @default one vertex `Source: <name> -> Sink: Discard`
   */
  vertices?: readonly SimulatedVertex[];
  /**
   * The job type Flink reports.
   * @default 'STREAMING' (as Flink reports for DataStream programs, bounded or not)
   */
  jobType?: 'STREAMING' | 'BATCH';
  /** The job's parallelism, overriding the run's `parallelism` (as `env.setParallelism` does). */
  parallelism?: number;
}

/** One step of a simulated `main()`. */
export type ProgramStep =
  /**
   * `env.execute()`: submit a job. With `wait: true` (attached execution) `main()` continues once
   * the job is globally terminal, and throws if it FAILED or was CANCELED; with `wait: false`
   * (detached, or `executeAsync`) it continues right after the submission.
   */
  | {
      /** Selects this step. */
      type: 'submit';
      /** The job to submit. */
      job: SimulatedJobSpec;
      /**
       * Attached execution: wait for the job to be globally terminal before the next step.
       * @default false
       */
      wait?: boolean;
    }
  /** `Thread.sleep(ms)` in simulated time. */
  | {
      /** Selects this step. */
      type: 'sleep';
      /** How long, in simulated milliseconds. */
      ms: number;
    }
  /** `main()` throws; a string is the message of a `java.lang.IllegalArgumentException`. */
  | {
      /** Selects this step. */
      type: 'throw';
      /** The exception, or the message of an `IllegalArgumentException`. */
      exception: string | SimulatedException;
    };

/**
 * What a simulated `main()` does. Either the shorthand (`jobs`, `mode`, `sleepMs`, `throwBefore`,
 * `throwAfter`) or explicit `steps`; `steps` wins when both are given.
 *
 * @example
 * ```ts
 * // two bounded jobs, the second submitted once the first finished, then main() returns
 * const program: SimulatedProgram = {
 *   jobs: [{ name: 'extract', durationMs: 500 }, { name: 'load', durationMs: 300 }],
 *   mode: 'sequence',
 * };
 * ```
 */
export interface SimulatedProgram {
  /** The jobs `main()` submits. */
  jobs?: readonly SimulatedJobSpec[];
  /**
   * `'sequence'`: each job is submitted once the previous one ended (blocking `execute()`);
   * `'parallel'`: all are submitted at once (`executeAsync()`).
   * @default 'sequence'
   */
  mode?: 'sequence' | 'parallel';
  /** Simulated time `main()` spends before it submits its first job. */
  sleepMs?: number;
  /** `main()` throws this before submitting anything (IllegalArgumentException for a string). */
  throwBefore?: string | SimulatedException;
  /** `main()` throws this after its jobs were submitted (and, in `'sequence'` mode, ended). */
  throwAfter?: string | SimulatedException;
  /** Explicit steps, for anything the shorthand cannot say. */
  steps?: readonly ProgramStep[];
}

/** What a program function learns about the run that started it. */
export interface ProgramContext {
  /** The entry class that runs. */
  readonly entryClass: string;
  /** The jar id. */
  readonly jarId: string;
  /** Program arguments (`programArgsList`). */
  readonly args: readonly string[];
  /** The value after `--name` in the arguments, if present. */
  arg(name: string): string | undefined;
  /** The run's parallelism (`parallelism` of the request, else `parallelism.default`). */
  readonly parallelism: number;
  /** The run's `flinkConfiguration`. */
  readonly configuration: Readonly<Record<string, string>>;
  /** The savepoint the run restores from, if any. */
  readonly savepointPath: string | undefined;
  /** Which REST call started the program. */
  readonly submission: 'run' | 'run-application';
}

/** A program, or a function of the run that returns one (to honour arguments such as `--job-name`). */
export type ProgramSource = SimulatedProgram | ((context: ProgramContext) => SimulatedProgram);

/** A program together with the entry class it is registered under. */
export interface ProgramDefinition {
  /** The entry class (`com.example.Main`). */
  entryClass: string;
  /** What `main()` does. */
  program: ProgramSource;
  /**
   * Jar file names whose uploads run this program when the jar has no readable manifest (so a
   * placeholder file named like the real jar behaves like it).
   */
  jarNames?: readonly string[];
}

/** A normalised step list. @internal */
export type NormalizedProgram = readonly ProgramStep[];

/** Turns a program (shorthand or steps) into steps. @internal */
export function normalizeProgram(program: SimulatedProgram): NormalizedProgram {
  if (program.steps) return program.steps;
  const steps: ProgramStep[] = [];
  if (program.sleepMs !== undefined && program.sleepMs > 0) steps.push({ type: 'sleep', ms: program.sleepMs });
  if (program.throwBefore !== undefined) {
    steps.push({ type: 'throw', exception: program.throwBefore });
    return steps;
  }
  const wait = (program.mode ?? 'sequence') === 'sequence';
  for (const job of program.jobs ?? []) steps.push({ type: 'submit', job, wait });
  if (program.throwAfter !== undefined) steps.push({ type: 'throw', exception: program.throwAfter });
  return steps;
}

/** The programs a simulator knows, by entry class (`sim.programs`). */
export class ProgramRegistry {
  readonly #programs = new Map<string, ProgramSource>();
  readonly #jarNames = new Map<string, string>();

  /**
   * Registers (or replaces) the program of an entry class.
   *
   * @param options.jarNames jar file names that stand for this entry class when an upload has no
   *   readable manifest
   * @throws TypeError for an empty entry class.
   * @example
   * ```ts
   * sim.programs.register('com.example.Main', { jobs: [{ name: 'etl', durationMs: 1_000 }] });
   * ```
   */
  register(entryClass: string, program: ProgramSource, options: { jarNames?: readonly string[] } = {}): this {
    if (typeof entryClass !== 'string' || entryClass.trim() === '') throw new TypeError('entryClass must be a non-empty string');
    if (program === null || (typeof program !== 'object' && typeof program !== 'function')) throw new TypeError('program must be an object or a function');
    this.#programs.set(entryClass, program);
    for (const name of options.jarNames ?? []) this.#jarNames.set(name, entryClass);
    return this;
  }

  /** Registers several programs, such as {@link fixturePrograms}. */
  registerAll(definitions: Iterable<ProgramDefinition>): this {
    for (const d of definitions) this.register(d.entryClass, d.program, { jarNames: d.jarNames });
    return this;
  }

  /** Removes an entry class's program; returns whether there was one. */
  unregister(entryClass: string): boolean {
    for (const [name, cls] of this.#jarNames) if (cls === entryClass) this.#jarNames.delete(name);
    return this.#programs.delete(entryClass);
  }

  /** Whether an entry class has a program. */
  has(entryClass: string): boolean {
    return this.#programs.has(entryClass);
  }

  /** The program of an entry class. */
  get(entryClass: string): ProgramSource | undefined {
    return this.#programs.get(entryClass);
  }

  /** The registered entry classes. */
  list(): string[] {
    return [...this.#programs.keys()];
  }

  /** The entry class registered for a jar file name. @internal */
  entryClassForJarName(name: string): string | undefined {
    return this.#jarNames.get(name);
  }
}

// ---------------------------------------------------------------------------------------------
// The fixture jobs (test/fixtures/jobs), as real clusters ran them

/** The keys of the fixture jars (test/fixtures/jobs/README.md). */
export type FixtureKey = 'streaming' | 'bounded' | 'failing' | 'twoJobs' | 'throwing' | 'noExecute';

/** A fixture jar: its file name, main class and the jobs it runs. */
export interface FixtureJarInfo {
  /** The jar file name the fixture build produces. */
  jarName: string;
  /** The `Main-Class`. */
  entryClass: string;
  /** The names of the jobs it submits. */
  jobNames: readonly string[];
}

/** The six fixture jars, by key. */
export const FIXTURE_JARS: Readonly<Record<FixtureKey, FixtureJarInfo>> = Object.freeze({
  streaming: { jarName: 'streaming-counter.jar', entryClass: 'flinkclient.fixtures.StreamingCounterJob', jobNames: ['flink-client-fixture-streaming-counter'] },
  bounded: { jarName: 'bounded-accumulator.jar', entryClass: 'flinkclient.fixtures.BoundedAccumulatorJob', jobNames: ['flink-client-fixture-bounded-accumulators'] },
  failing: { jarName: 'failing.jar', entryClass: 'flinkclient.fixtures.FailingJob', jobNames: ['flink-client-fixture-failing'] },
  twoJobs: { jarName: 'two-jobs.jar', entryClass: 'flinkclient.fixtures.TwoJobsMain', jobNames: ['flink-client-fixture-two-jobs-1', 'flink-client-fixture-two-jobs-2'] },
  throwing: { jarName: 'throwing.jar', entryClass: 'flinkclient.fixtures.ThrowingMain', jobNames: [] },
  noExecute: { jarName: 'no-execute.jar', entryClass: 'flinkclient.fixtures.NoExecuteMain', jobNames: [] },
});

function intArg(ctx: ProgramContext, name: string, fallback: number): number {
  const raw = ctx.arg(name);
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const SEQUENCE_SOURCE = 'Source: Sequence Source';

/**
 * Programs that behave like the real fixture jobs (test/fixtures/jobs) did on Flink 2.3.0 and
 * 1.20.5: same entry classes, job names, vertex ids and names, accumulators, failure and timing
 * shape. Register them with `createFlinkSimulator({ programs: fixturePrograms })` or
 * `sim.programs.registerAll(fixturePrograms)`.
 *
 * - `StreamingCounterJob`: unbounded, checkpointing every `--checkpoint-interval` ms (1 000), four
 *   vertices (three at parallelism 1, where the reporter chains with the sink).
 * - `BoundedAccumulatorJob`: finishes after ~170 ms of running; accumulators `records`
 *   (IntCounter, `--count`, default 1000) and `sum` (LongCounter, N(N+1)/2 = 500500).
 * - `FailingJob`: fails ~150 ms after RUNNING with `java.lang.IllegalStateException: flink-client
 *   fixture failure`, restart strategy none.
 * - `TwoJobsMain`: submits `flink-client-fixture-two-jobs-1` and `-2` (REST runs are detached: as
 *   on a real cluster the second job starts before the first ended). With a client-chosen `jobId`
 *   on `/jars/:id/run` the second `execute()` fails as a duplicate on 2.3 (the run answers 400), and
 *   gets the first job back on 1.20 (the run answers 200 and no second job starts), as on real
 *   clusters.
 * - `ThrowingMain`: throws `java.lang.IllegalArgumentException: flink-client fixture: main() threw
 *   before submitting a job`.
 * - `NoExecuteMain`: returns without submitting a job.
 */
export const fixturePrograms: readonly ProgramDefinition[] = Object.freeze([
  {
    entryClass: FIXTURE_JARS.streaming.entryClass,
    jarNames: [FIXTURE_JARS.streaming.jarName],
    program: (ctx: ProgramContext): SimulatedProgram => {
      const p = intArg(ctx, 'parallelism', ctx.parallelism);
      const vertices: SimulatedVertex[] = [
        { name: 'Source: counter-source', id: 'ea27fd291a97cca54a5118b66652a19f' },
        { name: 'keyed-counter', id: 'ed63c6d066f83fc9a893ba13a9fb615d', shipStrategy: 'HASH' },
        p === 1
          ? { name: 'reporter -> discard: Writer', id: 'b9bb1d1fa2a64f25059caf6565693ecf', parallelism: 1, description: 'reporter<br/>+- discard: Writer<br/>', shipStrategy: 'HASH' }
          : { name: 'reporter', id: 'b9bb1d1fa2a64f25059caf6565693ecf', parallelism: 1, shipStrategy: 'HASH' },
        ...(p === 1 ? [] : [{ name: 'discard: Writer', id: '298755e8e632b439cafe5a0c747de7e1', shipStrategy: 'REBALANCE' }]),
      ];
      return {
        steps: [
          {
            type: 'submit',
            wait: false,
            job: {
              name: ctx.arg('job-name') ?? FIXTURE_JARS.streaming.jobNames[0] ?? '',
              durationMs: 'unbounded',
              parallelism: p,
              checkpointing: { intervalMs: intArg(ctx, 'checkpoint-interval', 1000), stateSizeBytes: 9606 },
              vertices,
            },
          },
        ],
      };
    },
  },
  {
    entryClass: FIXTURE_JARS.bounded.entryClass,
    jarNames: [FIXTURE_JARS.bounded.jarName],
    program: (ctx: ProgramContext): SimulatedProgram => {
      const n = intArg(ctx, 'count', 1000);
      return {
        steps: [
          {
            type: 'submit',
            wait: false,
            job: {
              name: ctx.arg('job-name') ?? FIXTURE_JARS.bounded.jobNames[0] ?? '',
              durationMs: 170,
              parallelism: intArg(ctx, 'parallelism', ctx.parallelism),
              accumulators: {
                records: { type: 'IntCounter', value: n },
                sum: { type: 'LongCounter', value: (BigInt(n) * BigInt(n + 1)) / 2n },
              },
              vertices: [
                {
                  name: `${SEQUENCE_SOURCE} -> counting -> discard: Writer`,
                  id: '8e438e001276993a86ff80dcf02e0237',
                  description: `${SEQUENCE_SOURCE}<br/>+- counting<br/>   +- discard: Writer<br/>`,
                },
              ],
            },
          },
        ],
      };
    },
  },
  {
    entryClass: FIXTURE_JARS.failing.entryClass,
    jarNames: [FIXTURE_JARS.failing.jarName],
    program: (ctx: ProgramContext): SimulatedProgram => ({
      steps: [
        {
          type: 'submit',
          wait: false,
          job: {
            name: ctx.arg('job-name') ?? FIXTURE_JARS.failing.jobNames[0] ?? '',
            parallelism: intArg(ctx, 'parallelism', ctx.parallelism),
            fail: { afterMs: 150, exception: { className: 'java.lang.IllegalStateException', message: 'flink-client fixture failure' }, restarts: 0 },
            vertices: [
              {
                name: `${SEQUENCE_SOURCE} -> boom -> discard: Writer`,
                id: '8e438e001276993a86ff80dcf02e0237',
                description: `${SEQUENCE_SOURCE}<br/>+- boom<br/>   +- discard: Writer<br/>`,
              },
            ],
          },
        },
      ],
    }),
  },
  {
    entryClass: FIXTURE_JARS.twoJobs.entryClass,
    jarNames: [FIXTURE_JARS.twoJobs.jarName],
    program: (ctx: ProgramContext): SimulatedProgram => {
      const job = (name: string): SimulatedJobSpec => ({
        name,
        durationMs: 140,
        parallelism: intArg(ctx, 'parallelism', ctx.parallelism),
        vertices: [
          { name: `${SEQUENCE_SOURCE} -> discard: Writer`, id: '8e438e001276993a86ff80dcf02e0237', description: `${SEQUENCE_SOURCE}<br/>+- discard: Writer<br/>` },
        ],
      });
      const [first = '', second = ''] = FIXTURE_JARS.twoJobs.jobNames;
      return {
        // Detached execute() calls: both jobs are submitted by the time main() returns (a real
        // cluster took ~60 ms to submit each; the simulator submits instantly).
        steps: [
          { type: 'submit', wait: false, job: job(first) },
          { type: 'submit', wait: false, job: job(second) },
        ],
      };
    },
  },
  {
    entryClass: FIXTURE_JARS.throwing.entryClass,
    jarNames: [FIXTURE_JARS.throwing.jarName],
    program: {
      throwBefore: { className: 'java.lang.IllegalArgumentException', message: 'flink-client fixture: main() threw before submitting a job' },
    },
  },
  {
    entryClass: FIXTURE_JARS.noExecute.entryClass,
    jarNames: [FIXTURE_JARS.noExecute.jarName],
    program: { jobs: [] },
  },
]);
