import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClusterClient, FlinkBadRequestError, FlinkServerError, JobFailedError } from 'flink-client';
import { buildJar, createFlinkSimulator, FIXTURE_JARS, type FlinkSimulator, ProgramRegistry, type SimulatedJobStatus } from 'flink-client/testing';
import { assertSimulatorBodiesStrict } from './support/wire.js';

// Scripted programs (what a jar's main() does) and the job handles tests drive.

let sim: FlinkSimulator;
let cluster: ClusterClient;

async function start(options: Parameters<typeof createFlinkSimulator>[0] = {}): Promise<void> {
  sim = await createFlinkSimulator({ clock: 'virtual', ...options });
  cluster = new ClusterClient({ url: sim.url, validation: 'strict' });
}

afterEach(async () => {
  if (sim && !sim.closed) assertSimulatorBodiesStrict(sim);
  await cluster?.close();
  await sim?.close();
});

function statuses(): Array<[string, SimulatedJobStatus]> {
  return sim.jobs.list().map((j) => [j.name, j.status] as [string, SimulatedJobStatus]).sort();
}

describe('programs', () => {
  it('sequence mode submits each job once the previous one ended', async () => {
    await start();
    const jar = sim.jars.add({ name: 'etl.jar', mainClass: 'com.example.Etl', program: { jobs: [{ name: 'a', durationMs: 1_000 }, { name: 'b', durationMs: 1_000 }], mode: 'sequence' } });
    // Several jobs in one run: let Flink pick their ids (a fixed jobId applies to every execute()).
    const first = await cluster.runJar(jar.id, { jobId: null });
    expect(sim.jobs.get(first.jobId).name).toBe('a');
    sim.clock.advance(500);
    expect(statuses()).toEqual([['a', 'RUNNING']]);
    sim.clock.advance(1_000);
    expect(statuses()).toEqual([
      ['a', 'FINISHED'],
      ['b', 'RUNNING'],
    ]);
    sim.clock.advance(2_000);
    expect(statuses()).toEqual([
      ['a', 'FINISHED'],
      ['b', 'FINISHED'],
    ]);
  });

  it('parallel mode submits every job at once', async () => {
    await start();
    sim.programs.register('com.example.Fan', { jobs: [{ name: 'x' }, { name: 'y' }, { name: 'z', durationMs: 100 }], mode: 'parallel' });
    const jar = sim.jars.add({ name: 'fan.jar', mainClass: 'com.example.Fan' });
    await cluster.runJar(jar.id, { jobId: null });
    sim.clock.advance(1_000);
    expect(statuses()).toEqual([
      ['x', 'RUNNING'],
      ['y', 'RUNNING'],
      ['z', 'FINISHED'],
    ]);
  });

  it('throwBefore fails the run; throwAfter fails it too, but the submitted jobs run on', async () => {
    await start();
    sim.programs.register('com.example.Before', { throwBefore: { className: 'java.io.IOException', message: 'no config' } });
    // /jars/run answers once main() returned (detached execution), so a later throw still fails it.
    sim.programs.register('com.example.After', {
      steps: [
        { type: 'submit', job: { name: 'kept' } },
        { type: 'sleep', ms: 500 },
        { type: 'throw', exception: 'bad state after submit' },
      ],
    });
    const before = await cluster.runJar(sim.jars.add({ name: 'before.jar', mainClass: 'com.example.Before' }).id).catch((e: unknown) => e);
    expect(before).toBeInstanceOf(FlinkBadRequestError);
    expect((before as FlinkBadRequestError).errors[0]).toContain('Caused by: java.io.IOException: no config');
    const afterJar = sim.jars.add({ name: 'after.jar', mainClass: 'com.example.After' });
    const pending = cluster.runJar(afterJar.id).catch((e: unknown) => e);
    await vi.waitFor(() => expect(sim.requestsInFlight).toBe(1));
    await sim.clock.runFor(500);
    const after = await pending;
    expect(after).toBeInstanceOf(FlinkBadRequestError);
    expect((after as FlinkBadRequestError).errors[0]).toContain('Caused by: java.lang.IllegalArgumentException: bad state after submit');
    sim.clock.advance(500);
    expect(statuses()).toEqual([['kept', 'RUNNING']]);
  });

  it('a job that fails with restarts goes RUNNING → RESTARTING → RUNNING before it FAILS', async () => {
    await start();
    const job = sim.jobs.submit({ name: 'flaky', fail: { afterMs: 100, restarts: 2, exception: { className: 'java.lang.ArithmeticException', message: '/ by zero' } } });
    const seen: string[] = [];
    sim.on('jobStatus', (e) => e.jobId === job.id && seen.push(e.status));
    sim.clock.advance(10_000);
    expect(seen).toEqual(['CREATED', 'RUNNING', 'RESTARTING', 'RUNNING', 'RESTARTING', 'RUNNING', 'FAILING', 'FAILED']);
    const exceptions = await cluster.job(job.id).exceptions();
    expect(exceptions.exceptionHistory.entries.map((e) => e.exceptionName)).toEqual(['org.apache.flink.runtime.JobException', 'java.lang.ArithmeticException', 'java.lang.ArithmeticException']);
    const err = await cluster.job(job.id).result().catch((e: unknown) => e);
    expect((err as JobFailedError).rootCause).toEqual({ className: 'java.lang.ArithmeticException', message: '/ by zero' });
  });

  it('lets the test drive a job: finish, fail, restart, cancel, suspend/recover, accumulators', async () => {
    await start();
    const a = sim.jobs.submit({ name: 'a' });
    const b = sim.jobs.submit({ name: 'b' });
    const c = sim.jobs.submit({ name: 'c' });
    const d = sim.jobs.submit({ name: 'd', checkpointing: { intervalMs: 100 } });
    sim.clock.advance(200);
    a.setAccumulator('rows', 42, 'IntCounter');
    a.finish();
    b.fail('broken pipe');
    c.restart('node lost');
    expect(c.status).toBe('RESTARTING');
    sim.clock.advance(2_000);
    expect(c.status).toBe('RUNNING');
    c.cancel();
    d.suspend();
    expect(d.status).toBe('SUSPENDED');
    expect(d.isGloballyTerminal).toBe(false);
    d.recover();
    sim.clock.advance(1_000);
    expect([a.status, b.status, c.status, d.status]).toEqual(['FINISHED', 'FAILED', 'CANCELED', 'RUNNING']);
    expect(d.restoredFrom).toMatch(/\/chk-\d+$/);
    expect((await cluster.job(a.id).result()).accumulators).toEqual({ rows: { type: 'IntCounter', value: '42' } });
    expect((await cluster.job(c.id).exceptions()).exceptionHistory.entries[0]).toMatchObject({ exceptionName: 'org.apache.flink.util.FlinkException', stacktrace: expect.stringContaining('node lost') });
    await expect(cluster.job(b.id).result()).rejects.toBeInstanceOf(JobFailedError);
  });

  it('passes the run to program functions (arguments, parallelism, configuration, savepoint)', async () => {
    await start();
    const contexts: unknown[] = [];
    sim.programs.register('com.example.Args', (ctx) => {
      contexts.push({ args: ctx.args, name: ctx.arg('name'), parallelism: ctx.parallelism, configuration: ctx.configuration, submission: ctx.submission, entryClass: ctx.entryClass });
      return { jobs: [{ name: ctx.arg('name') ?? 'unnamed' }] };
    });
    const jar = sim.jars.add({ name: 'args.jar', mainClass: 'com.example.Args' });
    const job = await cluster.runJar(jar.id, { args: ['--name', 'hello'], parallelism: 3, configuration: { 'pipeline.name': 'p' } });
    expect(contexts).toEqual([{ args: ['--name', 'hello'], name: 'hello', parallelism: 3, configuration: { 'pipeline.name': 'p' }, submission: 'run', entryClass: 'com.example.Args' }]);
    expect(sim.jobs.get(job.jobId)).toMatchObject({ name: 'hello', parallelism: 3, configuration: { 'pipeline.name': 'p' }, entryClass: 'com.example.Args', jarId: jar.id });
    // A program function that throws is main() throwing.
    sim.programs.register('com.example.Boom', () => {
      throw new Error('bad arguments');
    });
    const boom = await cluster.runJar(sim.jars.add({ name: 'boom.jar', mainClass: 'com.example.Boom' }).id).catch((e: unknown) => e);
    expect((boom as FlinkBadRequestError).errors[0]).toContain('bad arguments');
  });

  it('runs an unregistered Main-Class with the default program, but 500s for classes the jar lacks', async () => {
    await start({ defaultProgram: { jobs: [{ name: 'default-job', durationMs: 10 }] } });
    const bytes = buildJar({ mainClass: 'com.acme.Job', classes: ['com.acme.Other'] });
    const jar = sim.jars.add({ name: 'acme.jar', bytes });
    expect(jar.mainClass).toBe('com.acme.Job');
    expect(jar.classes).toEqual(['com.acme.Job', 'com.acme.Other']);
    const job = await cluster.runJar(jar.id);
    expect(sim.jobs.get(job.jobId).name).toBe('default-job');
    await cluster.runJar(jar.id, { entryClass: 'com.acme.Other' });
    await expect(cluster.runJar(jar.id, { entryClass: 'com.acme.Missing' })).rejects.toBeInstanceOf(FlinkServerError);
    const noManifest = sim.jars.add({ name: 'plain.jar', bytes: buildJar() });
    const err = await cluster.runJar(noManifest.id).catch((e: unknown) => e);
    expect((err as FlinkServerError).errors[1]).toContain("Neither a 'Main-Class', nor a 'program-class' entry was found in the jar file.");
  });

  it('resolves fixture jars by file name when an upload has no readable manifest', async () => {
    await start();
    sim.programs.registerAll([{ entryClass: FIXTURE_JARS.bounded.entryClass, jarNames: [FIXTURE_JARS.bounded.jarName], program: { jobs: [{ name: 'by-name' }] } }]);
    const jar = sim.jars.add({ name: 'bounded-accumulator.jar', bytes: new Uint8Array([1, 2, 3]) });
    expect(jar.mainClass).toBe(FIXTURE_JARS.bounded.entryClass);
    expect((await cluster.listJars())[0]?.entry).toEqual([{ name: FIXTURE_JARS.bounded.entryClass, description: null }]);
  });

  it('has a registry API', () => {
    const registry = new ProgramRegistry();
    registry.register('a.B', { jobs: [] }, { jarNames: ['b.jar'] });
    expect(registry.has('a.B')).toBe(true);
    expect(registry.list()).toEqual(['a.B']);
    expect(registry.entryClassForJarName('b.jar')).toBe('a.B');
    expect(registry.unregister('a.B')).toBe(true);
    expect(registry.entryClassForJarName('b.jar')).toBeUndefined();
    expect(() => registry.register('', { jobs: [] })).toThrow(TypeError);
  });

  it('waits for jobs a program submits later', async () => {
    await start();
    sim.programs.register('com.example.Later', { sleepMs: 1_000, jobs: [{ name: 'later' }] });
    const app = await fetch(`${sim.url}/v1/jars/${sim.jars.add({ name: 'later.jar', mainClass: 'com.example.Later' }).id}/run-application`, { method: 'POST' });
    expect(app.status).toBe(202);
    const waiting = sim.jobs.waitFor({ name: 'later', status: 'RUNNING' }, { timeoutMs: 2_000 });
    sim.clock.advance(2_000);
    const job = await waiting;
    expect(job.applicationId).toBe(((await app.json()) as { applicationid: string }).applicationid);
    await expect(sim.jobs.waitFor({ name: 'never' }, { timeoutMs: 20 })).rejects.toThrow(/no matching job/);
  });
});
