#!/usr/bin/env node
// Start a real Flink session cluster, drive the REST endpoints the SDK covers with fetch, and save
// the real responses as fixtures:
//
//   node --import tsx scripts/record-fixtures.mjs [--version 2.3.0 | --all] [--out DIR] [--keep] [--skip-adaptive] [--only rest]
//
// Output (default test/fixtures/recorded/<version>/):
//   <name>.json      one exchange: { request: { method, path, body? }, status, headers: { content-type }, body }
//   index.json       every recording: name, method, path, status
//   scenarios.json   observations: state sequences (with ms since submit), timings, idempotency checks
//   cluster.json     how the cluster was started, start-up timings, pids, memory, shutdown
//
// Node built-ins and global fetch, plus the SDK's local Flink configuration
// (src/cluster/local-flink-config.ts, loaded through tsx). Provisions Flink and builds the fixture jobs
// itself (scripts/provision-flink.mjs, scripts/build-fixtures.mjs). Every cluster is started in a
// private work dir under <repo>/.tmp/ (its own FLINK_CONF_DIR, FLINK_LOG_DIR, FLINK_PID_DIR,
// savepoint and checkpoint dirs), bound to 127.0.0.1 on free ports, and stopped with SIGTERM.
// Ids (job ids, jar ids, trigger ids, paths) differ on every run; compare shapes, not values.

import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_VERSIONS, DEFAULT_VERSION, provisionFlink } from './provision-flink.mjs';
import { buildFixtures } from './build-fixtures.mjs';
// The SDK's own local-cluster configuration (one definition for both): TypeScript, hence tsx.
import { dynamicProperties, LOCAL_WORK_SUBDIRS, localFlinkConfiguration } from '../src/cluster/local-flink-config.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const hex32 = () => randomBytes(16).toString('hex');
const log = (line) => process.stderr.write(`[record] ${line}\n`);

const TERMINAL_JOB = new Set(['FINISHED', 'FAILED', 'CANCELED', 'SUSPENDED']);
const TERMINAL_APP = new Set(['FINISHED', 'FAILED', 'CANCELED']);

function versionAtLeast(v, want) {
  const a = v.split('.').map(Number);
  const b = want.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function rssKiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}
/** Processes whose command line mentions `needle` (used to find strays after shutdown). */
function processesMentioning(needle) {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    const c = cmdline(d);
    if (c && c.join(' ').includes(needle)) out.push({ pid: Number(d), cmd: c.slice(0, 3).join(' ') });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cluster

/**
 * Start a standalone session cluster (one JobManager, one TaskManager) with `start-foreground`.
 * Configuration: the home's conf/ is copied to <workDir>/conf (FLINK_CONF_DIR: config.yaml keeps
 * the env.java.opts.all module flags Java 17 needs, log4j-console.properties is read from there),
 * and every test setting is passed as `-D key=value` dynamic properties to both processes.
 */
async function startCluster({ flinkHome, version, workDir, settings = {}, watch503 = true }) {
  await mkdir(workDir, { recursive: true });
  const confDir = join(workDir, 'conf');
  await rm(confDir, { recursive: true, force: true });
  await cp(join(flinkHome, 'conf'), confDir, { recursive: true });
  for (const d of ['log', 'out', ...LOCAL_WORK_SUBDIRS]) await mkdir(join(workDir, d), { recursive: true });
  const restPort = await freePort();
  const rpcPort = await freePort();
  const conf = { ...localFlinkConfiguration({ workDir, restPort, rpcPort, slots: 2 }), ...settings };
  for (const [k, v] of Object.entries(conf)) if (v === null) delete conf[k];
  const dArgs = dynamicProperties(conf);
  const env = { ...process.env, FLINK_CONF_DIR: confDir, FLINK_LOG_DIR: join(workDir, 'log'), FLINK_PID_DIR: workDir };
  const base = `http://127.0.0.1:${restPort}`;

  const t0 = Date.now();
  const spawnOne = (script, name) => {
    const fd = openSync(join(workDir, `${name}.out`), 'w');
    const child = spawn(join(flinkHome, 'bin', script), ['start-foreground', ...dArgs], {
      env,
      stdio: ['ignore', fd, fd],
      detached: false,
    });
    child.exitInfo = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal, at: Date.now() })));
    return child;
  };
  const jm = spawnOne('jobmanager.sh', 'jobmanager');
  const tm = spawnOne('taskmanager.sh', 'taskmanager');

  const timings = { firstAnswerMs: null, firstAnswerStatus: null, first200Ms: null, slotsRegisteredMs: null };
  let first503 = null;
  for (;;) {
    if (Date.now() - t0 > 120_000) throw new Error(`cluster did not come up in 120 s; see ${workDir}/*.out and log/`);
    let res;
    try {
      res = await fetch(`${base}/v1/overview`, { signal: AbortSignal.timeout(2000) });
    } catch {
      // Poll fast until the REST server answers: the 503 "leader election" window is short.
      await sleep(5);
      continue;
    }
    const now = Date.now() - t0;
    const text = await res.text();
    if (timings.firstAnswerMs === null) {
      timings.firstAnswerMs = now;
      timings.firstAnswerStatus = res.status;
    }
    if (res.status === 503 && !first503 && watch503) {
      first503 = { status: 503, headers: Object.fromEntries(res.headers), body: parseBody(text), atMs: now };
    }
    if (res.status !== 200) {
      timings.non200Answers = (timings.non200Answers ?? 0) + 1;
      await sleep(5);
      continue;
    }
    if (res.status === 200) {
      timings.first200Ms ??= now;
      const body = JSON.parse(text);
      if (body['slots-total'] > 0) {
        timings.slotsRegisteredMs = now;
        break;
      }
    }
    await sleep(20);
  }
  const pids = { jobmanager: jm.pid, taskmanager: tm.pid };
  const procs = {
    jobmanager: { pid: jm.pid, isJvm: (cmdline(jm.pid)?.[0] ?? '').endsWith('java'), argv0: cmdline(jm.pid)?.[0], rssKiB: rssKiB(jm.pid) },
    taskmanager: { pid: tm.pid, isJvm: (cmdline(tm.pid)?.[0] ?? '').endsWith('java'), argv0: cmdline(tm.pid)?.[0], rssKiB: rssKiB(tm.pid) },
  };
  log(`Flink ${version} up at ${base} (REST ${timings.firstAnswerMs} ms, slots ${timings.slotsRegisteredMs} ms)`);
  return { base, version, workDir, conf, dArgs, env: { FLINK_CONF_DIR: confDir, FLINK_LOG_DIR: env.FLINK_LOG_DIR, FLINK_PID_DIR: workDir }, jm, tm, pids, procs, timings, first503, t0 };
}

