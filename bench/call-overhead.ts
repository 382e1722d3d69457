/**
 * The SDK's per-call cost against the strongest Node floor and against Flink's own clients,
 * measured in one run on one loopback stub (a child process, so the CPU figures are the client's).
 *
 *   npx tsx bench/call-overhead.ts [--calls 5000] [--rounds 7] [--no-java] [--no-python]
 *                                  [--flink-home .flink/2.3.0]
 *
 * Contestants:
 * - `sdk`: `job.status()` / `cluster.listJobs()` of a ClusterClient (32 connections, validation on);
 * - `floor`: an undici `Pool` with the same 32 connections, origin and path pre-split,
 *   `body.text()` + `JSON.parse` (what a hand-written client can do at best);
 * - `agent+url`: the older baseline, `undici.request(url)` on an Agent (parses the URL per call);
 * - `java`: Flink's `RestClusterClient`, compiled now against the Flink home's lib/;
 * - `python`: the PyPI `flink-rest-client`, in a venv under .tmp/ (made on first run).
 * Measures: sequential status calls (µs per call), 1,000 status calls in flight (calls/s), a
 * 10,000-job `listJobs()` (ms), and CPU per call of each (`process.cpuUsage()`; the JVM's and
 * Python's own process CPU for theirs). Every round runs every contestant, in an order rotated per
 * round; ratios are taken per round against the floor of the same round and reported as median
 * and min–max, so drift on a shared machine hits all alike.
 */
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Agent, Pool, request } from 'undici';
import { ClusterClient } from '../src/index.js';
import { benchJobId } from './support/jobs.js';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const CALLS = arg('calls', 5_000);
const ROUNDS = arg('rounds', 7);
const CONNECTIONS = 32;
const IN_FLIGHT = 1_000;
const JOBS = 10_000;
const LISTS = 5;
const repo = fileURLToPath(new URL('..', import.meta.url));
const flinkHome = argv.includes('--flink-home') ? (argv[argv.indexOf('--flink-home') + 1] as string) : `${repo}.flink/2.3.0`;
const JOB = benchJobId(42);

/** One measurement: the value (µs per call, calls/s or ms per list) and CPU µs per call. */
interface Sample {
  value: number;
  cpuUs: number;
}
type Kind = 'seq' | 'conc' | 'list';
interface Contestant {
  name: string;
  /** Calls per sequential round: the slow clients do fewer, so a round takes about as long. */
  seqCalls: number;
  run(kind: Kind, n: number): Promise<Sample>;
  close(): Promise<void>;
}

// ---- the stub ---------------------------------------------------------------------------------
const stub = fork(fileURLToPath(new URL('./support/rest-stub.ts', import.meta.url)), [String(JOBS)], { execArgv: ['--import', 'tsx'] });
const { url: origin, overviewBytes } = await new Promise<{ url: string; overviewBytes: number }>((resolve) => stub.once('message', resolve as never));
const { hostname, port } = new URL(origin);

// ---- Node contestants -------------------------------------------------------------------------
async function timed(kind: Kind, n: number, call: () => Promise<unknown>): Promise<Sample> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  if (kind === 'conc') await Promise.all(Array.from({ length: n }, call));
  else for (let i = 0; i < n; i++) await call();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuUs = (cpu.user + cpu.system) / n;
  if (kind === 'seq') return { value: (ms * 1000) / n, cpuUs };
  if (kind === 'conc') return { value: n / (ms / 1000), cpuUs };
  return { value: ms / n, cpuUs };
}

function sdk(Client: typeof ClusterClient = ClusterClient, name = 'sdk'): Contestant {
  const client = new Client({ url: origin, connections: CONNECTIONS });
  const job = client.job(JOB);
  return {
    name,
    seqCalls: CALLS,
    run: (kind, n) => timed(kind, n, kind === 'list' ? () => client.listJobs() : () => job.status()),
    close: () => client.close(),
  };
}

function floor(): Contestant {
  const pool = new Pool(origin, { connections: CONNECTIONS, keepAliveTimeout: 10_000 });
  const headers = { accept: 'application/json' };
  const get = async (path: string): Promise<unknown> => {
    const res = await pool.request({ method: 'GET', path, headers });
    return JSON.parse(await res.body.text());
  };
  const statusPath = `/v1/jobs/${JOB}/status`;
  return {
    name: 'floor',
    seqCalls: CALLS,
    run: (kind, n) => timed(kind, n, kind === 'list' ? () => get('/v1/jobs/overview') : () => get(statusPath)),
    close: () => pool.close(),
  };
}

