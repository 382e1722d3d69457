/**
 * The flink-client demo: a stateful streaming job taken through its whole life on real Flink.
 *
 *   npm run demo                          # provisions Flink 2.3.0 and deploys a local cluster
 *   npm run demo -- --url http://host:8081   # the same steps against an existing cluster
 *   npm run demo -- --keep                   # keep the local cluster's directory (savepoints, logs)
 *   npm run demo -- --url … --savepoint-dir file:///data/sp   # where savepoints go, for a cluster without a default
 *
 * Steps: deploy (or connect) → upload the streaming fixture job → run it and watch its status →
 * savepoint → stop with a savepoint → resume from it → prove the restore from what the REST API
 * shows (the resumed job's checkpoint statistics name the stop savepoint, and its checkpoint ids
 * continue the savepoint's) → cancel → summary → shut the local cluster down.
 *
 * Everything the demo learns about the job it reads over REST, so `--url` works against a cluster
 * on another machine. It needs Flink locally only to build the demo jar: with `--url` a jar built
 * before (.tmp/fixtures/) is used as is; only without one is Flink provisioned (the first run
 * downloads about 330 MB into .flink/) and the jar compiled (JDK 17: javac, jar). Progress lines
 * are printed whether or not the output is a terminal.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFixtures, FIXTURE_JOBS } from '../scripts/build-fixtures.mjs';
import { DEFAULT_VERSION, provisionFlink } from '../scripts/provision-flink.mjs';
import { type ClusterClient, FlinkError, type JobClient, LocalClusterDescriptor, RestClusterDescriptor } from 'flink-client';

const args = process.argv.slice(2);
const urlIndex = args.indexOf('--url');
const url = urlIndex >= 0 ? args[urlIndex + 1] : undefined;
const keep = args.includes('--keep');
// A cluster without `state.savepoints.dir` needs a target: an absolute directory its JobManager can write.
const dirIndex = args.indexOf('--savepoint-dir');
const targetDirectory = dirIndex >= 0 ? args[dirIndex + 1] : undefined;
const tty = process.stderr.isTTY === true;
const timings: [string, number][] = [];

/** Runs one step, showing a live elapsed-time line while it runs (a progress line every 10 s when not a terminal). */
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  process.stderr.write(tty ? `  … ${name}` : `  … ${name}\n`);
  const ticker = tty
    ? setInterval(() => process.stderr.write(`\r  … ${name} (${elapsed()})`), 250)
    : setInterval(() => process.stderr.write(`  … ${name} still running (${elapsed()})\n`), 10_000);
  try {
    const value = await run();
    if (ticker) clearInterval(ticker);
    process.stderr.write(`${tty ? '\r\x1b[2K' : ''}  ✓ ${name} (${elapsed()})\n`);
    timings.push([name, Date.now() - started]);
    return value;
  } catch (err) {
    if (ticker) clearInterval(ticker);
    process.stderr.write(`${tty ? '\r\x1b[2K' : ''}  ✗ ${name} (${elapsed()})\n`);
    throw err;
  }
}

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const [STREAMING_JAR] = FIXTURE_JOBS.streaming;

/**
 * A demo jar built before, for Flink `version` first, else for any version (one source set
 * compiles against 1.20 and 2.x and runs on both), or undefined.
 */
function builtDemoJar(version: string | undefined): string | undefined {
  const dirs = [version, DEFAULT_VERSION, '1.20.5'].filter((v): v is string => v !== undefined).map((v) => join(REPO, '.tmp', 'fixtures', v));
  for (const dir of dirs) {
    const jar = join(dir, STREAMING_JAR);
    if (existsSync(jar) && existsSync(join(dir, '.build.json'))) return jar;
  }
  return undefined;
}

/** Provisions Flink (cached after the first run) and builds the demo jar against it. */
async function buildDemoJar(version: string): Promise<{ flinkHome: string; jar: string }> {
  const log = (line: string): void => void process.stderr.write(`      ${line}\n`);
  const { flinkHome } = await step(`provision Flink ${version} (cached after the first run)`, () => provisionFlink({ version, log }));
  const { jars } = await step('build the demo job', () => buildFixtures({ flinkHome, log }));
  return { flinkHome, jar: jars.streaming };
}

