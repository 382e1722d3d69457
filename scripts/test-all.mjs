#!/usr/bin/env node
// Runs every suite behind the README's test command (`npm test`) and ends with one plain line,
// `N passed, N failed`, totalled over every suite, so CI can tell a run that executed tests from
// one that executed none. A step that is not a test suite (typecheck, build, docs) counts as one failed
// test when it fails. In the real-Flink suites a skipped test counts as failed: a suite that skips
// because Flink is missing must not look green. At the end, a checkout left dirty (`git status
// --porcelain` not empty) or `flink-local-*` work directories left in the temp dir each count as
// one more failure, with a line saying what was left. The suites run with TMPDIR set to a temp
// directory of this run's own, so what other processes on the machine keep in the temp dir
// (another checkout's clusters) is never counted as this run's.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.tmp', 'test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const only = process.argv.slice(2);
const steps = [
  { name: 'typecheck', run: ['npx', 'tsc', '--noEmit', '-p', '.'] },
  { name: 'import check (layers, no cycles)', run: ['npx', 'depcruise', 'src', '--config', '.dependency-cruiser.cjs'] },
  { name: 'unit, client and type tests', vitest: 'vitest.config.ts' },
  { name: 'build', run: ['npx', 'tsup'] },
  { name: 'docs (TypeDoc, a warning fails)', run: ['npx', 'typedoc'] },
  { name: 'package tests', vitest: 'vitest.package.config.ts' },
  { name: 'real-Flink integration tests', vitest: 'vitest.integration.config.ts', real: true },
].filter((s) => only.length === 0 || only.some((o) => s.name.includes(o)));

const runTmp = mkdtempSync(join(tmpdir(), 'flink-client-test-run-'));
const childEnv = { ...process.env, TMPDIR: runTmp, TMP: runTmp, TEMP: runTmp };

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: childEnv });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(127));
  });
}

/** The cluster work directories LocalClusterDescriptor makes in the (run's) temp dir. */
function flinkWorkDirs() {
  try {
    return readdirSync(runTmp).filter((name) => name.startsWith('flink-local-'));
  } catch {
    return [];
  }
}

/** `git status --porcelain` of the checkout, or undefined when it is not a git checkout. */
function gitStatus() {
  try {
    return execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

const statusBefore = gitStatus();
const workDirsBefore = new Set(flinkWorkDirs());
let passed = 0;
let failed = 0;
const summary = [];
const started = Date.now();
for (const step of steps) {
  const t0 = Date.now();
  console.log(`\n=== ${step.name} ===`);
  if (step.run) {
    const code = await run(step.run[0], step.run.slice(1));
    if (code !== 0) failed += 1;
    summary.push(`${step.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    continue;
  }
  const json = join(out, `${step.vitest.replace(/\W+/g, '-')}.json`);
  const code = await run('npx', ['vitest', 'run', '--config', step.vitest, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`]);
  if (!existsSync(json)) {
    failed += 1;
    summary.push(`${step.name}: FAILED before reporting (exit ${code})`);
    continue;
  }
  const report = JSON.parse(readFileSync(json, 'utf8'));
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  let p = report.numPassedTests ?? 0;
  let f = report.numFailedTests ?? 0;
  if (step.real) f += skipped;
  // A suite file that failed to load reports no tests; count it as a failure.
  const broken = (report.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length;
  f += broken;
  if (code !== 0 && f === 0) f = 1;
  if (step.real && p + f === 0) f = 1;
  passed += p;
  failed += f;
  summary.push(`${step.name}: ${p} passed, ${f} failed${skipped && !step.real ? `, ${skipped} skipped` : ''} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
// What the run left behind: checked after every suite, so any step that wrote into the checkout
// or kept a cluster's work directory is caught.
const status = gitStatus();
if (status === undefined) {
  summary.push('clean checkout: not checked (not a git checkout)');
} else {
  // A checkout that was dirty before the run (a developer's uncommitted work) is judged by what
  // the run added to it; on a clean clone (CI) that is any line at all.
  const before = new Set((statusBefore ?? '').split('\n').filter(Boolean));
  const added = status.split('\n').filter((l) => l && !before.has(l));
  if (added.length > 0) {
    failed += 1;
    summary.push(`clean checkout: FAILED, the run left files in the checkout (git status --porcelain):\n${added.map((l) => `      ${l}`).join('\n')}`);
  } else {
    summary.push(`clean checkout: ok (git status --porcelain ${before.size === 0 ? 'is empty' : `shows only the ${before.size} line(s) there before the run`})`);
  }
}
const leftDirs = flinkWorkDirs().filter((d) => !workDirsBefore.has(d));
if (leftDirs.length > 0) {
  failed += 1;
  summary.push(`temp dir: FAILED, ${leftDirs.length} flink-local-* work director${leftDirs.length === 1 ? 'y' : 'ies'} left in ${tmpdir()} (${workDirsBefore.size} before, ${workDirsBefore.size + leftDirs.length} after): ${leftDirs.slice(0, 5).join(', ')}${leftDirs.length > 5 ? ', ...' : ''}`);
} else {
  summary.push(`temp dir: ok (no flink-local-* work directory left: ${workDirsBefore.size} before, ${workDirsBefore.size} after)`);
}
rmSync(runTmp, { recursive: true, force: true });
console.log('\n=== summary ===');
for (const line of summary) console.log(`  ${line}`);
console.log(`  total time ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
