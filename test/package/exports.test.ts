import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

async function node(args: string[]): Promise<string> {
  const { stdout } = await exec(process.execPath, args, { cwd: root });
  return stdout.trim();
}

describe('the built package', () => {
  it('has been built', () => {
    expect(existsSync(`${root}/dist/index.js`)).toBe(true);
    expect(existsSync(`${root}/dist/index.cjs`)).toBe(true);
    expect(existsSync(`${root}/dist/index.d.ts`)).toBe(true);
    expect(existsSync(`${root}/dist/index.d.cts`)).toBe(true);
  });

  it('imports as ESM', async () => {
    const out = await node(['--input-type=module', '-e', "import { ClusterClient, JobNotFoundError, VERSION } from 'flink-client'; console.log(typeof ClusterClient, typeof JobNotFoundError, VERSION)"]);
    expect(out).toMatch(/^function function \d+\.\d+\.\d+/);
  });

  it('requires as CommonJS', async () => {
    const out = await node(['-e', "const { ClusterClient, RestClusterDescriptor } = require('flink-client'); console.log(typeof ClusterClient, typeof RestClusterDescriptor)"]);
    expect(out).toBe('function function');
  });

  it('exports flink-client/testing both ways, and its simulator serves a request', async () => {
    const esm = [
      "import { createFlinkSimulator, createFlinkHandlers } from 'flink-client/testing';",
      "import { ClusterClient } from 'flink-client';",
      "const sim = await createFlinkSimulator({ flinkVersion: '1.20.5' });",
      'const client = new ClusterClient({ url: sim.url });',
      'console.log(typeof createFlinkHandlers, await client.flinkVersion());',
      'await client.close(); await sim.close();',
    ].join('\n');
    expect(await node(['--input-type=module', '-e', esm])).toBe('function 1.20.5');
    expect(await node(['-e', "const t = require('flink-client/testing'); console.log(typeof t.createFlinkSimulator)"])).toBe('function');
  });

  it('keeps instanceof working between the ESM and the CJS copy', async () => {
    const script = [
      "import { createRequire } from 'node:module';",
      "import * as esm from 'flink-client';",
      'const cjs = createRequire(import.meta.url)("flink-client");',
      "const e = new cjs.JobNotFoundError({ status: 404, method: 'GET', url: 'u', path: '/p', errors: [], body: null, jobId: 'a'.repeat(32) });",
      'console.log(esm.ClusterClient !== cjs.ClusterClient, e instanceof esm.JobNotFoundError, e instanceof esm.FlinkError, e instanceof esm.OperationNotFoundError);',
    ].join('\n');
    expect(await node(['--input-type=module', '-e', script])).toBe('true true true false');
  });

  it('passes publint', async () => {
    const { stdout } = await exec('npx', ['publint', '--strict'], { cwd: root });
    expect(stdout).not.toMatch(/error|warning/i);
  });

  it('passes @arethetypeswrong/cli', async () => {
    const { stdout } = await exec('npx', ['attw', '--pack', '.', '--format', 'ascii'], { cwd: root }).catch((e) => {
      throw new Error(`attw failed:\n${e.stdout}\n${e.stderr}`);
    });
    expect(stdout).toMatch(/No problems found/);
  });

  it('publishes only dist, README, CHANGELOG and package.json', async () => {
    const { stdout } = await exec('npm', ['pack', '--dry-run', '--json'], { cwd: root });
    const files = (JSON.parse(stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
    expect(files.every((f) => /^(dist\/|README\.md$|CHANGELOG\.md$|package\.json$|LICENSE$)/.test(f))).toBe(true);
    expect(files).toContain('dist/index.d.ts');
  });
});
