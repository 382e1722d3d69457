import { spawn } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';

// The examples that deploy Flink themselves, run as a user would (`npx tsx examples/<name>.ts`),
// once per version under test: they must end with exit code 0 and print their result.
const provided = inject('flink');
const versions = Object.keys(provided.homes);

/** Runs `tsx <file> ...args` and gives its exit code and output; the deadline only guards against a hang. */
function runExample(file: string, args: string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe.each(versions)('examples on real Flink %s', (version) => {
  it('application-cluster.ts deploys an application cluster, prints its FINISHED result and stops the cluster', async () => {
    const { code, out } = await runExample('examples/application-cluster.ts', ['--version', version], 240_000);
    expect(out).toMatch(/application \S+ deployed at http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/: FINISHED after \d+ ms/);
    expect(out).toMatch(/job [0-9a-f]{32} example-application: FINISHED/);
    expect(out).toContain('cluster stopped');
    expect(code, out).toBe(0);
  }, 300_000);
});