function agentUrl(): Contestant {
  const agent = new Agent({ connections: CONNECTIONS, keepAliveTimeout: 10_000 });
  const get = async (url: string): Promise<unknown> => {
    const res = await request(url, { dispatcher: agent, headers: { accept: 'application/json' } });
    return JSON.parse(await res.body.text());
  };
  const statusUrl = `${origin}/v1/jobs/${JOB}/status`;
  return {
    name: 'agent+url',
    seqCalls: CALLS,
    run: (kind, n) => timed(kind, n, kind === 'list' ? () => get(`${origin}/v1/jobs/overview`) : () => get(statusUrl)),
    close: () => agent.close(),
  };
}

// ---- external workers: one line per command over stdin/stdout ----------------------------------
async function worker(name: string, child: ChildProcess, seqCalls: number): Promise<Contestant> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done) throw new Error(`${name} worker ended: ${stderr}`);
    return line.value;
  };
  while ((await next()).trim() !== 'ready');
  return {
    name,
    seqCalls,
    async run(kind, n) {
      child.stdin?.write(`${kind} ${n}\n`);
      const [perCallUs, cpuUs] = (await next()).trim().split(' ').map(Number) as [number, number];
      if (kind === 'seq') return { value: perCallUs, cpuUs };
      if (kind === 'conc') return { value: 1e6 / perCallUs, cpuUs };
      return { value: perCallUs / 1000, cpuUs };
    },
    async close() {
      child.stdin?.end('quit\n');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    },
  };
}

async function java(): Promise<Contestant> {
  const out = `${repo}.tmp/bench-java`;
  mkdirSync(out, { recursive: true });
  const cp = `${flinkHome}/lib/*`;
  execFileSync('javac', ['-nowarn', '-cp', cp, '-d', out, fileURLToPath(new URL('./support/FlinkJavaBench.java', import.meta.url))], { stdio: 'inherit' });
  const child = spawn('java', ['-Dlog4j2.level=OFF', '-cp', `${out}:${cp}`, 'FlinkJavaBench', hostname, port, JOB], { stdio: ['pipe', 'pipe', 'pipe'] });
  return worker('java', child, Math.ceil(CALLS / 5));
}

