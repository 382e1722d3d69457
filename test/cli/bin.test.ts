import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlinkSimulator, fixturePrograms, type FlinkSimulator } from 'flink-client/testing';
import { type Child, nextRequest, spawnCli, tempJar } from './support.js';

// The CLI as a real process (node + tsx on the source; test/package/cli.test.ts runs the built
// bin): the simulator as the CLI's own `simulate` child, exit codes, output formats, and Ctrl-C
// (SIGINT) during a wait ending the process cleanly.

const done = async (child: Child): Promise<{ code: number; stdout: string; stderr: string }> => {
  const code = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
};

describe('flink-client simulate as a child process', () => {
  let simulator: Child;
  let info: { url: string; controlUrl: string; flinkVersion: string };
  let jar: ReturnType<typeof tempJar>;

  beforeAll(async () => {
    jar = tempJar();
    simulator = spawnCli(['simulate', '--port', '0', '--timing', 'fast', '-o', 'json']);
    info = JSON.parse(await simulator.line(/"url"/)) as typeof info;
  });
  afterAll(async () => {
    if (simulator.process.exitCode === null) {
      simulator.process.kill('SIGKILL');
      await simulator.exited;
    }
    jar.cleanup();
  });

  it('serves the REST API and the control API; commands run against it as processes', async () => {
    expect(info.flinkVersion).toBe('2.3.0');
    const deploy = await done(spawnCli(['--url', info.url, '-o', 'json', 'deploy', jar.jar]));
    expect(deploy.code, deploy.stderr).toBe(0);
    const { jobId } = JSON.parse(deploy.stdout) as { jobId: string };
    // Off a terminal, progress is plain lines on stderr, never control sequences.
    expect(deploy.stderr).toContain(`submitted job ${jobId}`);
    expect(deploy.stderr).not.toContain('\u001b[');

    const list = await done(spawnCli(['-o', 'ndjson', 'jobs', 'list'], { env: { FLINK_URL: info.url } }));
    expect(list.code).toBe(0);
    const jobs = list.stdout.trim().split('\n').map((l) => JSON.parse(l) as { jid: string; state: string });
    expect(jobs.find((j) => j.jid === jobId)?.state).toBe('RUNNING');

    const state = (await (await fetch(`${info.controlUrl}/state`)).json()) as { jobs: Array<{ id: string }> };
    expect(state.jobs.map((j) => j.id)).toContain(jobId);
    const finished = await fetch(`${info.controlUrl}/jobs/${jobId}/finish`, { method: 'POST' });
    expect(((await finished.json()) as { status: string }).status).toBe('FINISHED');
    const unknown = await fetch(`${info.controlUrl}/jobs/ffffffffffffffffffffffffffffffff/finish`, { method: 'POST' });
    expect(unknown.status).toBe(404);

    const describeRun = await done(spawnCli(['--url', info.url, '-o', 'json', 'jobs', 'describe', jobId]));
    expect((JSON.parse(describeRun.stdout) as { state: string }).state).toBe('FINISHED');
  }, 120_000); // five CLI processes start through tsx: on a loaded 2-core machine that takes long; the deadline only guards against a hang

  it('exit codes of the process: 0 help/version, 2 usage, 3 not found, 6 connection', async () => {
    expect((await done(spawnCli(['--version']))).code).toBe(0);
    expect((await done(spawnCli(['jobs', '--help']))).code).toBe(0);
    const usage = await done(spawnCli(['jobs', 'list', '--bogus']));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown option '--bogus'/);
    const notFound = await done(spawnCli(['--url', info.url, 'jobs', 'describe', 'ffffffffffffffffffffffffffffffff']));
    expect(notFound.code).toBe(3);
    expect(notFound.stderr).toMatch(/^error \[FLINK_JOB_NOT_FOUND\]/m);
    expect(notFound.stderr).not.toMatch(/\n\s+at /);
    const refused = await done(spawnCli(['--url', 'http://127.0.0.1:1', '--timeout', '5s', 'cluster', 'overview']));
    expect(refused.code).toBe(6);
  }, 120_000); // five CLI processes start through tsx: on a loaded 2-core machine that takes long; the deadline only guards against a hang

  it('SIGINT stops the simulator cleanly: exit 0', async () => {
    simulator.process.kill('SIGINT');
    const end = await done(simulator);
    expect(end.code).toBe(0);
    expect(end.stderr).toContain('stopping the simulator');
  });
});

describe('Ctrl-C during a wait', () => {
  let sim: FlinkSimulator;
  beforeAll(async () => {
    // The virtual clock stands still: a savepoint stays in progress until the test moves it.
    sim = await createFlinkSimulator({ clock: 'virtual', programs: fixturePrograms });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('stops waiting, says the stop goes on with its trigger id, exits 130; --resume finishes it', async () => {
    const job = sim.jobs.submit({ name: 'slow', durationMs: 'unbounded' });
    sim.clock.advance(10_000);
    const polling = nextRequest(sim, (r) => r.method === 'GET' && r.path.includes('/savepoints/'));
    const child = spawnCli(['--url', sim.url, 'jobs', 'stop', job.id]);
    await polling;
    child.process.kill('SIGINT');
    const end = await done(child);
    const triggerId = sim.operations.list()[0]?.triggerId as string;
    expect(end.code).toBe(130);
    expect(end.stderr).toContain('goes on in Flink');
    expect(end.stderr).toContain(`flink-client jobs stop ${job.id} --resume ${triggerId}`);
    expect(end.stdout).toBe('');
    expect(job.status).toBe('RUNNING');

    sim.clock.advance(10_000);
    const resumed = await done(spawnCli(['--url', sim.url, '-o', 'json', 'jobs', 'stop', job.id, '--resume', triggerId]));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(sim.savepoints.has((JSON.parse(resumed.stdout) as { location: string }).location)).toBe(true);
  });
});
