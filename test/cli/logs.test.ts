import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { Capture, ROOT, spawnCli } from './support.js';
import { sendJson, startStub, type Stub } from './stub-server.js';

// `logs` against a loopback stub of Flink's log routes (the simulator lists no log files and serves
// no file contents). Follow is driven by the stub's request events, never by sleeps: each poll is
// one request, so "the n-th request after a change arrived" means the change was printed.

let jmLog = '';
const TM = 'tm-1';
const files: Record<string, string> = { 'flink-gc.log': 'gc 1\ngc 2\ngc 3\n' };
let stub: Stub;
beforeAll(async () => {
  stub = await startStub((_req, res, url) => {
    const text = (body: string): void => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(body);
    };
    if (url.pathname === '/jobmanager/log') return text(jmLog);
    if (url.pathname === '/jobmanager/logs') return sendJson(res, { logs: [{ name: 'flink-gc.log', size: 18, mtime: 1_764_700_000_000 }, { name: 'jm.log', size: jmLog.length }] });
    if (url.pathname === '/jobmanager/logs/flink-gc.log') return text(files['flink-gc.log'] as string);
    if (url.pathname === `/taskmanagers/${TM}/stdout`) return text('hello from stdout\r\nline 2');
    // Flink's answer for a TaskManager stdout that does not exist: 200, JSON type, a sentence.
    if (url.pathname === '/taskmanagers/tm-2/stdout') return sendJson(res, 'The file STDOUT does not exist on the TaskExecutor.');
    return sendJson(res, { errors: ['Not found: ' + url.pathname] }, 404);
  });
});
afterAll(async () => {
  await stub.close();
});

/** Runs the CLI in-process with output visible while it runs. */
function start(argv: string[], interrupt = new AbortController().signal): { stdout: Capture; stderr: Capture; code: Promise<number> } {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CliIo = { stdout, stderr, env: { FLINK_CLIENT_CONFIG: '/nonexistent/flink-client-test.json' }, cwd: ROOT, interrupt };
  return { stdout, stderr, code: runCli(['--url', stub.url, ...argv], io) };
}
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = start(argv);
  const code = await r.code;
  return { code, stdout: r.stdout.text, stderr: r.stderr.text };
}

describe('logs', () => {
  it("prints the JobManager log, --tail keeps the last lines, a TaskManager's stdout, a named file", async () => {
    jmLog = 'one\ntwo\nthree\n';
    expect(await run(['logs'])).toMatchObject({ code: 0, stdout: 'one\ntwo\nthree\n' });
    expect((await run(['logs', '--tail', '2'])).stdout).toBe('two\nthree\n');
    expect((await run(['logs', '--taskmanager', TM, '--stdout'])).stdout).toBe('hello from stdout\nline 2\n');
    expect((await run(['logs', '--file', 'flink-gc.log', '--tail', '1'])).stdout).toBe('gc 3\n');
    const nd = await run(['-o', 'ndjson', 'logs', '--tail', '1']);
    expect(nd.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([{ line: 'three' }]);
  });

  it('--list lists the log directory as a table or JSON', async () => {
    const list = await run(['-o', 'json', 'logs', '--list']);
    expect(JSON.parse(list.stdout)).toEqual([{ name: 'flink-gc.log', size: 18, mtime: 1_764_700_000_000 }, { name: 'jm.log', size: jmLog.length }]);
    const table = await run(['logs', '--list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+SIZE\s+MODIFIED$/);
    expect(table.stdout).toMatch(/flink-gc\.log\s+18 B\s+\d{4}-\d\d-\d\d/);
  });

  it('errors: a missing stdout, a missing file, conflicting flags, a file name with a path', async () => {
    const missing = await run(['logs', '--taskmanager', 'tm-2', '--stdout']);
    expect(missing.code).toBe(3); // not found (its category), like a missing --file;
    expect(missing.stderr).toMatch(/FLINK_LOG_FILE_NOT_FOUND/);
    expect((await run(['logs', '--file', 'nope.log'])).code).toBe(3);
    expect((await run(['logs', '--stdout', '--file', 'x'])).code).toBe(2);
    expect((await run(['logs', '--list', '-f'])).code).toBe(2);
    expect((await run(['logs', '--file', '../etc/passwd'])).code).toBe(2);
    expect((await run(['logs', '--tail', '0'])).code).toBe(2);
  });

  it('-f prints the last lines, then only new lines on each poll; a rotated file from its start; Ctrl-C exits 0 with no timer left', async () => {
    jmLog = Array.from({ length: 15 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const ctrlC = new AbortController();
    const requests = (n: number): Promise<void> => stub.next(/^GET \/jobmanager\/log$/, n);
    const first = requests(2);
    const r = start(['logs', '-f', '--tail', '3', '--interval', '5'], ctrlC.signal);
    await first; // the first read was printed before the second poll went out
    expect(r.stdout.text).toBe('line 13\nline 14\nline 15\n');

    const grown = requests(2);
    jmLog += 'line 16\nline 17\n';
    await grown;
    expect(r.stdout.text).toBe('line 13\nline 14\nline 15\nline 16\nline 17\n');

    const rotated = requests(3); // the poll that sees fewer lines, its re-read, and one more
    jmLog = 'fresh 1\n';
    await rotated;
    expect(r.stdout.text).toBe('line 13\nline 14\nline 15\nline 16\nline 17\nfresh 1\n');
    expect(r.stderr.text).toMatch(/rotated or truncated/);

    ctrlC.abort();
    expect(await r.code).toBe(0);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('the bin follows until SIGINT and exits 0', async () => {
    jmLog = 'a\nb\n';
    const child = spawnCli(['--url', stub.url, 'logs', '-f', '--interval', '20']);
    await child.line(/^b$/);
    const next = stub.next(/^GET \/jobmanager\/log$/, 2);
    jmLog += 'c\n';
    await next;
    await child.line(/^c$/);
    child.process.kill('SIGINT');
    expect(await child.exited).toBe(0);
    expect(child.stdout()).toBe('a\nb\nc\n');
  }, 60_000);
});
