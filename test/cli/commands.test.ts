import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { createFlinkSimulator, FIXTURE_JARS, fixturePrograms, type FlinkSimulator } from 'flink-client/testing';
import { Capture, cli, nextRequest, ROOT, tempJar } from './support.js';

// Every command in-process (the code the bin runs) against the simulator: JSON output parsed and
// asserted, exit codes, tables. The bin as a real process is in bin.test.ts.

let sim: FlinkSimulator;
let sim1: FlinkSimulator;
let jar: ReturnType<typeof tempJar>;
let url: string[];

beforeAll(async () => {
  sim = await createFlinkSimulator({ timing: 'fast', programs: fixturePrograms, scheduler: 'adaptive' });
  sim1 = await createFlinkSimulator({ timing: 'fast', programs: fixturePrograms, flinkVersion: '1.20.5' });
  jar = tempJar();
  url = ['--url', sim.url];
});
afterAll(async () => {
  await sim.close();
  await sim1.close();
  jar.cleanup();
});

const json = async (argv: string[]): Promise<unknown> => {
  const run = await cli([...url, '-o', 'json', ...argv]);
  expect(run.stderr, run.stderr).not.toMatch(/error/);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
};

async function deployed(): Promise<string> {
  const out = (await json(['deploy', jar.jar, '-p', '2'])) as { jobId: string };
  return out.jobId;
}

