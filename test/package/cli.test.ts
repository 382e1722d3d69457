import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Child, ROOT, spawnCli, tempJar } from '../cli/support.js';

// The built bin (dist/cli.js, package.json "bin") as users run it: it resolves the SDK through
// the package's own exports map, so this also proves the CLI needs nothing but the public API.

const BIN = join(ROOT, 'dist/cli.js');
const done = async (child: Child): Promise<{ code: number; stdout: string; stderr: string }> => ({ code: await child.exited, stdout: child.stdout(), stderr: child.stderr() });

describe('the flink-client bin', () => {
  it('is declared in package.json, built with a shebang, executable', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin['flink-client']).toBe('./dist/cli.js');
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(BIN).mode & 0o111).not.toBe(0);
    // One copy of the SDK: the bin imports it by name instead of bundling it.
    expect(readFileSync(BIN, 'utf8')).toMatch(/from "flink-client"/);
  });

  it('--version, --help, a usage error', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect((await done(spawnCli(['--version'], { bin: BIN }))).stdout.trim()).toBe(pkg.version);
    const help = await done(spawnCli(['--help'], { bin: BIN }));
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:/);
    expect((await done(spawnCli(['jobs', 'frobnicate'], { bin: BIN }))).code).toBe(2);
  });

  it('simulate, deploy, jobs list -o json, stop; SIGINT ends the simulator with 0', async () => {
    const jar = tempJar();
    const simulator = spawnCli(['simulate', '--port', '0', '--timing', 'fast', '-o', 'json'], { bin: BIN });
    try {
      const { url } = JSON.parse(await simulator.line(/"url"/)) as { url: string };
      const deploy = await done(spawnCli(['--url', url, '-o', 'json', 'deploy', jar.jar], { bin: BIN }));
      expect(deploy.code, deploy.stderr).toBe(0);
      const { jobId } = JSON.parse(deploy.stdout) as { jobId: string };
      const list = await done(spawnCli(['--url', url, '-o', 'json', 'jobs', 'list'], { bin: BIN }));
      expect((JSON.parse(list.stdout) as Array<{ jid: string }>).map((j) => j.jid)).toContain(jobId);
      const stop = await done(spawnCli(['--url', url, '-o', 'json', 'jobs', 'stop', jobId], { bin: BIN }));
      expect(stop.code, stop.stderr).toBe(0);
      expect((JSON.parse(stop.stdout) as { location: string }).location).toMatch(/savepoint-/);
      simulator.process.kill('SIGINT');
      expect(await simulator.exited).toBe(0);
    } finally {
      if (simulator.process.exitCode === null) simulator.process.kill('SIGKILL');
      jar.cleanup();
    }
  });
});
