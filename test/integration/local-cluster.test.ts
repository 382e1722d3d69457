import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { ClusterClient, ClusterDeploymentError, FlinkConnectionError, FlinkError, LocalClusterDescriptor } from 'flink-client';
import { eventually } from './support.js';

const flinkHome = inject('flink').homes['2.3.0'] ?? Object.values(inject('flink').homes)[0];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('LocalClusterDescriptor', () => {
  it('deploys a cluster whose slots are registered, and shuts it down leaving no JVM', async () => {
    const descriptor = new LocalClusterDescriptor({ flinkHome, taskManagers: 2, slots: 1 });
    await expect(descriptor.retrieve()).rejects.toMatchObject({ code: 'FLINK_CLUSTER_NOT_DEPLOYED' });
    const client = await descriptor.deploy();
    const pids = descriptor.processes.map((p) => p.pid);
    try {
      expect(descriptor.processes.map((p) => p.name)).toEqual(['jobmanager', 'taskmanager-1', 'taskmanager-2']);
      expect(await descriptor.retrieve()).toBe(client);
      const overview = await client.overview();
      expect(overview.taskmanagers).toBe(2);
      expect(overview['slots-total']).toBe(2);
      expect(new URL(client.url).hostname).toBe('127.0.0.1');
      expect(pids.every(alive)).toBe(true);
    } finally {
      await descriptor.shutdown();
    }
    expect(pids.some(alive)).toBe(false);
    expect(client.closed).toBe(true);
    await descriptor.shutdown();
  });

  it('a wait on a cluster that goes away rejects with FlinkConnectionError saying how long it was unreachable', async () => {
    const version = Object.keys(inject('flink').homes).find((v) => inject('flink').homes[v] === flinkHome) ?? '2.3.0';
    const jar = inject('flink').jars[version]?.streaming ?? (Object.values(inject('flink').jars)[0] as { streaming: string }).streaming;
    const descriptor = new LocalClusterDescriptor({ flinkHome, slots: 2 });
    const deployed = await descriptor.deploy();
    // A client of its own, with short retries, as a service on another machine would have.
    const client = new ClusterClient({ url: deployed.url, retry: { initialDelayMs: 50, maxDelayMs: 200 }, timeoutMs: 2_000 });
    try {
      const { jarId } = await client.uploadJar(jar);
      const job = await client.runJar(jarId, { args: ['--rate', '5'] });
      await job.waitFor('RUNNING', { timeoutMs: 120_000 });
      // A wait that will never be satisfied while the cluster lives, bounded to 3 s of no answer.
      const waiting = job.waitFor('FINISHED', { timeoutMs: 600_000, unreachableTimeoutMs: 3_000, pollIntervalMs: 100, maxPollIntervalMs: 500 }).catch((e: unknown) => e);
      await descriptor.shutdown();
      const err = await waiting;
      expect(err).toBeInstanceOf(FlinkConnectionError);
      const e = err as FlinkConnectionError;
      expect(e.message).toMatch(new RegExp(`^job ${job.jobId} waiting for FINISHED: the cluster was unreachable for [0-9.]+ (ms|s|min)\\b.*\\(\\d+ polls got no answer\\)`));
      expect(e.elapsedMs).toBeGreaterThanOrEqual(3_000);
      expect(e.message).toContain(new URL(deployed.url).host);
    } finally {
      await client.close();
      await descriptor.shutdown();
    }
  });

  it('names a missing or wrong FLINK_HOME', async () => {
    const err = await new LocalClusterDescriptor({ flinkHome: '/nonexistent/flink' }).deploy().catch((e) => e);
    expect(err).toBeInstanceOf(ClusterDeploymentError);
    expect(err.code).toBe('FLINK_HOME_NOT_FOUND');
    expect(err.message).toContain('/nonexistent/flink');
    const saved = process.env.FLINK_HOME;
    delete process.env.FLINK_HOME;
    try {
      await expect(new LocalClusterDescriptor().deploy()).rejects.toMatchObject({ code: 'FLINK_HOME_NOT_FOUND' });
    } finally {
      if (saved !== undefined) process.env.FLINK_HOME = saved;
    }
  });

  it('names a missing Java', async () => {
    const err = await new LocalClusterDescriptor({ flinkHome, javaHome: '/nonexistent/jdk' }).deploy().catch((e) => e);
    expect(err).toBeInstanceOf(ClusterDeploymentError);
    expect(err.code).toBe('JAVA_NOT_FOUND');
    expect(err.message).toContain('/nonexistent/jdk');
  });

  it('names a REST port that is in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = await new LocalClusterDescriptor({ flinkHome, restPort: port }).deploy().catch((e) => e);
      expect(err).toBeInstanceOf(ClusterDeploymentError);
      expect(err.code).toBe('PORT_IN_USE');
      expect(err.message).toContain(String(port));
    } finally {
      blocker.close();
    }
  });

  it('quotes the log when a process dies during start-up, and stops the rest', async () => {
    const descriptor = new LocalClusterDescriptor({ flinkHome, configuration: { 'jobmanager.memory.process.size': '64m' }, startupTimeoutMs: 90_000 });
    const err = await descriptor.deploy().catch((e) => e);
    expect(err).toBeInstanceOf(ClusterDeploymentError);
    expect(err.code).toBe('PROCESS_EXITED');
    expect(err.logExcerpt.length).toBeGreaterThan(0);
    expect(err.logExcerpt.join('\n')).toMatch(/memory|Exception|ERROR/i);
    expect(descriptor.processes).toHaveLength(0);
    // A failed deploy removes its temporary working directory too.
    expect(descriptor.workDir === undefined || !existsSync(descriptor.workDir)).toBe(true);
  });

  it('rejects bad sizes before starting anything', async () => {
    await expect(new LocalClusterDescriptor({ flinkHome, slots: 0 }).deploy()).rejects.toBeInstanceOf(FlinkError);
  });

  describe.each(['exit', 'hang'])('when the Node process that deployed it goes away (%s)', (mode) => {
    it('leaves no orphan JVM', async () => {
      const script = fileURLToPath(new URL('./fixtures/deploy-and-leave.ts', import.meta.url));
      // `node --import tsx` keeps the deployer in this one process (the tsx CLI would fork a child).
      const child = spawn(process.execPath, ['--import', 'tsx', script, flinkHome as string, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((r) => child.once('exit', r));
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const line = await eventually(() => out, (o) => o.includes('\n'), 120_000, 'child deployed');
      const { pids, workDir } = JSON.parse(line.split('\n')[0] as string) as { pids: number[]; workDir: string };
      expect(existsSync(workDir)).toBe(true);
      expect(pids.length).toBe(2);
      expect(pids.every(alive)).toBe(true);
      // An exiting process stops its JVMs in its exit hook; a killed one is covered by the watchdog.
      if (mode === 'hang') child.kill('SIGKILL');
      await exited;
      await eventually(() => pids.filter(alive), (left) => left.length === 0, 30_000, 'JVMs gone');
      // The watchdog also removes the temporary working directory once the JVMs are gone.
      await eventually(() => existsSync(workDir), (exists) => !exists, 30_000, 'work directory removed');
    });
  });
});
