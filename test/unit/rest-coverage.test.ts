import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../../src/index.js';

// The README's coverage table is the contract: every operation of Flink's 2.3 REST spec is either
// called by a named SDK method (which must exist) or excluded with a reason.
// A copy of /work/shared/flink-rest/rest_v1_dispatcher-2.3.yml, so a clean clone has it.
const SPEC = new URL('../fixtures/spec/rest_v1_dispatcher-2.3.yml', import.meta.url);

/** `METHOD /path` of every operation: paths are the two-space keys, methods the four-space ones. */
function specOperations(): string[] {
  const ops: string[] = [];
  let path: string | undefined;
  for (const line of readFileSync(SPEC, 'utf8').split('\n')) {
    const p = /^ {2}(\/\S*):$/.exec(line);
    if (p) path = p[1];
    else if (/^\S/.test(line)) path = undefined;
    const m = /^ {4}(get|post|put|patch|delete):$/.exec(line);
    if (m && path) ops.push(`${(m[1] as string).toUpperCase()} ${path}`);
  }
  return ops;
}

interface Row {
  operation: string;
  sdk: string;
}

function coverageRows(): Row[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('<!-- rest-coverage:start -->');
  const end = readme.indexOf('<!-- rest-coverage:end -->');
  expect(start, 'README has the coverage table markers').toBeGreaterThan(0);
  return readme
    .slice(start, end)
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((line) => {
      const [, op, sdk] = line.split('|').map((c) => c.trim());
      return { operation: /^`([^`]+)`/.exec(op as string)?.[1] as string, sdk: sdk as string };
    });
}

const cluster = new ClusterClient({ url: 'http://127.0.0.1:1' });
afterAll(() => cluster.close());

const JOB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const receivers: Record<string, () => object> = {
  cluster: () => cluster,
  job: () => cluster.job(JOB),
  vertex: () => cluster.job(JOB).vertex('0a448493b4782967b150582570326227'),
  application: () => cluster.application(JOB),
  jobManager: () => cluster.jobManager(),
  taskManager: () => cluster.taskManager('127.0.0.1:35481-3b9f1c'),
};

describe('REST API coverage (README table)', () => {
  const rows = coverageRows();
  const ops = specOperations();

  it('lists every operation of the 2.3 spec exactly once', () => {
    expect(ops.length).toBe(80);
    const listed = rows.map((r) => r.operation);
    expect(ops.filter((op) => !listed.includes(op))).toEqual([]);
    expect(listed.filter((op, i) => listed.indexOf(op) !== i)).toEqual([]);
  });

  it.each(rows.map((r) => [r.operation, r] as const))('%s: a method that exists, or an exclusion with a reason', (_op, row) => {
    if (row.sdk.startsWith('excluded:')) {
      expect(row.sdk.length).toBeGreaterThan('excluded: '.length + 20);
      return;
    }
    const calls = [...row.sdk.matchAll(/`(\w+)\.(\w+)\(\)`/g)];
    expect(calls.length, `no method named in "${row.sdk}"`).toBeGreaterThan(0);
    for (const [, receiver, method] of calls) {
      const make = receivers[receiver as string];
      expect(make, `unknown receiver ${receiver}`).toBeDefined();
      const target = (make as () => object)() as Record<string, unknown>;
      expect(typeof target[method as string], `${receiver}.${method}`).toBe('function');
    }
  });

  it('counts what the SDK calls', () => {
    const inSpec = rows.filter((r) => ops.includes(r.operation));
    const called = inSpec.filter((r) => !r.sdk.startsWith('excluded:'));
    expect(called.length + inSpec.filter((r) => r.sdk.startsWith('excluded:')).length).toBe(80);
    expect(called.length).toBeGreaterThanOrEqual(78);
  });
});