async function python(): Promise<Contestant> {
  const venv = `${repo}.tmp/bench-pyvenv`;
  if (!existsSync(`${venv}/bin/python`)) {
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(`${venv}/bin/pip`, ['install', '-q', 'flink-rest-client==1.0.8'], { stdio: 'inherit' });
  }
  const child = spawn(`${venv}/bin/python`, [fileURLToPath(new URL('./support/flink_python_bench.py', import.meta.url)), hostname, port, JOB], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return worker('python', child, Math.ceil(CALLS / 20));
}

// ---- run ----------------------------------------------------------------------------------------
const contestants: Contestant[] = [sdk(), floor(), agentUrl()];
// `--before <git rev>`: the SDK as of that commit, extracted under .tmp/ and run the same way.
if (argv.includes('--before')) {
  const rev = argv[argv.indexOf('--before') + 1] as string;
  const dir = `${repo}.tmp/bench-before`;
  execFileSync('rm', ['-rf', dir]);
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${rev} src | tar -x -C ${dir}`], { cwd: repo });
  const before = (await import(`${dir}/src/index.ts`)) as { ClusterClient: typeof ClusterClient };
  contestants.push(sdk(before.ClusterClient, `sdk@${rev.slice(0, 7)}`));
}
if (!argv.includes('--no-java')) contestants.push(await java());
if (!argv.includes('--no-python')) contestants.push(await python());

const results = new Map<string, Record<Kind, Sample[]>>(contestants.map((c) => [c.name, { seq: [], conc: [], list: [] }]));
const perCall = (c: Contestant, kind: Kind): number => (kind === 'seq' ? c.seqCalls : kind === 'conc' ? IN_FLIGHT : c.name === 'python' ? 2 : LISTS);

console.log(`Node ${process.version}, ${ROUNDS} rounds; per round ${CALLS} sequential status calls (java ÷5, python ÷20), ${IN_FLIGHT} in flight, ${LISTS} listJobs() of ${JOBS} jobs (${(overviewBytes / 2 ** 20).toFixed(2)} MiB)`);
// Warm-up: JIT, connections, the JVM's class loading.
for (const c of contestants) for (const kind of ['seq', 'conc', 'list'] as Kind[]) await c.run(kind, Math.max(1, Math.ceil(perCall(c, kind) / 2)));
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of ['seq', 'conc', 'list'] as Kind[]) {
    for (let i = 0; i < contestants.length; i++) {
      const c = contestants[(i + round) % contestants.length] as Contestant;
      results.get(c.name)?.[kind].push(await c.run(kind, perCall(c, kind)));
    }
  }
  process.stdout.write(`round ${round + 1}/${ROUNDS} done\n`);
}
for (const c of contestants) await c.close();
stub.disconnect();

// ---- report -------------------------------------------------------------------------------------
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
/** Per-round ratios of `name` against the floor: median and min–max. */
function ratio(name: string, kind: Kind, pick: (s: Sample) => number, invert = false): string {
  const mine = results.get(name)?.[kind] ?? [];
  const base = results.get('floor')?.[kind] ?? [];
  const rs = mine.map((s, i) => (invert ? pick(base[i] as Sample) / pick(s) : pick(s) / pick(base[i] as Sample)));
  return `${median(rs).toFixed(2)}× (${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)})`;
}
const fmt = (x: number, digits = 1): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const rows: string[][] = [];
for (const c of contestants) {
  const r = results.get(c.name) as Record<Kind, Sample[]>;
  const m = (kind: Kind, f: (s: Sample) => number): number => median(r[kind].map(f));
  rows.push([
    c.name,
    `${fmt(m('seq', (s) => s.value))} µs`,
    c.name === 'floor' ? '1' : ratio(c.name, 'seq', (s) => s.value),
    `${fmt(m('seq', (s) => s.cpuUs))} µs`,
    c.name === 'floor' ? '1' : ratio(c.name, 'seq', (s) => s.cpuUs),
    `${fmt(m('conc', (s) => s.value), 0)}/s`,
    c.name === 'floor' ? '1' : ratio(c.name, 'conc', (s) => s.value),
    `${fmt(m('conc', (s) => s.cpuUs))} µs`,
    c.name === 'floor' ? '1' : ratio(c.name, 'conc', (s) => s.cpuUs),
    `${fmt(m('list', (s) => s.value))} ms`,
    c.name === 'floor' ? '1' : ratio(c.name, 'list', (s) => s.value),
  ]);
}
const head = ['client', 'sequential status', 'vs floor', 'CPU/call', 'vs floor', `${IN_FLIGHT} in flight`, 'vs floor', 'CPU/call', 'vs floor', `listJobs() ${JOBS}`, 'vs floor'];
console.log(`\n| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log('\nratios: median of per-round ratios against the floor of the same round (min–max over rounds); lower is better except for "in flight"');
const sdkOver = (name: string, kind: Kind, invert: boolean): string => {
  const mine = results.get('sdk')?.[kind] ?? [];
  const other = results.get(name)?.[kind] ?? [];
  const rs = mine.map((s, i) => (invert ? s.value / (other[i] as Sample).value : (other[i] as Sample).value / s.value));
  return `${median(rs).toFixed(2)}× (${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)})`;
};
console.log('\ntargets:');
console.log(`  sequential status sdk/floor ${ratio('sdk', 'seq', (s) => s.value)}  target ≤ 1.05`);
console.log(`  in flight throughput sdk÷floor ${ratio('sdk', 'conc', (s) => s.value)}  target ≥ 0.95`);
console.log(`  CPU per call sdk/floor: sequential ${ratio('sdk', 'seq', (s) => s.cpuUs)}, in flight ${ratio('sdk', 'conc', (s) => s.cpuUs)}  target ≤ 1.2`);
for (const other of ['java', 'python']) {
  if (!results.has(other)) continue;
  console.log(`  sdk vs ${other}: sequential rate ${sdkOver(other, 'seq', false)}, in flight ${sdkOver(other, 'conc', true)}, listJobs() ${sdkOver(other, 'list', false)}${other === 'java' ? '  targets ≥ 2.5, ≥ 2, ≥ 2' : ''}`);
}
