#!/usr/bin/env node
// Compile the fixture Flink jobs in test/fixtures/jobs/src against a Flink home and package one
// jar per job (Main-Class set, so `entryClass` is optional on /jars/:id/run).
//
//   node scripts/build-fixtures.mjs [--flink-home DIR | --version 2.3.0] [--out DIR] [--quiet]
//
// Without --flink-home the home is provisioned (scripts/provision-flink.mjs). The default output
// dir is <repo>/.tmp/fixtures/<flink version>/. Builds are cached: the output dir holds a
// `.build.json` with a hash of the sources, the Flink version and the JDK; a repeated run with
// the same inputs returns at once. Prints the output dir as the last stdout line.
//
// One source set compiles against both Flink 1.20.x and 2.x: it only uses APIs present in both
// (Source API DataGeneratorSource / fromSequence, sink v2 DiscardingSink, RichFunction#open(OpenContext),
// Configuration.fromMap); the legacy SourceFunction/SinkFunction APIs are gone in 2.x.

import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const JOBS_SRC_DIR = join(REPO_ROOT, 'test', 'fixtures', 'jobs', 'src');
const PKG = 'flinkclient.fixtures';

/** Job key -> [jar file name, main class]. */
export const FIXTURE_JOBS = {
  streaming: ['streaming-counter.jar', `${PKG}.StreamingCounterJob`],
  bounded: ['bounded-accumulator.jar', `${PKG}.BoundedAccumulatorJob`],
  failing: ['failing.jar', `${PKG}.FailingJob`],
  twoJobs: ['two-jobs.jar', `${PKG}.TwoJobsMain`],
  throwing: ['throwing.jar', `${PKG}.ThrowingMain`],
  noExecute: ['no-execute.jar', `${PKG}.NoExecuteMain`],
};

export class BuildFixturesError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BuildFixturesError';
  }
}

async function listFiles(dir) {
  const out = [];
  for (const d of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out.sort();
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) {
    throw new BuildFixturesError(
      `cannot run ${cmd} (${r.error.code || r.error.message}): a JDK is needed (javac, jar), e.g. \`apt-get install -y openjdk-17-jdk-headless\``,
    );
  }
  if (r.status !== 0) {
    throw new BuildFixturesError(`${cmd} failed (exit ${r.status}):\n${(r.stderr || '') + (r.stdout || '')}`.trim());
  }
  return r;
}

function flinkVersionOf(flinkHome) {
  const libs = existsSync(join(flinkHome, 'lib')) ? spawnSync('ls', [join(flinkHome, 'lib')], { encoding: 'utf8' }).stdout : '';
  const m = /flink-dist-([^\s]+)\.jar/.exec(libs);
  if (!m) throw new BuildFixturesError(`${flinkHome} is not a Flink home (no lib/flink-dist-*.jar)`);
  return m[1];
}

/**
 * @param {{ flinkHome: string, outDir?: string, log?: (line: string) => void }} opts
 * @returns {Promise<{ outDir: string, version: string, jars: Record<keyof typeof FIXTURE_JOBS, string> }>}
 */
export async function buildFixtures({ flinkHome, outDir, log } = {}) {
  if (!flinkHome) throw new BuildFixturesError('buildFixtures needs flinkHome');
  const say = log ?? (() => {});
  flinkHome = resolve(flinkHome);
  const version = flinkVersionOf(flinkHome);
  outDir = resolve(outDir ?? join(REPO_ROOT, '.tmp', 'fixtures', version));
  const jars = Object.fromEntries(Object.entries(FIXTURE_JOBS).map(([k, [file]]) => [k, join(outDir, file)]));

  const sources = (await listFiles(JOBS_SRC_DIR)).filter((f) => f.endsWith('.java'));
  const hash = createHash('sha256');
  hash.update(`flink=${version}\n`);
  hash.update(`jobs=${JSON.stringify(FIXTURE_JOBS)}\n`);
  for (const f of sources) {
    hash.update(`${relative(JOBS_SRC_DIR, f)}\n`);
    hash.update(await readFile(f));
  }
  const key = hash.digest('hex');

  try {
    const prev = JSON.parse(await readFile(join(outDir, '.build.json'), 'utf8'));
    if (prev.key === key && Object.values(jars).every((j) => existsSync(j))) return { outDir, version, jars };
  } catch {
    // no previous build
  }

  say(`compiling ${sources.length} fixture sources against Flink ${version}`);
  await mkdir(dirname(outDir), { recursive: true });
  const tmp = `${outDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const classes = join(tmp, 'classes');
    await mkdir(classes, { recursive: true });
    // Java 11 bytecode runs on every JVM Flink 1.20 and 2.x support (Flink 2.x needs 11+).
    run('javac', ['--release', '11', '-nowarn', '-encoding', 'UTF-8', '-cp', join(flinkHome, 'lib', '*'), '-d', classes, ...sources]);
    for (const [file, mainClass] of Object.values(FIXTURE_JOBS)) {
      run('jar', ['--create', '--file', join(tmp, file), '--main-class', mainClass, '-C', classes, '.']);
    }
    await rm(classes, { recursive: true, force: true });
    await writeFile(
      join(tmp, '.build.json'),
      JSON.stringify({ key, version, builtAt: new Date().toISOString(), jobs: FIXTURE_JOBS }, null, 2) + '\n',
    );
    await rm(outDir, { recursive: true, force: true });
    await rename(tmp, outDir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  say(`fixture jars in ${outDir}: ${Object.values(FIXTURE_JOBS).map(([f]) => basename(f)).join(', ')}`);
  return { outDir, version, jars };
}

async function main() {
  const argv = process.argv.slice(2);
  let flinkHome;
  let version;
  let outDir;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--flink-home') flinkHome = argv[++i];
    else if (a === '--version') version = argv[++i];
    else if (a === '--out') outDir = argv[++i];
    else if (a === '--quiet' || a === '-q') quiet = true;
    else {
      process.stderr.write(`build-fixtures: unknown argument "${a}" (usage: build-fixtures.mjs [--flink-home DIR | --version X.Y.Z] [--out DIR] [--quiet])\n`);
      process.exit(2);
    }
  }
  const log = quiet ? undefined : (line) => process.stderr.write(`[build-fixtures] ${line}\n`);
  try {
    if (!flinkHome) {
      const { provisionFlink, ProvisionError } = await import('./provision-flink.mjs');
      try {
        ({ flinkHome } = await provisionFlink({ version, log }));
      } catch (e) {
        if (e instanceof ProvisionError) throw new BuildFixturesError(e.message);
        throw e;
      }
    }
    const res = await buildFixtures({ flinkHome, outDir, log });
    for (const [k, p] of Object.entries(res.jars)) log?.(`${k}: ${p}`);
    process.stdout.write(`${res.outDir}\n`);
  } catch (e) {
    if (e instanceof BuildFixturesError) {
      process.stderr.write(`build-fixtures: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
