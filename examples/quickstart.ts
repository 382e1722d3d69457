/**
 * The flink-client demo: a stateful streaming job taken through its whole life on real Flink.
 *
 *   npm run demo                          # provisions Flink 2.3.0 and deploys a local cluster
 *   npm run demo -- --url http://host:8081   # the same steps against an existing cluster
 *   npm run demo -- --keep                   # keep the local cluster's directory (savepoints, logs)
 *
 * Steps: deploy (or connect) → upload the streaming fixture job → run it and watch its status →
 * savepoint → stop with a savepoint → resume from it (the counter continues) → cancel → summary →
 * shut the local cluster down. Needs a JDK 17 (java, javac, jar) to provision Flink and build the
 * fixture job; the first run downloads Flink (about 330 MB) into .flink/.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFixtures } from '../scripts/build-fixtures.mjs';
import { provisionFlink } from '../scripts/provision-flink.mjs';
import { type ClusterClient, FlinkError, type JobClient, LocalClusterDescriptor, RestClusterDescriptor } from 'flink-client';

const args = process.argv.slice(2);
const urlIndex = args.indexOf('--url');
const url = urlIndex >= 0 ? args[urlIndex + 1] : undefined;
const keep = args.includes('--keep');
const tty = process.stderr.isTTY === true;
const timings: [string, number][] = [];

/** Runs one step, showing a live elapsed-time line while it runs. */
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  process.stderr.write(tty ? `  … ${name}` : `  … ${name}\n`);
  const ticker = tty ? setInterval(() => process.stderr.write(`\r  … ${name} (${elapsed()})`), 250) : undefined;
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

function readCount(dir: string): number | undefined {
  try {
    return Number(readFileSync(join(dir, 'count'), 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

async function waitForCount(dir: string, above: number, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = readCount(dir);
    if (count !== undefined && count > above) return count;
    if (Date.now() > deadline) throw new Error(`the job wrote no count above ${above} to ${dir} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main(): Promise<void> {
  console.log(url ? `flink-client demo against ${url}` : 'flink-client demo on a local Flink cluster');
  const { flinkHome } = await step('provision Flink 2.3.0 (cached after the first run)', () => provisionFlink({ version: '2.3.0' }));
  const { jars } = await step('build the fixture jobs', () => buildFixtures({ flinkHome }));

  let local: LocalClusterDescriptor | undefined;
  let cluster: ClusterClient;
  if (url) {
    cluster = await step(`connect to ${url}`, () => new RestClusterDescriptor({ url }).retrieve());
  } else {
    local = new LocalClusterDescriptor({ flinkHome, slots: 4, keepWorkDir: keep });
    cluster = await step('deploy a local cluster (JobManager + TaskManager)', () => (local as LocalClusterDescriptor).deploy());
  }
  const scratch = mkdtempSync(join(tmpdir(), 'flink-client-demo-'));
  let job: JobClient | undefined;
  let resumed: JobClient | undefined;
  try {
    console.log(`  Flink ${await cluster.flinkVersion()} at ${cluster.url}`);
    const { jarId } = await step('upload the streaming job', () => cluster.uploadJar(jars.streaming));

    const out = join(scratch, 'first');
    job = await step('run it', () => cluster.runJar(jarId, { args: ['--out', out, '--rate', '50'], parallelism: 2 }));
    const running = job;
    await step('watch it reach RUNNING and count', async () => {
      const seen: string[] = [];
      await running.waitFor((s) => {
        if (seen.at(-1) !== s) seen.push(s);
        return s === 'RUNNING';
      }, { timeoutMs: 60_000 });
      await waitForCount(out, 20);
      console.log(`\n    status: ${seen.join(' → ')}, count ${readCount(out)}`);
    });

    const savepoint = await step('trigger a savepoint', async () => (await running.triggerSavepoint()).result({ timeoutMs: 120_000 }));
    const stopSavepoint = await step('stop with a savepoint', async () => (await running.stopWithSavepoint()).result({ timeoutMs: 120_000 }));
    await running.waitFor('FINISHED', { timeoutMs: 60_000 });
    const countAtStop = readCount(out) ?? 0;

    const resumedOut = join(scratch, 'resumed');
    resumed = await step('resume from the stop savepoint', () =>
      cluster.runJar(jarId, { args: ['--out', resumedOut, '--rate', '50'], parallelism: 2, savepointPath: stopSavepoint }),
    );
    const first = await step('check that the state was restored', () => waitForCount(resumedOut, 0));
    if (first <= countAtStop) throw new Error(`the resumed job counted from ${first}, not on from ${countAtStop}`);

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
    console.log(`  counter            ${countAtStop} at stop → ${first} first value after restore (state restored)`);
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