/** The job's checkpoint statistics once a completed checkpoint is listed, read over REST. */
async function completedCheckpoint(job: JobClient, timeoutMs = 120_000): Promise<Awaited<ReturnType<JobClient['checkpoints']>>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await job.checkpoints();
    if (stats.latest.completed) return stats;
    if (Date.now() > deadline) throw new Error(`job ${job.jobId} completed no checkpoint within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<void> {
  console.log(url ? `flink-client demo against ${url}` : 'flink-client demo on a local Flink cluster');
  let local: LocalClusterDescriptor | undefined;
  let cluster: ClusterClient;
  let jar: string;
  if (url) {
    cluster = await step(`connect to ${url}`, () => new RestClusterDescriptor({ url }).retrieve());
    const version = await cluster.flinkVersion().catch(() => undefined);
    jar = builtDemoJar(version) ?? (await buildDemoJar(version ?? DEFAULT_VERSION)).jar;
  } else {
    const built = await buildDemoJar(DEFAULT_VERSION);
    jar = built.jar;
    local = new LocalClusterDescriptor({ flinkHome: built.flinkHome, slots: 4, keepWorkDir: keep });
    cluster = await step('deploy a local cluster (JobManager + TaskManager)', () => (local as LocalClusterDescriptor).deploy());
  }
  let job: JobClient | undefined;
  let resumed: JobClient | undefined;
  try {
    console.log(`  Flink ${await cluster.flinkVersion()} at ${cluster.url}`);
    const { jarId } = await step('upload the streaming job', () => cluster.uploadJar(jar));

    job = await step('run it', () => cluster.runJar(jarId, { args: ['--rate', '50'], parallelism: 2 }));
    const running = job;
    await step('watch it reach RUNNING, all tasks running, and checkpoint', async () => {
      const seen: string[] = [];
      await running.waitFor((s) => {
        if (seen.at(-1) !== s) seen.push(s);
        return s === 'RUNNING';
      }, { timeoutMs: 120_000 });
      await running.ready({ timeoutMs: 120_000 });
      const stats = await completedCheckpoint(running);
      console.log(`\n    status: ${seen.join(' → ')}; checkpoint ${stats.latest.completed?.id} completed`);
    });

    const savepoint = await step('trigger a savepoint', async () => (await running.triggerSavepoint({ targetDirectory })).result({ timeoutMs: 120_000 }));
    const stopSavepoint = await step('stop with a savepoint', async () => (await running.stopWithSavepoint({ targetDirectory })).result({ timeoutMs: 120_000 }));
    await running.waitFor('FINISHED', { timeoutMs: 60_000 });
    const stopped = await running.checkpoints().catch(() => undefined);
    const stopId = stopped?.latest.savepoint?.external_path === stopSavepoint ? stopped.latest.savepoint.id : undefined;

    resumed = await step('resume from the stop savepoint', () => cluster.runJar(jarId, { args: ['--rate', '50'], parallelism: 2, savepointPath: stopSavepoint }));
    const again = resumed;
    // The proof of the restore is what the REST API shows: the resumed job's checkpoint statistics
    // name the savepoint it restored from, and its checkpoint ids continue the savepoint's.
    const restoredStats = await step('check over REST that the state was restored', async () => {
      const stats = await completedCheckpoint(again);
      const restored = stats.latest.restored;
      if (!restored || restored.external_path !== stopSavepoint || !restored.is_savepoint) {
        throw new Error(`the resumed job did not restore from ${stopSavepoint}: its checkpoint statistics show ${JSON.stringify(restored)}`);
      }
      const next = stats.latest.completed?.id ?? 0;
      if (next <= restored.id || (stopId !== undefined && restored.id !== stopId)) {
        throw new Error(`checkpoint ids do not continue the savepoint's: restored ${restored.id}, savepoint ${stopId ?? '?'}, next ${next}`);
      }
      return { restoredId: restored.id, next, restores: stats.counts.restored };
    });

    const r = resumed;
    await step('cancel it', async () => {
      await r.cancel();
      await r.waitFor('CANCELED', { timeoutMs: 60_000 });
    });
    await step('delete the jar', () => cluster.deleteJar(jarId));

    console.log('\nSummary');
    console.log(`  first job          ${running.jobId}  FINISHED after stop-with-savepoint`);
    console.log(`  savepoint          ${savepoint}`);
    console.log(`  stop savepoint     ${stopSavepoint}`);
    console.log(`  resumed job        ${r.jobId}  CANCELED`);
    console.log(`  restore (REST)     resumed job restored ${restoredStats.restores}× from the stop savepoint (checkpoint ${restoredStats.restoredId}); its checkpoints continue at ${restoredStats.next}`);
    if (local && !keep) console.log(`  (the local cluster's directory ${local.workDir} goes away at shutdown; --keep keeps it)`);
    console.log('  timings');
    for (const [name, ms] of timings) console.log(`    ${(ms / 1000).toFixed(1).padStart(6)} s  ${name}`);
  } finally {
    if (local) await step('shut the local cluster down', () => (local as LocalClusterDescriptor).shutdown());
    else await cluster.close();
  }
}

main().catch((err: unknown) => {
  console.error(`\ndemo failed: ${err instanceof FlinkError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
