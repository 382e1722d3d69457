#!/usr/bin/env node
// Runs the unit and client suites several times in a row while the machine is loaded, and reports
// every test that failed in any round, with how often. A test that fails under load is a failing
// test (see the developers' guide): this is how to show there are none.
//
//   node scripts/flake-check.mjs                       10 rounds of test/unit and test/client, 2 busy processes
//   node scripts/flake-check.mjs --rounds 3 --busy 1   fewer rounds, less load
//   node scripts/flake-check.mjs test/simulator        other suites (any vitest file filters)
//
// The busy processes are plain CPU spinners this script starts and always stops (also on Ctrl-C).
// Results of each round are kept as vitest JSON reports in .tmp/flake-check/. The last line is
// `N passed, N failed`, counted over every test run of every round; the exit code is 1 when
// anything failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '10' },
    busy: { type: 'string', default: '2' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('usage: node scripts/flake-check.mjs [--rounds N] [--busy N] [vitest file filters...]');
  process.exit(0);
}
const rounds = Number(values.rounds);
const busyCount = Number(values.busy);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
if (!Number.isInteger(busyCount) || busyCount < 0) throw new Error(`--busy must be a non-negative integer, got ${values.busy}`);
const filters = positionals.length > 0 ? positionals : ['test/unit', 'test/client'];

const out = join(root, '.tmp', 'flake-check');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// The load: busy children that spin a core each until this script stops them.
const busy = [];
const stopBusy = () => {
  for (const child of busy.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
};
for (let i = 0; i < busyCount; i++) {
  busy.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}
let current;
process.on('exit', stopBusy);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    current?.kill(signal);
    stopBusy();
    process.exit(130);
  });
}

function vitest(json) {
  return new Promise((resolve) => {
    const args = ['vitest', 'run', ...filters, '--reporter=dot', '--reporter=json', `--outputFile.json=${json}`];
    current = spawn('npx', args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
    current.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    current.on('error', () => resolve(127));
  });
}

/** test name → { failures, firstError } over all rounds. */
const failures = new Map();
let passed = 0;
let failed = 0;
const roundLines = [];
const started = Date.now();
console.log(`flake check: ${rounds} round(s) of ${filters.join(' ')} with ${busyCount} busy process(es)`);
for (let round = 1; round <= rounds; round++) {
  const t0 = Date.now();
  const json = join(out, `round-${round}.json`);
  console.log(`\n=== round ${round}/${rounds} ===`);
  const code = await vitest(json);
  if (!existsSync(json)) {
    failed += 1;
    const key = '(the run itself: no report)';
    const entry = failures.get(key) ?? { failures: 0, firstError: `vitest exited ${code} before reporting` };
    entry.failures += 1;
    failures.set(key, entry);
    roundLines.push(`round ${round}: FAILED before reporting (exit ${code})`);
    continue;
  }
  const report = JSON.parse(readFileSync(json, 'utf8'));
  let roundFailed = 0;
  for (const file of report.testResults ?? []) {
    const name = relative(root, file.name);
    const tests = file.assertionResults ?? [];
    if (file.status === 'failed' && tests.length === 0) {
      roundFailed += 1;
      const key = `${name} (did not load)`;
      const entry = failures.get(key) ?? { failures: 0, firstError: String(file.message ?? '').split('\n')[0] };
      entry.failures += 1;
      failures.set(key, entry);
    }
    for (const t of tests) {
      if (t.status === 'passed') passed += 1;
      if (t.status !== 'failed') continue;
      roundFailed += 1;
      const key = `${name} > ${t.fullName ?? t.title}`;
      const entry = failures.get(key) ?? { failures: 0, firstError: String(t.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 200) };
      entry.failures += 1;
      failures.set(key, entry);
    }
  }
  failed += roundFailed;
  roundLines.push(`round ${round}: ${report.numPassedTests ?? 0} passed, ${roundFailed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
stopBusy();

console.log('\n=== flake check summary ===');
for (const line of roundLines) console.log(`  ${line}`);
if (failures.size === 0) {
  console.log(`  no test failed in ${rounds} round(s) under the load of ${busyCount} busy process(es)`);
} else {
  console.log('  tests that failed (failures/rounds, first error):');
  for (const [name, entry] of [...failures].sort((a, b) => b[1].failures - a[1].failures)) {
    console.log(`    ${entry.failures}/${rounds}  ${name}\n           ${entry.firstError}`);
  }
}
console.log(`  total time ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