describe('cluster', () => {
  it('overview, config, taskmanagers as JSON', async () => {
    const overview = (await json(['cluster', 'overview'])) as Record<string, unknown>;
    expect(overview['flink-version']).toBe('2.3.0');
    const config = (await json(['cluster', 'config', '--filter', 'savepoint'])) as Array<{ key: string; value: string }>;
    expect(config.length).toBeGreaterThan(0);
    expect(config.every((e) => e.key.includes('savepoint'))).toBe(true);
    const tms = (await json(['cluster', 'taskmanagers'])) as Array<{ slotsNumber: number }>;
    expect(tms).toHaveLength(1);
    expect(tms[0]?.slotsNumber).toBe(2);
  });

  it('overview as a table of key/value pairs, no colour off a terminal', async () => {
    const run = await cli([...url, 'cluster', 'overview']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^flink version\s+2\.3\.0/m);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('shutdown needs --yes (usage error, nothing sent)', async () => {
    sim.clearRequests();
    const run = await cli([...url, 'cluster', 'shutdown']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--yes/);
    expect(sim.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
  });
});

describe('jars and deploy', () => {
  it('upload, list, run, delete', async () => {
    const { jarId } = (await json(['jars', 'upload', jar.jar])) as { jarId: string };
    const list = (await json(['jars', 'list'])) as Array<{ id: string; name: string }>;
    expect(list.map((j) => j.id)).toContain(jarId);
    const { jobId } = (await json(['jars', 'run', jarId, '-p', '1', '--wait-ready'])) as { jobId: string };
    expect(sim.jobs.get(jobId).status).toBe('RUNNING');
    expect(sim.jobs.get(jobId).parallelism).toBe(1);
    expect(await json(['jars', 'delete', jarId])).toEqual({ jarId, deleted: true });
    expect(sim.jars.find(jarId)).toBeUndefined();
    expect((await cli([...url, 'jars', 'delete', jarId])).code).toBe(3);
  });

  it('deploy uploads, runs, waits for all tasks and deletes the jar; from a savepoint with -s', async () => {
    const jobId = await deployed();
    const job = sim.jobs.get(jobId);
    expect(job.status).toBe('RUNNING');
    expect(job.parallelism).toBe(2);
    expect(sim.jars.list().filter((j) => j.name === FIXTURE_JARS.streaming.jarName)).toHaveLength(0);
    const { location } = (await json(['jobs', 'stop', jobId])) as { location: string };
    const resumed = (await json(['deploy', jar.jar, '-s', location, '--claim-mode', 'NO_CLAIM'])) as { jobId: string; jarDeleted: boolean };
    expect(resumed.jarDeleted).toBe(true);
    expect(sim.jobs.get(resumed.jobId).restoredFrom).toBe(location);
    await cli([...url, 'jobs', 'cancel', resumed.jobId, '--wait']);
  });

  it('deploy of a missing file is a usage error', async () => {
    const run = await cli([...url, 'deploy', '/nonexistent/job.jar']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read \/nonexistent\/job\.jar/);
  });
});

describe('jobs', () => {
  it('list, describe, checkpoints, exceptions, rescale, savepoint, stop', async () => {
    const jobId = await deployed();
    const list = (await json(['jobs', 'list', '--state', 'running'])) as Array<{ jid: string; state: string }>;
    expect(list.map((j) => j.jid)).toContain(jobId);
    expect(list.every((j) => j.state === 'RUNNING')).toBe(true);
    const ndjson = await cli([...url, '-o', 'ndjson', 'jobs', 'list']);
    const lines = ndjson.stdout.trim().split('\n').map((l) => JSON.parse(l) as { jid: string });
    expect(lines.map((l) => l.jid)).toContain(jobId);

    const details = (await json(['jobs', 'describe', jobId])) as { jid: string; vertices: unknown[] };
    expect(details.jid).toBe(jobId);
    expect(details.vertices.length).toBeGreaterThan(0);
    const checkpoints = (await json(['jobs', 'checkpoints', jobId])) as { counts: { completed: number } };
    expect(typeof checkpoints.counts.completed).toBe('number');
    const exceptions = (await json(['jobs', 'exceptions', jobId, '--max', '5'])) as { exceptionHistory: { entries: unknown[] } };
    expect(exceptions.exceptionHistory.entries).toEqual([]);
    expect(await json(['jobs', 'rescale', jobId, '-p', '1'])).toEqual({ jobId, parallelism: 1 });

    const sp = (await json(['jobs', 'savepoint', jobId, '--dir', 'file:///tmp/flink-cli-test/sp'])) as { location: string; triggerId: string };
    expect(sp.location).toMatch(/^file:\/tmp\/flink-cli-test\/sp\/savepoint-/);
    expect(sim.savepoints.has(sp.location)).toBe(true);
    // --resume waits on the same trigger: the same location, no second savepoint.
    const again = (await json(['jobs', 'savepoint', jobId, '--resume', sp.triggerId])) as { location: string };
    expect(again.location).toBe(sp.location);

    const detached = (await json(['jobs', 'stop', jobId, '--detach'])) as { triggerId: string };
    const stopped = (await json(['jobs', 'stop', jobId, '--resume', detached.triggerId])) as { location: string };
    expect(sim.savepoints.has(stopped.location)).toBe(true);
    expect(sim.jobs.get(jobId).status).toBe('FINISHED');
  });

  it('exit codes: not found 3, conflict 4, usage 2, connection 6', async () => {
    const unknown = await cli([...url, 'jobs', 'describe', 'ffffffffffffffffffffffffffffffff']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/^error \[FLINK_JOB_NOT_FOUND\]: .*not found/m);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);

    const jobId = await deployed();
    await cli([...url, 'jobs', 'cancel', jobId, '--wait']);
    const ended = await cli([...url, 'jobs', 'savepoint', jobId]);
    expect(ended.code).toBe(4);
    expect(ended.stderr).toMatch(/FLINK_UNREACHABLE_STATE/);

    expect((await cli([...url, 'jobs', 'describe', 'not-an-id'])).code).toBe(2);
    expect((await cli([...url, 'jobs', 'nope'])).code).toBe(2);
    expect((await cli([...url, 'jobs', 'rescale', jobId, '-p', 'zero'])).code).toBe(2);
    expect((await cli([...url, '-o', 'yaml', 'jobs', 'list'])).code).toBe(2);
    expect((await cli(['--url', 'ftp://x', 'jobs', 'list'])).code).toBe(2);

    const refused = await cli(['--url', 'http://127.0.0.1:1', '--timeout', '5s', 'jobs', 'list']);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toMatch(/FLINK_CONNECTION_ERROR/);
  });

  it('--verbose adds the stack trace and request id', async () => {
    const run = await cli([...url, '--verbose', 'jobs', 'describe', 'ffffffffffffffffffffffffffffffff']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/request id: /);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it('watch of one job prints each change until it ends', async () => {
    const jobId = await deployed();
    const polled = nextRequest(sim, (r) => r.path.endsWith('/jobs/overview'), 2);
    const watching = cli([...url, '-o', 'ndjson', 'jobs', 'watch', jobId, '--interval', '20']);
    await polled; // the first poll's state is reported by now
    sim.jobs.get(jobId).finish();
    const run = await watching;
    expect(run.code).toBe(0);
    const changes = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { status: string; jobId: string });
    expect(changes[0]).toMatchObject({ jobId, status: 'RUNNING' });
    expect(changes.at(-1)).toMatchObject({ jobId, status: 'FINISHED' });
  });

  it('watch of every job runs until interrupted, then exits 0', async () => {
    const interrupt = new AbortController();
    const jobId = await deployed();
    const polled = nextRequest(sim, (r) => r.path.endsWith('/jobs/overview'), 2);
    const watching = cli([...url, '-o', 'ndjson', 'jobs', 'watch', '--interval', '20'], { interrupt: interrupt.signal });
    await polled;
    interrupt.abort();
    const run = await watching;
    expect(run.code).toBe(0);
    const added = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; jobId: string; initial: boolean });
    expect(added.find((c) => c.jobId === jobId)).toMatchObject({ type: 'added', initial: true });
  });

  it('tables are cut to the terminal width and coloured only on a terminal', async () => {
    await deployed();
    const narrow = await cli([...url, 'jobs', 'list'], { tty: true, columns: 90, env: { FORCE_COLOR: '' } });
    expect(narrow.code).toBe(0);
    const visible = narrow.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    for (const line of visible.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(90);
    expect(visible).toContain('…');
    expect(narrow.stdout).toContain('\u001b[32mRUNNING');
    const noColor = await cli([...url, '--no-color', 'jobs', 'list'], { tty: true, columns: 90 });
    expect(noColor.stdout).not.toContain('\u001b[');
    const piped = await cli([...url, 'jobs', 'list']);
    expect(piped.stdout).toContain(FIXTURE_JARS.streaming.jobNames[0]);
    expect(piped.stdout).not.toContain('…');
  });
});

describe('apps', () => {
  it('run, list, describe, cancel on 2.3', async () => {
    const { jarId } = (await json(['jars', 'upload', jar.jar])) as { jarId: string };
    const { applicationId, status } = (await json(['apps', 'run', jarId, '--wait-running'])) as { applicationId: string; status: string };
    expect(status).toBe('RUNNING');
    const list = (await json(['apps', 'list'])) as Array<{ applicationId: string; emulated: boolean }>;
    expect(list.find((a) => a.applicationId === applicationId)?.emulated).toBe(false);
    const d = (await json(['apps', 'describe', applicationId])) as { status: string; jobs: unknown[] };
    expect(d.status).toBe('RUNNING');
    const cancelled = (await json(['apps', 'cancel', applicationId, '--wait'])) as { status: string };
    expect(cancelled.status).toBe('CANCELED');
    expect((await cli([...url, 'apps', 'describe', 'ffffffffffffffffffffffffffffffff'])).code).toBe(3);
  });

  it('watch of an application prints each change as NDJSON until it ends', async () => {
    const { jarId } = (await json(['jars', 'upload', jar.jar])) as { jarId: string };
    const { applicationId } = (await json(['apps', 'run', jarId, '--wait-running'])) as { applicationId: string };
    const polled = nextRequest(sim, (r) => r.method === 'GET' && r.path.includes('/applications'), 2);
    const watching = cli([...url, '-o', 'ndjson', 'apps', 'watch', applicationId, '--interval', '20']);
    await polled;
    sim.applications.get(applicationId).cancel();
    const run = await watching;
    expect(run.code, run.stderr).toBe(0);
    const changes = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { status: string; applicationId: string });
    expect(changes[0]).toMatchObject({ applicationId, status: 'RUNNING' });
    expect(changes.at(-1)).toMatchObject({ applicationId, status: 'CANCELED' });
  });

  it('on 1.20 jobs are emulated single-job applications and apps run is a usage error', async () => {
    const url1 = ['--url', sim1.url, '-o', 'json'];
    const deploy = await cli([...url1, 'deploy', jar.jar]);
    expect(deploy.code).toBe(0);
    const { jobId } = JSON.parse(deploy.stdout) as { jobId: string };
    const apps = JSON.parse((await cli([...url1, 'apps', 'list'])).stdout) as Array<{ applicationId: string; emulated: boolean }>;
    expect(apps.find((a) => a.applicationId === jobId)?.emulated).toBe(true);
    const { jarId } = JSON.parse((await cli([...url1, 'jars', 'upload', jar.jar])).stdout) as { jarId: string };
    const run = await cli([...url1, 'apps', 'run', jarId]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/FLINK_UNSUPPORTED_FEATURE/);
  });
});

describe('waits and Ctrl-C', () => {
  it('Ctrl-C during a savepoint wait stops waiting, names the trigger id, exits 130; --resume picks it up', async () => {
    const slow = await createFlinkSimulator({ clock: 'virtual', programs: fixturePrograms });
    try {
      const job = slow.jobs.submit({ name: 'slow', durationMs: 'unbounded' });
      slow.clock.advance(10_000);
      expect(job.status).toBe('RUNNING');
      const interrupt = new AbortController();
      // The virtual clock stands still: the savepoint stays in progress until the test moves it.
      const polling = nextRequest(slow, (r) => r.method === 'GET' && r.path.includes('/savepoints/'));
      const waiting = cli(['--url', slow.url, 'jobs', 'savepoint', job.id], { interrupt: interrupt.signal });
      await polling;
      interrupt.abort();
      const run = await waiting;
      const triggerId = slow.operations.list()[0]?.triggerId as string;
      expect(run.code).toBe(130);
      expect(run.stderr).toContain('goes on in Flink');
      expect(run.stderr).toContain(`--resume ${triggerId}`);
      slow.clock.advance(10_000);
      const resumed = await cli(['--url', slow.url, '-o', 'json', 'jobs', 'savepoint', job.id, '--resume', triggerId]);
      expect(resumed.code).toBe(0);
      expect(slow.savepoints.has((JSON.parse(resumed.stdout) as { location: string }).location)).toBe(true);
    } finally {
      await slow.close();
    }
  });

  it('--timeout bounds a wait: exit code 5', async () => {
    const slow = await createFlinkSimulator({ clock: 'virtual', programs: fixturePrograms });
    try {
      const job = slow.jobs.submit({ name: 'slow', durationMs: 'unbounded' });
      slow.clock.advance(10_000);
      const run = await cli(['--url', slow.url, '--timeout', '300ms', 'jobs', 'savepoint', job.id]);
      expect(run.code).toBe(5);
      expect(run.stderr).toMatch(/FLINK_TIMEOUT/);
    } finally {
      await slow.close();
    }
  });
});

describe('connection settings', () => {
  it('FLINK_URL and a named context from the contexts file', async () => {
    const fromEnv = await cli(['-o', 'json', 'cluster', 'overview'], { env: { FLINK_URL: sim.url } });
    expect(fromEnv.code).toBe(0);
    const { writeFileSync } = await import('node:fs');
    const file = `${jar.dir}/contexts.json`;
    writeFileSync(file, JSON.stringify({ current: 'old', contexts: { old: { url: sim1.url }, new: { url: [sim.url] } } }));
    const current = await cli(['--config', file, '-o', 'json', 'cluster', 'overview']);
    expect((JSON.parse(current.stdout) as Record<string, string>)['flink-version']).toBe('1.20.5');
    const named = await cli(['--config', file, '--context', 'new', '-o', 'json', 'cluster', 'overview']);
    expect((JSON.parse(named.stdout) as Record<string, string>)['flink-version']).toBe('2.3.0');
    const missing = await cli(['--config', file, '--context', 'nope', 'cluster', 'overview']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no context named "nope"/);
  });

  it('credentials never appear in errors', async () => {
    const run = await cli(['--url', 'http://127.0.0.1:1', '--token', 's3cr3t-token', '--timeout', '2s', '--verbose', 'jobs', 'list']);
    expect(run.code).toBe(6);
    expect(run.stderr).not.toContain('s3cr3t-token');
  });

  it('--help of every command of the tree (walked from the program) has examples', async () => {
    const program = buildProgram({ stdout: new Capture(), stderr: new Capture(), env: {}, cwd: ROOT, interrupt: new AbortController().signal });
    const walk = (cmd: Command, path: string[]): string[][] => [path, ...cmd.commands.flatMap((c) => walk(c, [...path, c.name()]))];
    const paths = walk(program, []);
    // The tree has every command family of the issue (a floor, not the list: new commands are walked too).
    expect(paths.length).toBeGreaterThan(30);
    for (const command of paths) {
      const run = await cli([...command, '--help']);
      expect(run.code, command.join(' ')).toBe(0);
      expect(run.stdout, command.join(' ')).toMatch(/\nExamples:\n {2}(\$|#) /);
      const examples = run.stdout.slice(run.stdout.indexOf('\nExamples:'));
      expect(examples, command.join(' ')).toMatch(/\$ (\S+=\S+ )?(source <\()?flink-client /);
    }
  });
});