async function stopCluster(cluster) {
  const result = { rssBeforeStopKiB: { jobmanager: rssKiB(cluster.jm.pid), taskmanager: rssKiB(cluster.tm.pid) } };
  for (const [name, child] of [['taskmanager', cluster.tm], ['jobmanager', cluster.jm]]) {
    const t = Date.now();
    if (child.exitCode !== null || child.signalCode !== null) {
      result[name] = { alreadyExited: true, code: child.exitCode, signal: child.signalCode };
      continue;
    }
    child.kill('SIGTERM');
    const info = await Promise.race([child.exitInfo, sleep(30_000).then(() => null)]);
    if (!info) {
      child.kill('SIGKILL');
      const k = await child.exitInfo;
      result[name] = { sigterm: 'no exit within 30 s, SIGKILLed', code: k.code, signal: k.signal };
    } else {
      result[name] = { stopMs: info.at - t, code: info.code, signal: info.signal };
    }
  }
  await sleep(300);
  result.strayProcesses = processesMentioning(cluster.workDir);
  for (const p of result.strayProcesses) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// HTTP + recording

function parseBody(text) {
  if (text === '') return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

class Recorder {
  constructor(base, outDir) {
    this.base = base;
    this.outDir = outDir;
    this.index = [];
    this.names = new Set();
  }

  async call(method, path, { body, form, headers = {}, timeoutMs = 60_000 } = {}) {
    const init = { method, headers: { ...headers }, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' };
    if (form) init.body = form;
    else if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      init.headers['content-type'] ??= 'application/json';
    }
    const t = Date.now();
    const res = await fetch(this.base + path, init);
    const text = await res.text();
    return { status: res.status, headers: Object.fromEntries(res.headers), body: parseBody(text), ms: Date.now() - t };
  }

  /** Perform the request and save it as <name>.json. */
  async rec(name, method, path, opts = {}) {
    if (this.names.has(name)) throw new Error(`duplicate recording name ${name}`);
    this.names.add(name);
    const r = await this.call(method, path, opts);
    const request = { method, path };
    if (opts.form) request.body = opts.formDescription ?? '<multipart/form-data>';
    else if (opts.body !== undefined) request.body = opts.body;
    const doc = { request, status: r.status, headers: { 'content-type': r.headers['content-type'] ?? null }, body: r.body };
    if (r.headers.location) doc.headers.location = r.headers.location;
    await writeFile(join(this.outDir, `${name}.json`), JSON.stringify(doc, null, 2) + '\n');
    this.index.push({ name, method, path, status: r.status });
    log(`${String(r.status).padEnd(3)} ${method} ${path} -> ${name}.json`);
    return r;
  }

  async get(path) {
    return this.call('GET', path);
  }
}

async function waitFor(what, fn, { timeoutMs = 60_000, intervalMs = 100 } = {}) {
  const t = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Poll a status getter fast; return the de-duplicated sequence [{ state, atMs }] until terminal/predicate. */
async function traceStates(getState, { start = Date.now(), until, intervalMs = 25, timeoutMs = 90_000 }) {
  const seq = [];
  for (;;) {
    let st;
    try {
      st = await getState();
    } catch (e) {
      st = `<error ${e.message}>`;
    }
    const at = Date.now() - start;
    if (!seq.length || seq[seq.length - 1].state !== st) seq.push({ state: st, atMs: at });
    if (until(st)) return seq;
    if (Date.now() - start > timeoutMs) {
      seq.push({ state: '<timeout>', atMs: at });
      return seq;
    }
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

async function recordVersion({ version, outDir, keep, skipAdaptive }) {
  const { flinkHome } = await provisionFlink({ version, log });
  const { jars } = await buildFixtures({ flinkHome, log });
  const hasApps = versionAtLeast(version, '2.3.0');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const workRoot = join(REPO_ROOT, '.tmp', `record-${version}-${process.pid}`);
  await rm(workRoot, { recursive: true, force: true });
  const scenarios = {};
  const clusterInfo = { version, flinkHome, runs: [] };
  const note = (key, value) => {
    scenarios[key] = value;
  };

  // ---------------- main session cluster (default scheduler) ----------------
  const cluster = await startCluster({ flinkHome, version, workDir: join(workRoot, 'session') });
  const r = new Recorder(cluster.base, outDir);
  let stopInfo;
  try {
    if (cluster.first503) {
      await writeFile(
        join(outDir, 'startup-503-leader-election.json'),
        JSON.stringify(
          { request: { method: 'GET', path: '/v1/overview' }, status: 503, headers: { 'content-type': cluster.first503.headers['content-type'] ?? null }, body: cluster.first503.body, allHeaders: cluster.first503.headers, atMsAfterSpawn: cluster.first503.atMs },
          null,
          2,
        ) + '\n',
      );
      r.index.push({ name: 'startup-503-leader-election', method: 'GET', path: '/v1/overview', status: 503 });
    }
    await runSessionScenarios({ r, cluster, jars, version, hasApps, note, workDir: cluster.workDir });
  } catch (e) {
    note('ERROR', String(e.stack || e));
    log(`ERROR: ${e.stack || e}`);
  } finally {
    stopInfo = await stopCluster(cluster);
    clusterInfo.runs.push(describeRun('session (default scheduler)', cluster, stopInfo));
  }

  // ---------------- adaptive scheduler cluster, no default savepoint dir ----------------
  if (!skipAdaptive) {
    const c2 = await startCluster({
      flinkHome,
      version,
      workDir: join(workRoot, 'adaptive'),
      settings: { 'jobmanager.scheduler': 'adaptive', 'execution.checkpointing.savepoint-dir': null },
      watch503: false,
    });
    const r2 = new Recorder(c2.base, outDir);
    r2.names = r.names;
    r2.index = r.index;
    try {
      await runAdaptiveScenarios({ r: r2, cluster: c2, jars, version, hasApps, note });
    } catch (e) {
      note('ERROR_adaptive', String(e.stack || e));
      log(`ERROR (adaptive): ${e.stack || e}`);
    } finally {
      const s2 = await stopCluster(c2);
      clusterInfo.runs.push(describeRun('session (jobmanager.scheduler: adaptive, no savepoint dir)', c2, s2));
    }
  }

  r.index.sort((a, b) => a.name.localeCompare(b.name));
  await writeFile(join(outDir, 'index.json'), JSON.stringify(r.index, null, 2) + '\n');
  await writeFile(join(outDir, 'scenarios.json'), JSON.stringify(scenarios, null, 2) + '\n');
  await writeFile(join(outDir, 'cluster.json'), JSON.stringify(clusterInfo, null, 2) + '\n');
  if (!keep) await rm(workRoot, { recursive: true, force: true });
  else log(`kept work dir ${workRoot}`);
  return { outDir, errors: Object.keys(scenarios).filter((k) => k.startsWith('ERROR')) };
}

function describeRun(label, c, stop) {
  return {
    label,
    command: {
      env: c.env,
      jobmanager: `bin/jobmanager.sh start-foreground ${c.dArgs.join(' ')}`,
      taskmanager: `bin/taskmanager.sh start-foreground ${c.dArgs.join(' ')}`,
    },
    restUrl: c.base,
    startup: c.timings,
    processes: c.procs,
    shutdown: stop,
  };
}

async function upload(r, name, jarPath) {
  const buf = await readFile(jarPath);
  const form = new FormData();
  form.append('jarfile', new Blob([buf], { type: 'application/x-java-archive' }), basename(jarPath));
  const res = await r.rec(name, 'POST', '/v1/jars/upload', { form, formDescription: `<multipart/form-data: jarfile=${basename(jarPath)}>` });
  if (res.status !== 200) throw new Error(`upload of ${jarPath} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return basename(res.body.filename);
}

const jobState = (r, id) => async () => {
  const res = await r.get(`/v1/jobs/${id}/status`);
  if (res.status === 200 && res.body?.status) return res.body.status;
  const d = await r.get(`/v1/jobs/${id}`);
  return d.status === 200 ? d.body.state : `HTTP ${d.status}`;
};

async function waitJob(r, id, pred, timeoutMs = 90_000) {
  return waitFor(`job ${id}`, async () => {
    const res = await r.get(`/v1/jobs/${id}`);
    return res.status === 200 && pred(res.body) ? res.body : null;
  }, { timeoutMs, intervalMs: 200 });
}

async function allRunning(r, id) {
  return waitJob(r, id, (b) => b.state === 'RUNNING' && b.vertices.every((v) => v.status === 'RUNNING'));
}

async function pollAsync(r, path, timeoutMs = 60_000) {
  return waitFor(path, async () => {
    const res = await r.get(path);
    return res.status !== 200 || res.body?.status?.id !== 'IN_PROGRESS' ? res : null;
  }, { timeoutMs, intervalMs: 50 });
}

async function readCount(dir) {
  try {
    return Number((await readFile(join(dir, 'count'), 'utf8')).trim());
  } catch {
    return null;
  }
}

async function runSessionScenarios({ r, cluster, jars, version, hasApps, note, workDir }) {
  const unknownId = hex32();

  // --- cluster-level endpoints
  await r.rec('config', 'GET', '/v1/config');
  await r.rec('config-unversioned', 'GET', '/config');
  await r.rec('overview', 'GET', '/v1/overview');
  await r.rec('jobs-empty', 'GET', '/v1/jobs');
  await r.rec('jobs-overview-empty', 'GET', '/v1/jobs/overview');
  await r.rec('taskmanagers', 'GET', '/v1/taskmanagers');
  await r.rec('jobmanager-config', 'GET', '/v1/jobmanager/config');
  await r.rec('jars-empty', 'GET', '/v1/jars');
  await r.rec('unknown-route', 'GET', '/v1/no-such-route');
  await r.rec('unknown-route-v2-prefix', 'GET', '/v2/config');
  await r.rec('job-unknown', 'GET', `/v1/jobs/${unknownId}`);
  await r.rec('job-malformed-id', 'GET', '/v1/jobs/not-a-job-id');
  await r.rec('job-unknown-execution-result', 'GET', `/v1/jobs/${unknownId}/execution-result`);
  await r.rec('job-unknown-cancel', 'PATCH', `/v1/jobs/${unknownId}?mode=cancel`);
  await r.rec('job-unknown-savepoint-trigger', 'POST', `/v1/jobs/${unknownId}/savepoints`, { body: {} });
  const hdr = await r.call('GET', '/v1/config');
  const hdr404 = await r.call('GET', '/v1/no-such-route');
  const opts = await r.call('OPTIONS', '/v1/jobs', { headers: { origin: 'http://example.test', 'access-control-request-method': 'PATCH' } });
  note('responseHeaders', { 'GET /v1/config (200)': hdr.headers, 'GET /v1/no-such-route (404)': hdr404.headers, 'OPTIONS /v1/jobs (CORS preflight)': { status: opts.status, headers: opts.headers } });

  // --- jars
  const jarIds = {};
  for (const key of Object.keys(jars)) jarIds[key] = await upload(r, `jars-upload-${key}`, jars[key]);
  {
    const form = new FormData();
    form.append('jarfile', new Blob([Buffer.from('not a jar')], { type: 'text/plain' }), 'notes.txt');
    await r.rec('jars-upload-not-a-jar-name', 'POST', '/v1/jars/upload', { form, formDescription: '<multipart/form-data: jarfile=notes.txt>' });
    await r.rec('jars-upload-no-file', 'POST', '/v1/jars/upload', { form: new FormData(), formDescription: '<multipart/form-data: no parts>' });
  }
  await r.rec('jars-list', 'GET', '/v1/jars');
  await r.rec('jars-plan-post', 'POST', `/v1/jars/${jarIds.bounded}/plan`, { body: { parallelism: 2 } });
  await r.rec('jars-plan-get', 'GET', `/v1/jars/${jarIds.bounded}/plan?parallelism=2`);
  await r.rec('jars-plan-throwing', 'POST', `/v1/jars/${jarIds.throwing}/plan`, { body: {} });
  await r.rec('jars-plan-unknown-jar', 'POST', `/v1/jars/${hex32()}_nope.jar/plan`, { body: {} });

  // --- streaming job via /jars/:id/run with a client-chosen job id
  const outDir1 = join(workDir, 'out', 'run1');
  const streamingId = hex32();
  const runBody = { jobId: streamingId, parallelism: 2, programArgsList: ['--out', outDir1, '--rate', '20'] };
  let t = Date.now();
  const run1 = await r.rec('jars-run-streaming', 'POST', `/v1/jars/${jarIds.streaming}/run`, { body: runBody });
  note('jarsRunStreaming', { requestMs: Date.now() - t, response: run1.body });
  const runSeq = traceStates(jobState(r, streamingId), { start: t, until: (s) => s === 'RUNNING' || TERMINAL_JOB.has(s) });
  await r.rec('jars-run-duplicate-job-id', 'POST', `/v1/jars/${jarIds.streaming}/run`, { body: runBody });
  note('streamingJobStatesAfterRun', await runSeq);
  await r.rec('job-status-created-or-running', 'GET', `/v1/jobs/${streamingId}/status`);
  await allRunning(r, streamingId);
  note('streamingAllTasksRunningMs', Date.now() - t);
  await r.rec('job-running', 'GET', `/v1/jobs/${streamingId}`);
  await r.rec('job-status-running', 'GET', `/v1/jobs/${streamingId}/status`);
  await r.rec('job-execution-result-in-progress', 'GET', `/v1/jobs/${streamingId}/execution-result`);
  await r.rec('jobs-overview-running', 'GET', `/v1/jobs/overview`);
  await r.rec('jobs-running', 'GET', `/v1/jobs`);
  await r.rec('overview-with-running-job', 'GET', `/v1/overview`);
  await r.rec('job-config', 'GET', `/v1/jobs/${streamingId}/config`);
  await r.rec('job-plan', 'GET', `/v1/jobs/${streamingId}/plan`);
  await r.rec('job-checkpoints-config', 'GET', `/v1/jobs/${streamingId}/checkpoints/config`);
  await r.rec('job-accumulators-running', 'GET', `/v1/jobs/${streamingId}/accumulators`);
  await r.rec('job-exceptions-none', 'GET', `/v1/jobs/${streamingId}/exceptions`);
  await waitFor('a completed checkpoint', async () => (await r.get(`/v1/jobs/${streamingId}/checkpoints`)).body?.counts?.completed > 0, { timeoutMs: 30_000, intervalMs: 250 });
  await r.rec('job-checkpoints', 'GET', `/v1/jobs/${streamingId}/checkpoints`);
  await r.rec('job-resource-requirements', 'GET', `/v1/jobs/${streamingId}/resource-requirements`);
  const vertexIds = (await r.get(`/v1/jobs/${streamingId}`)).body.vertices.map((v) => v.id);
  const lowered = Object.fromEntries(vertexIds.map((k) => [k, { parallelism: { lowerBound: 1, upperBound: 1 } }]));
  await r.rec('job-resource-requirements-put-default-scheduler', 'PUT', `/v1/jobs/${streamingId}/resource-requirements`, { body: lowered });
  await r.rec('job-rescaling-patch', 'PATCH', `/v1/jobs/${streamingId}/rescaling?parallelism=1`);
  await r.rec('job-patch-mode-stop', 'PATCH', `/v1/jobs/${streamingId}?mode=stop`);
  if (hasApps) {
    await r.rec('application-of-jars-run-job', 'GET', `/v1/applications/${streamingId}`);
  }

  // --- savepoints
  t = Date.now();
  const sp1 = await r.rec('savepoint-trigger-default-dir', 'POST', `/v1/jobs/${streamingId}/savepoints`, { body: {} });
  const sp1Path = `/v1/jobs/${streamingId}/savepoints/${sp1.body['request-id']}`;
  await r.rec('savepoint-status-in-progress', 'GET', sp1Path);
  const sp1Done = await pollAsync(r, sp1Path);
  note('savepointDefaultDirMs', Date.now() - t);
  await r.rec('savepoint-status-completed', 'GET', sp1Path);
  const spTarget = join(workDir, 'sp-explicit');
  const sp2 = await r.rec('savepoint-trigger-target-dir', 'POST', `/v1/jobs/${streamingId}/savepoints`, {
    body: { 'target-directory': `file://${spTarget}`, 'cancel-job': false, formatType: 'CANONICAL' },
  });
  await pollAsync(r, `/v1/jobs/${streamingId}/savepoints/${sp2.body['request-id']}`);
  await r.rec('savepoint-status-completed-target-dir', 'GET', `/v1/jobs/${streamingId}/savepoints/${sp2.body['request-id']}`);
  // idempotency with a client-chosen triggerId
  const trig = hex32();
  const idemDir = join(workDir, 'sp-idempotent');
  const idemBody = { 'target-directory': `file://${idemDir}`, triggerId: trig };
  const i1 = await r.rec('savepoint-trigger-with-trigger-id', 'POST', `/v1/jobs/${streamingId}/savepoints`, { body: idemBody });
  const i2 = await r.rec('savepoint-trigger-with-trigger-id-repeated', 'POST', `/v1/jobs/${streamingId}/savepoints`, { body: idemBody });
  await pollAsync(r, `/v1/jobs/${streamingId}/savepoints/${trig}`);
  const i3 = await r.rec('savepoint-trigger-with-trigger-id-after-completion', 'POST', `/v1/jobs/${streamingId}/savepoints`, { body: idemBody });
  await sleep(1500);
  const idemDirs = existsSync(idemDir) ? await readdir(idemDir) : [];
  const otherBodyDup = await r.call('POST', `/v1/jobs/${streamingId}/savepoints`, { body: { triggerId: trig } });
  note('savepointIdempotency', {
    triggerId: trig,
    firstResponse: { status: i1.status, body: i1.body },
    repeatedWhileInProgress: { status: i2.status, body: i2.body },
    repeatedAfterCompletion: { status: i3.status, body: i3.body },
    sameTriggerIdDifferentBody: { status: otherBodyDup.status, body: otherBodyDup.body },
    savepointDirsCreated: idemDirs,
  });
  await r.rec('savepoint-status-after-trigger-id', 'GET', `/v1/jobs/${streamingId}/savepoints/${trig}`);
  // failing savepoint: target directory below a regular file
  const badTarget = await r.rec('savepoint-trigger-bad-target', 'POST', `/v1/jobs/${streamingId}/savepoints`, { body: { 'target-directory': 'file:///dev/null/flink-client-savepoints' } });
  if (badTarget.status === 202) {
    await pollAsync(r, `/v1/jobs/${streamingId}/savepoints/${badTarget.body['request-id']}`);
    await r.rec('savepoint-status-failed', 'GET', `/v1/jobs/${streamingId}/savepoints/${badTarget.body['request-id']}`);
  }
  await r.rec('savepoint-trigger-bad-format-type', 'POST', `/v1/jobs/${streamingId}/savepoints`, { body: { formatType: 'NOPE' } });
  await r.rec('savepoint-trigger-malformed-json', 'POST', `/v1/jobs/${streamingId}/savepoints`, { body: '{not json' });
  await r.rec('savepoint-status-unknown-trigger', 'GET', `/v1/jobs/${streamingId}/savepoints/${hex32()}`);
  await r.rec('savepoint-status-malformed-trigger', 'GET', `/v1/jobs/${streamingId}/savepoints/xyz`);

  // --- checkpoints (manual trigger)
  const cp1 = await r.rec('checkpoint-trigger', 'POST', `/v1/jobs/${streamingId}/checkpoints`, { body: {} });
  if (cp1.status === 202) {
    const cpPath = `/v1/jobs/${streamingId}/checkpoints/${cp1.body['request-id']}`;
    await r.rec('checkpoint-status-in-progress', 'GET', cpPath);
    await pollAsync(r, cpPath);
    await r.rec('checkpoint-status-completed', 'GET', cpPath);
    const cpTrig = hex32();
    const cf1 = await r.rec('checkpoint-trigger-full-with-trigger-id', 'POST', `/v1/jobs/${streamingId}/checkpoints`, { body: { checkpointType: 'FULL', triggerId: cpTrig } });
    const cf2 = await r.call('POST', `/v1/jobs/${streamingId}/checkpoints`, { body: { checkpointType: 'FULL', triggerId: cpTrig } });
    await pollAsync(r, `/v1/jobs/${streamingId}/checkpoints/${cpTrig}`);
    note('checkpointIdempotency', { first: cf1.body, repeated: { status: cf2.status, body: cf2.body } });
  }
  await r.rec('checkpoint-status-unknown-trigger', 'GET', `/v1/jobs/${streamingId}/checkpoints/${hex32()}`);
  await r.rec('checkpoint-trigger-bad-type', 'POST', `/v1/jobs/${streamingId}/checkpoints`, { body: { checkpointType: 'NOPE' } });

  // --- savepoint disposal
  const spLocation = sp1Done.body?.operation?.location;
  if (spLocation) {
    const d1 = await r.rec('savepoint-disposal-trigger', 'POST', '/v1/savepoint-disposal', { body: { 'savepoint-path': spLocation } });
    const dPath = `/v1/savepoint-disposal/${d1.body['request-id']}`;
    await r.rec('savepoint-disposal-status-first-poll', 'GET', dPath);
    await pollAsync(r, dPath);
    await r.rec('savepoint-disposal-status-completed', 'GET', dPath);
    note('savepointDisposal', { location: spLocation, existsAfterDisposal: existsSync(spLocation.replace(/^file:/, '')) });
  }
  const d2 = await r.rec('savepoint-disposal-trigger-missing-path', 'POST', '/v1/savepoint-disposal', { body: { 'savepoint-path': `file://${workDir}/no-such-savepoint` } });
  if (d2.status === 200 || d2.status === 202) {
    await pollAsync(r, `/v1/savepoint-disposal/${d2.body['request-id']}`);
    await r.rec('savepoint-disposal-status-failed', 'GET', `/v1/savepoint-disposal/${d2.body['request-id']}`);
  }
  await r.rec('savepoint-disposal-no-body', 'POST', '/v1/savepoint-disposal', { body: {} });
  await r.rec('savepoint-disposal-status-unknown-trigger', 'GET', `/v1/savepoint-disposal/${hex32()}`);

  // --- stop with savepoint, then restore and prove the counter continues
  await sleep(1000);
  const countBeforeStop = await readCount(outDir1);
  t = Date.now();
  const stop = await r.rec('job-stop-with-savepoint', 'POST', `/v1/jobs/${streamingId}/stop`, { body: { drain: false } });
  const stopPath = `/v1/jobs/${streamingId}/savepoints/${stop.body['request-id']}`;
  const stopStates = traceStates(jobState(r, streamingId), { start: t, until: (s) => TERMINAL_JOB.has(s) });
  const stopDone = await pollAsync(r, stopPath);
  await r.rec('job-stop-status-completed', 'GET', stopPath);
  note('stopWithSavepoint', { savepointMs: Date.now() - t, states: await stopStates, countBeforeStop, countAtStop: await readCount(outDir1) });
  await r.rec('job-finished-after-stop', 'GET', `/v1/jobs/${streamingId}`);
  await r.rec('job-execution-result-after-stop', 'GET', `/v1/jobs/${streamingId}/execution-result`);
  await r.rec('job-stop-again-after-finished', 'POST', `/v1/jobs/${streamingId}/stop`, { body: { drain: false } });
  await r.rec('savepoint-trigger-on-finished-job', 'POST', `/v1/jobs/${streamingId}/savepoints`, { body: {} });
  await r.rec('job-cancel-finished', 'PATCH', `/v1/jobs/${streamingId}?mode=cancel`);
  if (hasApps) {
    await r.rec('application-finished-after-stop', 'GET', `/v1/applications/${streamingId}`);
    await r.rec('application-cancel-finished', 'POST', `/v1/applications/${streamingId}/cancel`);
  }

  const stopLocation = stopDone.body?.operation?.location;
  const countAtStop = await readCount(outDir1);
  const restoredId = hex32();
  t = Date.now();
  await r.rec('jars-run-restore-from-savepoint', 'POST', `/v1/jars/${jarIds.streaming}/run`, {
    body: { jobId: restoredId, parallelism: 2, programArgsList: ['--out', outDir1, '--rate', '20'], savepointPath: stopLocation, allowNonRestoredState: false, claimMode: 'NO_CLAIM' },
  });
  await allRunning(r, restoredId);
  const firstAfterRestore = await waitFor('count after restore', async () => {
    const c = await readCount(outDir1);
    return c !== null && c !== countAtStop ? c : null;
  }, { timeoutMs: 30_000, intervalMs: 20 });
  note('restoreFromSavepoint', {
    savepoint: stopLocation,
    countAtStop,
    firstCountWrittenAfterRestore: firstAfterRestore,
    continuesFromSavedState: firstAfterRestore > countAtStop,
    restoredJobRunningMs: Date.now() - t,
  });
  await r.rec('job-checkpoints-restored', 'GET', `/v1/jobs/${restoredId}/checkpoints`);
  await r.rec('jars-run-bad-savepoint-path', 'POST', `/v1/jars/${jarIds.streaming}/run`, {
    body: { parallelism: 1, programArgsList: ['--rate', '1'], savepointPath: `file://${workDir}/no-such-savepoint` },
  });

  // --- cancel
  t = Date.now();
  await r.rec('job-cancel', 'PATCH', `/v1/jobs/${restoredId}?mode=cancel`);
  const cancelStates = await traceStates(jobState(r, restoredId), { start: t, until: (s) => TERMINAL_JOB.has(s) });
  note('cancelStates', cancelStates);
  await r.rec('job-canceled', 'GET', `/v1/jobs/${restoredId}`);
  await r.rec('job-execution-result-canceled', 'GET', `/v1/jobs/${restoredId}/execution-result`);
  await r.rec('job-cancel-again-canceled', 'PATCH', `/v1/jobs/${restoredId}?mode=cancel`);
  await r.rec('savepoint-trigger-on-canceled-job', 'POST', `/v1/jobs/${restoredId}/savepoints`, { body: {} });
  await r.rec('checkpoint-trigger-on-canceled-job', 'POST', `/v1/jobs/${restoredId}/checkpoints`, { body: {} });
  if (hasApps) await r.rec('application-canceled-via-job-cancel', 'GET', `/v1/applications/${restoredId}`);
  // The REST cache: does GET /jobs/:id lag behind /jobs/:id/status?
  {
    const cacheId = hex32();
    await r.call('POST', `/v1/jars/${jarIds.streaming}/run`, { body: { jobId: cacheId, parallelism: 1, programArgsList: ['--rate', '5'] } });
    await allRunning(r, cacheId);
    const tc = Date.now();
    // PATCH without ?mode= cancels too (mode defaults to cancel)
    await r.rec('job-patch-no-mode-cancels', 'PATCH', `/v1/jobs/${cacheId}`);
    const viaStatus = traceStates(jobState(r, cacheId), { start: tc, until: (s) => s === 'CANCELED' });
    const viaDetails = traceStates(async () => (await r.get(`/v1/jobs/${cacheId}`)).body.state, { start: tc, until: (s) => s === 'CANCELED' });
    const viaOverview = traceStates(async () => (await r.get(`/v1/jobs/overview`)).body.jobs.find((j) => j.jid === cacheId)?.state, { start: tc, until: (s) => s === 'CANCELED' });
    note('cacheLagAfterCancel', { statusEndpoint: await viaStatus, jobDetails: await viaDetails, jobsOverview: await viaOverview });
  }

  // --- bounded job with accumulators
  const boundedId = hex32();
  t = Date.now();
  await r.rec('jars-run-bounded', 'POST', `/v1/jars/${jarIds.bounded}/run`, { body: { jobId: boundedId, parallelism: 2 } });
  note('boundedStates', await traceStates(jobState(r, boundedId), { start: t, until: (s) => TERMINAL_JOB.has(s) }));
  await waitJob(r, boundedId, (b) => b.state === 'FINISHED');
  await r.rec('job-finished', 'GET', `/v1/jobs/${boundedId}`);
  await r.rec('job-status-finished', 'GET', `/v1/jobs/${boundedId}/status`);
  await r.rec('job-execution-result-finished', 'GET', `/v1/jobs/${boundedId}/execution-result`);
  await r.rec('job-accumulators', 'GET', `/v1/jobs/${boundedId}/accumulators`);
  await r.rec('job-accumulators-serialized', 'GET', `/v1/jobs/${boundedId}/accumulators?includeSerializedValue=true`);
  await r.rec('job-exceptions-finished', 'GET', `/v1/jobs/${boundedId}/exceptions`);
  await r.rec('job-checkpoints-finished-no-checkpointing', 'GET', `/v1/jobs/${boundedId}/checkpoints`);
  await r.rec('job-checkpoints-config-no-checkpointing', 'GET', `/v1/jobs/${boundedId}/checkpoints/config`);
  await r.rec('job-resource-requirements-finished', 'GET', `/v1/jobs/${boundedId}/resource-requirements`);
  if (hasApps) await r.rec('application-finished-jars-run', 'GET', `/v1/applications/${boundedId}`);

  // --- failing job
  const failingId = hex32();
  t = Date.now();
  await r.rec('jars-run-failing', 'POST', `/v1/jars/${jarIds.failing}/run`, { body: { jobId: failingId } });
  note('failingStates', await traceStates(jobState(r, failingId), { start: t, until: (s) => TERMINAL_JOB.has(s) }));
  await waitJob(r, failingId, (b) => b.state === 'FAILED');
  await r.rec('job-failed', 'GET', `/v1/jobs/${failingId}`);
  await r.rec('job-execution-result-failed', 'GET', `/v1/jobs/${failingId}/execution-result`);
  await r.rec('job-exceptions', 'GET', `/v1/jobs/${failingId}/exceptions`);
  await r.rec('job-exceptions-max-1', 'GET', `/v1/jobs/${failingId}/exceptions?maxExceptions=1`);
  await r.rec('job-cancel-failed', 'PATCH', `/v1/jobs/${failingId}?mode=cancel`);
  if (hasApps) {
    await r.rec('application-failed-jars-run', 'GET', `/v1/applications/${failingId}`);
    await r.rec('application-exceptions-failed-job', 'GET', `/v1/applications/${failingId}/exceptions`);
  }

  // --- mains that run 2 / 0 jobs or throw, through /jars/:id/run
  t = Date.now();
  const two = await r.rec('jars-run-two-jobs', 'POST', `/v1/jars/${jarIds.twoJobs}/run`, { body: {} });
  await sleep(3000);
  const twoJobsSeen = (await r.get('/v1/jobs/overview')).body.jobs.filter((j) => /two-jobs/.test(j.name)).map((j) => ({ jid: j.jid, name: j.name, state: j.state }));
  note('jarsRunTwoJobs', { requestMs: Date.now() - t - 3000, status: two.status, response: two.body, jobsWithTwoJobsNamesAfter3s: twoJobsSeen });
  t = Date.now();
  await r.rec('jars-run-throwing', 'POST', `/v1/jars/${jarIds.throwing}/run`, { body: {} });
  note('jarsRunThrowingMs', Date.now() - t);
  t = Date.now();
  await r.rec('jars-run-no-execute', 'POST', `/v1/jars/${jarIds.noExecute}/run`, { body: {} });
  note('jarsRunNoExecuteMs', Date.now() - t);
  await r.rec('jars-run-bad-entry-class', 'POST', `/v1/jars/${jarIds.bounded}/run`, { body: { entryClass: 'no.such.Main' } });
  await r.rec('jars-run-unknown-jar', 'POST', `/v1/jars/${hex32()}_nope.jar/run`, { body: {} });
  await r.rec('jars-run-malformed-job-id', 'POST', `/v1/jars/${jarIds.bounded}/run`, { body: { jobId: 'xyz' } });
  await r.rec('jars-run-restore-mode-legacy-field', 'POST', `/v1/jars/${jarIds.bounded}/run`, { body: { restoreMode: 'NO_CLAIM' } });
  await sleep(1500);
  await r.rec('jobs-overview-mixed', 'GET', '/v1/jobs/overview');

  // --- applications (2.3+)
  if (hasApps) await runApplicationScenarios({ r, jarIds, note, workDir });
  else {
    await r.rec('applications-overview-not-found', 'GET', '/v1/applications/overview');
    await r.rec('application-get-not-found', 'GET', `/v1/applications/${unknownId}`);
    await r.rec('application-cancel-not-found', 'POST', `/v1/applications/${unknownId}/cancel`);
    await r.rec('jars-run-application-not-found', 'POST', `/v1/jars/${jarIds.twoJobs}/run-application`, { body: {} });
  }

  await r.rec('overview-at-end', 'GET', '/v1/overview');
  await r.rec('jobs-at-end', 'GET', '/v1/jobs');
  await r.rec('jars-delete', 'DELETE', `/v1/jars/${jarIds.noExecute}`);
  await r.rec('jars-delete-again', 'DELETE', `/v1/jars/${jarIds.noExecute}`);
  await r.rec('jars-run-deleted-jar', 'POST', `/v1/jars/${jarIds.noExecute}/run`, { body: {} });
}

async function runApplicationScenarios({ r, jarIds, note, workDir }) {
  const appState = (id) => async () => {
    const res = await r.get(`/v1/applications/${id}`);
    return res.status === 200 ? res.body.status : `HTTP ${res.status}`;
  };
  const unknownApp = hex32();
  await r.rec('applications-overview', 'GET', '/v1/applications/overview');
  await r.rec('application-unknown', 'GET', `/v1/applications/${unknownApp}`);
  await r.rec('application-malformed-id', 'GET', '/v1/applications/xyz');
  await r.rec('application-cancel-unknown', 'POST', `/v1/applications/${unknownApp}/cancel`);
  await r.rec('application-exceptions-unknown', 'GET', `/v1/applications/${unknownApp}/exceptions`);
  await r.rec('application-jobmanager-config-unknown', 'GET', `/v1/applications/${unknownApp}/jobmanager/config`);

  const runApp = async (name, jar, body, label) => {
    const t = Date.now();
    const res = await r.rec(name, 'POST', `/v1/jars/${jar}/run-application`, { body });
    const id = res.body?.applicationid ?? res.body?.applicationId;
    const info = { request: body, status: res.status, response: res.body, requestMs: Date.now() - t };
    if (res.status === 202 && id) {
      info.states = await traceStates(appState(id), { start: t, until: (s) => TERMINAL_APP.has(s) || /HTTP 404/.test(s) });
      info.totalMs = Date.now() - t;
    }
    note(`app_${label}`, info);
    return { id, res };
  };

  // two jobs, server-chosen id
  const two = await runApp('jars-run-application-two-jobs', jarIds.twoJobs, {}, 'twoJobs_serverId');
  await r.rec('application-finished-two-jobs', 'GET', `/v1/applications/${two.id}`);
  await r.rec('application-exceptions-finished', 'GET', `/v1/applications/${two.id}/exceptions`);
  await r.rec('application-jobmanager-config', 'GET', `/v1/applications/${two.id}/jobmanager/config`);
  await r.rec('application-cancel-finished-two-jobs', 'POST', `/v1/applications/${two.id}/cancel`);
  {
    const jobsOfApp = (await r.get(`/v1/applications/${two.id}`)).body?.jobs ?? [];
    if (jobsOfApp[0]?.jid) {
      await r.rec('job-of-application', 'GET', `/v1/jobs/${jobsOfApp[0].jid}`);
      await r.rec('job-execution-result-of-application', 'GET', `/v1/jobs/${jobsOfApp[0].jid}/execution-result`);
    }
  }

  // two jobs, client-chosen id, then duplicate
  const chosen = hex32();
  await runApp('jars-run-application-with-id', jarIds.twoJobs, { applicationId: chosen, programArgsList: ['--count', '50'] }, 'twoJobs_clientId');
  await r.rec('jars-run-application-duplicate-id', 'POST', `/v1/jars/${jarIds.twoJobs}/run-application`, { body: { applicationId: chosen } });
  await r.rec('jars-run-application-duplicate-of-jars-run-job', 'POST', `/v1/jars/${jarIds.bounded}/run-application`, { body: { applicationId: (await r.get('/v1/jobs')).body.jobs[0]?.id } });
  await r.rec('jars-run-application-malformed-id', 'POST', `/v1/jars/${jarIds.twoJobs}/run-application`, { body: { applicationId: 'xyz' } });

  // throwing main
  const thr = await runApp('jars-run-application-throwing', jarIds.throwing, {}, 'throwingMain');
  await r.rec('application-failed-throwing', 'GET', `/v1/applications/${thr.id}`);
  await r.rec('application-exceptions-throwing', 'GET', `/v1/applications/${thr.id}/exceptions`);
  await r.rec('application-cancel-failed', 'POST', `/v1/applications/${thr.id}/cancel`);

  // no execute()
  const nox = await runApp('jars-run-application-no-execute', jarIds.noExecute, {}, 'noExecuteMain');
  await r.rec('application-no-execute', 'GET', `/v1/applications/${nox.id}`);
  await r.rec('application-exceptions-no-execute', 'GET', `/v1/applications/${nox.id}/exceptions`);

  // failing job with terminate-application-on-any-job-terminated-exceptionally true / false
  for (const flag of ['true', 'false']) {
    const f = await runApp(`jars-run-application-failing-terminate-${flag}`, jarIds.failing, { flinkConfiguration: { 'execution.terminate-application-on-any-job-terminated-exceptionally': flag } }, `failingJob_terminateOnAnyJobTerminatedExceptionally_${flag}`);
    await r.rec(`application-failing-job-terminate-${flag}`, 'GET', `/v1/applications/${f.id}`);
    await r.rec(`application-exceptions-failing-job-terminate-${flag}`, 'GET', `/v1/applications/${f.id}/exceptions`);
  }

  // streaming application: running, cancel the application, cancel again
  const sOut = join(workDir, 'out', 'app');
  const sApp = await (async () => {
    const t = Date.now();
    const res = await r.rec('jars-run-application-streaming', 'POST', `/v1/jars/${jarIds.streaming}/run-application`, { body: { programArgsList: ['--out', sOut, '--rate', '10'], parallelism: 1 } });
    const id = res.body.applicationid;
    const states = await traceStates(appState(id), { start: t, until: (s) => s === 'RUNNING' || TERMINAL_APP.has(s) });
    return { id, t, states };
  })();
  await waitFor('application job running', async () => {
    const app = (await r.get(`/v1/applications/${sApp.id}`)).body;
    return app.jobs?.length && app.jobs.every((j) => j.state === 'RUNNING') ? app : null;
  }, { timeoutMs: 60_000, intervalMs: 200 });
  await r.rec('application-running', 'GET', `/v1/applications/${sApp.id}`);
  await r.rec('applications-overview-with-running', 'GET', '/v1/applications/overview');
  await r.rec('jobs-overview-with-application', 'GET', '/v1/jobs/overview');
  const sJob = (await r.get(`/v1/applications/${sApp.id}`)).body.jobs[0].jid;
  await r.rec('job-running-in-application', 'GET', `/v1/jobs/${sJob}`);
  let t = Date.now();
  await r.rec('application-cancel-running', 'POST', `/v1/applications/${sApp.id}/cancel`);
  const cancelSeq = await traceStates(appState(sApp.id), { start: t, until: (s) => TERMINAL_APP.has(s) });
  note('app_streaming_cancel', { startStates: sApp.states, cancelStates: cancelSeq, cancelMs: Date.now() - t });
  await r.rec('application-canceled', 'GET', `/v1/applications/${sApp.id}`);
  await r.rec('application-cancel-again-canceled', 'POST', `/v1/applications/${sApp.id}/cancel`);
  await r.rec('job-canceled-in-application', 'GET', `/v1/jobs/${sJob}`);
  await r.rec('application-exceptions-canceled', 'GET', `/v1/applications/${sApp.id}/exceptions`);

  // streaming application whose job is canceled through the job API, flag true / false
  for (const flag of ['true', 'false']) {
    t = Date.now();
    const res = await r.call('POST', `/v1/jars/${jarIds.streaming}/run-application`, {
      body: { programArgsList: ['--rate', '5'], parallelism: 1, flinkConfiguration: { 'execution.terminate-application-on-any-job-terminated-exceptionally': flag } },
    });
    const id = res.body.applicationid;
    const startSeq = await traceStates(async () => {
      const a = (await r.get(`/v1/applications/${id}`)).body;
      return `${a.status} jobs=${(a.jobs ?? []).map((j) => j.state).join(',')}`;
    }, { start: t, until: (s) => /^RUNNING jobs=RUNNING$/.test(s) || TERMINAL_APP.has(s.split(' ')[0]), timeoutMs: 60_000 });
    const app = (await r.get(`/v1/applications/${id}`)).body;
    let seq = [];
    if (app.status === 'RUNNING' && app.jobs?.[0]) {
      const tc = Date.now();
      await r.call('PATCH', `/v1/jobs/${app.jobs[0].jid}?mode=cancel`);
      seq = await traceStates(appState(id), { start: tc, until: (s) => TERMINAL_APP.has(s), timeoutMs: 30_000 });
    }
    note(`app_streaming_jobCanceledViaJobApi_terminateOnAny_${flag}`, { startStates: startSeq, statesAfterJobCancel: seq, appAfterStart: { status: app.status, jobs: app.jobs?.map((j) => j.state) } });
    await r.rec(`application-after-job-cancel-terminate-${flag}`, 'GET', `/v1/applications/${id}`);
    if (seq.length && !TERMINAL_APP.has(seq[seq.length - 1].state)) await r.call('POST', `/v1/applications/${id}/cancel`);
  }

  // what /jars/:id/run says on 2.3 for a multi-job main is recorded in the session part.
  await r.rec('applications-overview-at-end', 'GET', '/v1/applications/overview');
}

async function runAdaptiveScenarios({ r, cluster, jars, version, hasApps, note }) {
  const jarId = await upload(r, 'adaptive-jars-upload-streaming', jars.streaming);
  const id = hex32();
  await r.rec('adaptive-jars-run-streaming', 'POST', `/v1/jars/${jarId}/run`, { body: { jobId: id, parallelism: 2, programArgsList: ['--rate', '20'] } });
  await allRunning(r, id);
  await r.rec('adaptive-job-running', 'GET', `/v1/jobs/${id}`);
  const rr = await r.rec('adaptive-job-resource-requirements', 'GET', `/v1/jobs/${id}/resource-requirements`);
  const body = Object.fromEntries(Object.entries(rr.body).map(([k]) => [k, { parallelism: { lowerBound: 1, upperBound: 1 } }]));
  const t = Date.now();
  await r.rec('adaptive-job-resource-requirements-put', 'PUT', `/v1/jobs/${id}/resource-requirements`, { body });
  const seq = await traceStates(async () => {
    const j = (await r.get(`/v1/jobs/${id}`)).body;
    return `${j.state}:${j.vertices.map((v) => `${v.parallelism}/${v.status}`).join(',')}`;
  }, { start: t, until: (s) => /^RUNNING:/.test(s) && s.split(':')[1].split(',').every((x) => x === '1/RUNNING'), timeoutMs: 60_000, intervalMs: 100 });
  note('adaptiveRescale', { request: body, sequence: seq, ms: Date.now() - t });
  await r.rec('adaptive-job-resource-requirements-after-put', 'GET', `/v1/jobs/${id}/resource-requirements`);
  await r.rec('adaptive-job-after-rescale', 'GET', `/v1/jobs/${id}`);
  await r.rec('adaptive-job-resource-requirements-put-invalid', 'PUT', `/v1/jobs/${id}/resource-requirements`, { body: { [Object.keys(rr.body)[0]]: { parallelism: { lowerBound: 3, upperBound: 1 } } } });
  await r.rec('adaptive-job-resource-requirements-put-empty', 'PUT', `/v1/jobs/${id}/resource-requirements`, { body: {} });
  await r.rec('adaptive-job-resource-requirements-put-unknown-vertex', 'PUT', `/v1/jobs/${id}/resource-requirements`, { body: { [hex32()]: { parallelism: { lowerBound: 1, upperBound: 1 } } } });
  if (versionAtLeast(version, '2.3.0')) {
    await r.rec('adaptive-job-rescales-config', 'GET', `/v1/jobs/${id}/rescales/config`);
    await r.rec('adaptive-job-rescales-overview', 'GET', `/v1/jobs/${id}/rescales/overview`);
    await r.rec('adaptive-job-rescales-history', 'GET', `/v1/jobs/${id}/rescales/history`);
    await r.rec('adaptive-job-rescales-summary', 'GET', `/v1/jobs/${id}/rescales/summary`);
  }
  // no default savepoint dir on this cluster
  await r.rec('savepoint-trigger-no-target-no-default', 'POST', `/v1/jobs/${id}/savepoints`, { body: {} });
  await r.rec('job-stop-no-target-no-default', 'POST', `/v1/jobs/${id}/stop`, { body: {} });
  await r.rec('adaptive-job-cancel', 'PATCH', `/v1/jobs/${id}?mode=cancel`);
  await waitJob(r, id, (b) => b.state === 'CANCELED');
}


/**
 * The rest of the REST API (issue 12) on one adaptive-scheduler cluster with rescale history,
 * flame graphs and profiling on: metrics at every level, vertices and subtasks, backpressure
 * sampling, watermarks, checkpoint details, rescale details, JobManager and TaskManager
 * environment, thread dumps, log lists and log files (recorded as their first bytes), log URLs,
 * datasets and the client heartbeat. Recordings are named `rest-*`.
 */
async function runRestScenarios({ r, jars, version, note }) {
  const has23 = versionAtLeast(version, '2.3.0');
  const jarId = await upload(r, 'rest-jars-upload-streaming', jars.streaming);
  const id = hex32();
  await r.rec('rest-jars-run-streaming', 'POST', `/v1/jars/${jarId}/run`, { body: { jobId: id, parallelism: 2, programArgsList: ['--rate', '200'] } });
  const details = await allRunning(r, id);
  const vertices = details.vertices.map((v) => v.id);
  const [source, counter] = vertices;
  // cluster level
  await r.rec('rest-jobmanager-environment', 'GET', '/v1/jobmanager/environment');
  const jmLogs = await r.rec('rest-jobmanager-logs', 'GET', '/v1/jobmanager/logs');
  await r.rec('rest-jobmanager-thread-dump', 'GET', '/v1/jobmanager/thread-dump');
  const jmMetrics = await r.rec('rest-jobmanager-metrics-names', 'GET', '/v1/jobmanager/metrics');
  const jmNames = (jmMetrics.body ?? []).map((m) => m.id).slice(0, 3);
  await r.rec('rest-jobmanager-metrics-values', 'GET', `/v1/jobmanager/metrics?get=${jmNames.join(',')}`);
  await r.rec('rest-jobmanager-metrics-unknown', 'GET', '/v1/jobmanager/metrics?get=no.such.metric');
  const tms = (await r.get('/v1/taskmanagers')).body.taskmanagers;
  const tm = tms[0].id;
  await r.rec('rest-taskmanager-details', 'GET', `/v1/taskmanagers/${encodeURIComponent(tm)}`);
  await r.rec('rest-taskmanager-unknown', 'GET', `/v1/taskmanagers/no-such-tm`);
  const tmLogs = await r.rec('rest-taskmanager-logs', 'GET', `/v1/taskmanagers/${encodeURIComponent(tm)}/logs`);
  await r.rec('rest-taskmanager-thread-dump', 'GET', `/v1/taskmanagers/${encodeURIComponent(tm)}/thread-dump`);
  const tmMetrics = await r.rec('rest-taskmanager-metrics-names', 'GET', `/v1/taskmanagers/${encodeURIComponent(tm)}/metrics`);
  const tmNames = (tmMetrics.body ?? []).map((m) => m.id).filter((n) => /Heap|CPU|Threads/.test(n)).slice(0, 3);
  await r.rec('rest-taskmanager-metrics-values', 'GET', `/v1/taskmanagers/${encodeURIComponent(tm)}/metrics?get=${tmNames.join(',')}`);
  await r.rec('rest-taskmanagers-metrics-names', 'GET', '/v1/taskmanagers/metrics');
  await r.rec('rest-taskmanagers-metrics-agg', 'GET', `/v1/taskmanagers/metrics?get=${tmNames.join(',')}&agg=min,max,avg,sum,skew&taskmanagers=${encodeURIComponent(tm)}`);
  await r.rec('rest-jobs-metrics-names', 'GET', '/v1/jobs/metrics');
  // job level; the metric fetcher refreshes every 10 s (metrics.fetcher.update-interval), so wait for names
  const jobNames = await waitFor('job metrics', async () => {
    const res = await r.get(`/v1/jobs/${id}/metrics`);
    return res.status === 200 && res.body.length > 0 ? res.body.map((m) => m.id) : null;
  }, { timeoutMs: 30_000, intervalMs: 500 });
  await r.rec('rest-job-metrics-names', 'GET', `/v1/jobs/${id}/metrics`);
  const jobPick = jobNames.filter((n) => /uptime|numRestarts|lastCheckpointDuration|numberOfCompletedCheckpoints/.test(n)).slice(0, 3);
  await r.rec('rest-job-metrics-values', 'GET', `/v1/jobs/${id}/metrics?get=${jobPick.join(',')}`);
  await r.rec('rest-jobs-metrics-agg', 'GET', `/v1/jobs/metrics?get=${jobPick.join(',')}&agg=min,max,avg,sum,skew&jobs=${id}`);
  await r.rec('rest-job-jobmanager-environment', 'GET', `/v1/jobs/${id}/jobmanager/environment`);
  await r.rec('rest-job-jobmanager-log-url', 'GET', `/v1/jobs/${id}/jobmanager/log-url`);
  await r.rec('rest-job-taskmanager-log-url', 'GET', `/v1/jobs/${id}/taskmanagers/${encodeURIComponent(tm)}/log-url`);
  await r.rec('rest-job-client-heartbeat', 'PATCH', `/v1/jobs/${id}/clientHeartbeat`, { body: { expiredTimestamp: Date.now() + 60_000 } });
  await r.rec('rest-datasets', 'GET', '/v1/datasets');
  await r.rec('rest-datasets-delete-status-unknown', 'GET', `/v1/datasets/delete/${hex32()}`);
  // vertices
  for (const [label, v] of [['source', source], ['counter', counter]]) {
    const p = `/v1/jobs/${id}/vertices/${v}`;
    await r.rec(`rest-vertex-${label}`, 'GET', p);
    await r.rec(`rest-vertex-${label}-accumulators`, 'GET', `${p}/accumulators`);
    await r.rec(`rest-vertex-${label}-subtasks-accumulators`, 'GET', `${p}/subtasks/accumulators`);
    await r.rec(`rest-vertex-${label}-subtask-0`, 'GET', `${p}/subtasks/0`);
    await r.rec(`rest-vertex-${label}-subtask-0-attempt-0`, 'GET', `${p}/subtasks/0/attempts/0`);
    await r.rec(`rest-vertex-${label}-subtask-0-attempt-0-accumulators`, 'GET', `${p}/subtasks/0/attempts/0/accumulators`);
    await r.rec(`rest-vertex-${label}-subtasktimes`, 'GET', `${p}/subtasktimes`);
    await r.rec(`rest-vertex-${label}-taskmanagers`, 'GET', `${p}/taskmanagers`);
    await r.rec(`rest-vertex-${label}-watermarks`, 'GET', `${p}/watermarks`);
    await r.rec(`rest-vertex-${label}-jm-operator-metrics`, 'GET', `${p}/jm-operator-metrics`);
    const names = await waitFor(`vertex ${label} metrics`, async () => {
      const res = await r.get(`${p}/metrics`);
      return res.status === 200 && res.body.length > 0 ? res.body.map((m) => m.id) : null;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    await r.rec(`rest-vertex-${label}-metrics-names`, 'GET', `${p}/metrics`);
    const pick = names.filter((n) => /^0\.(numRecordsOut|numRecordsIn|busyTimeMsPerSecond|backPressuredTimeMsPerSecond|currentOutputWatermark)$/.test(n)).slice(0, 4);
    await r.rec(`rest-vertex-${label}-metrics-values`, 'GET', `${p}/metrics?get=${pick.join(',')}`);
    await r.rec(`rest-vertex-${label}-subtasks-metrics-names`, 'GET', `${p}/subtasks/metrics`);
    const plain = ['numRecordsOut', 'numRecordsIn', 'busyTimeMsPerSecond', 'backPressuredTimeMsPerSecond', 'idleTimeMsPerSecond'];
    await r.rec(`rest-vertex-${label}-subtasks-metrics-agg`, 'GET', `${p}/subtasks/metrics?get=${plain.join(',')}&agg=min,max,avg,sum,skew&subtasks=0,1`);
    await r.rec(`rest-vertex-${label}-subtask-0-metrics`, 'GET', `${p}/subtasks/0/metrics?get=${plain.join(',')}`);
    const bp0 = await r.rec(`rest-vertex-${label}-backpressure-first`, 'GET', `${p}/backpressure`);
    const bp = await waitFor('backpressure sample', async () => {
      const res = await r.get(`${p}/backpressure`);
      return res.body?.status === 'ok' ? res : null;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    note(`restBackpressure_${label}`, { first: bp0.body?.status, later: bp.body?.status });
    await r.rec(`rest-vertex-${label}-backpressure-ok`, 'GET', `${p}/backpressure`);
    await r.rec(`rest-vertex-${label}-flamegraph-first`, 'GET', `${p}/flamegraph?type=FULL`);
    await waitFor('flame graph', async () => {
      const res = await r.get(`${p}/flamegraph?type=FULL`);
      return res.status === 200 && res.body?.data ? res : null;
    }, { timeoutMs: 30_000, intervalMs: 500 }).catch((e) => note(`restFlamegraph_${label}`, String(e)));
    await r.rec(`rest-vertex-${label}-flamegraph`, 'GET', `${p}/flamegraph?type=FULL`);
  }
  await r.rec('rest-vertex-unknown', 'GET', `/v1/jobs/${id}/vertices/${hex32()}`);
  await r.rec('rest-vertex-subtask-out-of-range', 'GET', `/v1/jobs/${id}/vertices/${source}/subtasks/99`);
  // checkpoints
  const cp = await waitFor('a completed checkpoint', async () => {
    const res = await r.get(`/v1/jobs/${id}/checkpoints`);
    return res.body?.latest?.completed ? res.body.latest.completed : null;
  }, { timeoutMs: 30_000, intervalMs: 250 });
  await r.rec('rest-checkpoint-details', 'GET', `/v1/jobs/${id}/checkpoints/details/${cp.id}`);
  await r.rec('rest-checkpoint-subtasks', 'GET', `/v1/jobs/${id}/checkpoints/details/${cp.id}/subtasks/${counter}`);
  await r.rec('rest-checkpoint-details-unknown', 'GET', `/v1/jobs/${id}/checkpoints/details/999999`);
  // rescale once, for rescale details
  if (has23) {
    const rr = (await r.get(`/v1/jobs/${id}/resource-requirements`)).body;
    const body = Object.fromEntries(Object.keys(rr).map((k) => [k, { parallelism: { lowerBound: 1, upperBound: 1 } }]));
    await r.call('PUT', `/v1/jobs/${id}/resource-requirements`, { body });
    await waitJob(r, id, (b) => b.state === 'RUNNING' && b.vertices.every((v) => v.parallelism === 1 && v.status === 'RUNNING'));
    const hist = await waitFor('rescale history', async () => {
      const res = await r.get(`/v1/jobs/${id}/rescales/history`);
      return Array.isArray(res.body) && res.body.length > 0 ? res.body : null;
    }, { timeoutMs: 30_000, intervalMs: 500 }).catch(() => []);
    await r.rec('rest-rescales-config', 'GET', `/v1/jobs/${id}/rescales/config`);
    await r.rec('rest-rescales-overview', 'GET', `/v1/jobs/${id}/rescales/overview`);
    await r.rec('rest-rescales-history', 'GET', `/v1/jobs/${id}/rescales/history`);
    await r.rec('rest-rescales-summary', 'GET', `/v1/jobs/${id}/rescales/summary`);
    const uuid = hist[0]?.rescaleUuid ?? hist[0]?.uuid ?? Object.values(hist[0] ?? {}).find((x) => typeof x === 'string');
    if (uuid) await r.rec('rest-rescales-details', 'GET', `/v1/jobs/${id}/rescales/details/${uuid}`);
    await r.rec('rest-rescales-details-unknown', 'GET', `/v1/jobs/${id}/rescales/details/${hex32()}`);
  }
  await r.rec('rest-rescaling-trigger', 'PATCH', `/v1/jobs/${id}/rescaling?parallelism=1`);
  await r.rec('rest-rescaling-status-unknown', 'GET', `/v1/jobs/${id}/rescaling/${hex32()}`);
  // log files: not JSON; record the status, content type and the first bytes
  const text = async (name, path) => {
    const t = await fetch(r.base + path, { headers: { range: 'bytes=0-99' } });
    const full = await t.text();
    const doc = { request: { method: 'GET', path }, status: t.status, headers: { 'content-type': t.headers.get('content-type'), 'content-length': t.headers.get('content-length'), 'accept-ranges': t.headers.get('accept-ranges'), 'content-range': t.headers.get('content-range') }, text: full.slice(0, 400), textLength: full.length };
    await writeFile(join(r.outDir, `${name}.json`), JSON.stringify(doc, null, 2) + '\n');
    r.index.push({ name, method: 'GET', path, status: t.status });
    log(`${t.status} GET ${path} -> ${name}.json (text, ${full.length} chars, asked bytes=0-99)`);
  };
  const jmLog = (jmLogs.body?.logs ?? []).find((l) => l.name.endsWith('.log'))?.name;
  if (jmLog) await text('rest-jobmanager-log-file', `/v1/jobmanager/logs/${encodeURIComponent(jmLog)}`);
  await text('rest-jobmanager-log', '/v1/jobmanager/log');
  await text('rest-jobmanager-stdout', '/v1/jobmanager/stdout');
  await text('rest-jobmanager-log-file-unknown', '/v1/jobmanager/logs/no-such.log');
  const tmLog = (tmLogs.body?.logs ?? []).find((l) => l.name.endsWith('.log'))?.name;
  if (tmLog) await text('rest-taskmanager-log-file', `/v1/taskmanagers/${encodeURIComponent(tm)}/logs/${encodeURIComponent(tmLog)}`);
  await text('rest-taskmanager-log', `/v1/taskmanagers/${encodeURIComponent(tm)}/log`);
  await text('rest-taskmanager-stdout', `/v1/taskmanagers/${encodeURIComponent(tm)}/stdout`);
  // profiler (not in the spec; rest.profiling.enabled)
  await r.rec('rest-jobmanager-profiler-list', 'GET', '/v1/jobmanager/profiler');
  await r.rec('rest-taskmanager-profiler-list', 'GET', `/v1/taskmanagers/${encodeURIComponent(tm)}/profiler`);
  await r.rec('rest-jobs-metrics-route', 'GET', '/v1/jobs/metrics?get=numRestarts');
  await r.call('PATCH', `/v1/jobs/${id}?mode=cancel`);
  await waitJob(r, id, (b) => b.state === 'CANCELED');
  await r.rec('rest-vertex-source-after-cancel', 'GET', `/v1/jobs/${id}/vertices/${source}`);
  await r.rec('rest-vertex-source-backpressure-after-cancel', 'GET', `/v1/jobs/${id}/vertices/${source}/backpressure`);
  await r.rec('rest-job-metrics-after-cancel', 'GET', `/v1/jobs/${id}/metrics`);
}

/** `--only rest`: record the rest-* exchanges into an existing recording directory, keeping the others. */
async function recordRestOnly({ version, outDir, keep }) {
  const { flinkHome } = await provisionFlink({ version, log });
  const { jars } = await buildFixtures({ flinkHome, log });
  await mkdir(outDir, { recursive: true });
  for (const f of await readdir(outDir)) if (f.startsWith('rest-')) await rm(join(outDir, f));
  const indexPath = join(outDir, 'index.json');
  const index = existsSync(indexPath) ? JSON.parse(await readFile(indexPath, 'utf8')).filter((e) => !e.name.startsWith('rest-')) : [];
  const workRoot = join(REPO_ROOT, '.tmp', `record-rest-${version}-${process.pid}`);
  const scenarios = {};
  const cluster = await startCluster({
    flinkHome,
    version,
    workDir: join(workRoot, 'rest'),
    settings: { 'jobmanager.scheduler': 'adaptive', 'web.adaptive-scheduler.rescale-history.size': '4', 'rest.flamegraph.enabled': 'true', 'rest.profiling.enabled': 'true' },
    watch503: false,
  });
  const r = new Recorder(cluster.base, outDir);
  try {
    await runRestScenarios({ r, jars, version, note: (k, v) => (scenarios[k] = v) });
  } catch (e) {
    scenarios.ERROR_rest = String(e.stack || e);
    log(`ERROR (rest): ${e.stack || e}`);
  } finally {
    await stopCluster(cluster);
  }
  const all = [...index, ...r.index].sort((a, b) => a.name.localeCompare(b.name));
  await writeFile(indexPath, JSON.stringify(all, null, 2) + '\n');
  const scenPath = join(outDir, 'scenarios.json');
  const old = existsSync(scenPath) ? JSON.parse(await readFile(scenPath, 'utf8')) : {};
  for (const k of Object.keys(old)) if (k.startsWith('rest') || k === 'ERROR_rest') delete old[k];
  await writeFile(scenPath, JSON.stringify({ ...old, ...scenarios }, null, 2) + '\n');
  if (!keep) await rm(workRoot, { recursive: true, force: true });
  return { outDir, errors: Object.keys(scenarios).filter((k) => k.startsWith('ERROR')) };
}

// ---------------------------------------------------------------------------------------------
// CLI

async function main() {
  const argv = process.argv.slice(2);
  let versions = [DEFAULT_VERSION];
  let out;
  let keep = false;
  let skipAdaptive = false;
  let only;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--version') versions = [argv[++i]];
    else if (a === '--all') versions = ALL_VERSIONS;
    else if (a === '--out') out = argv[++i];
    else if (a === '--keep') keep = true;
    else if (a === '--skip-adaptive') skipAdaptive = true;
    else if (a === '--only') only = argv[++i];
    else {
      process.stderr.write(`record-fixtures: unknown argument "${a}"\n`);
      process.exit(2);
    }
  }
  let failed = false;
  for (const version of versions) {
    const outDir = resolve(out && versions.length === 1 ? out : join(REPO_ROOT, 'test', 'fixtures', 'recorded', version));
    const res = only === 'rest' ? await recordRestOnly({ version, outDir, keep }) : await recordVersion({ version, outDir, keep, skipAdaptive });
    if (only !== 'rest') res.errors.push(...(await recordRestOnly({ version, outDir, keep })).errors);
    if (res.errors.length) {
      failed = true;
      log(`Flink ${version}: scenario errors: ${res.errors.join(', ')} (see scenarios.json)`);
    }
    process.stdout.write(`${res.outDir}\n`);
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
