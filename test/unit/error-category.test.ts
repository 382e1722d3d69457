import { describe, expect, it } from 'vitest';
import { ClusterClient, errorCategory, FLINK_ERROR_CATEGORIES, FLINK_ERROR_CODE_CATEGORIES, FLINK_ERROR_CODES, FlinkArgumentError, FlinkError } from 'flink-client';
import { createFlinkSimulator } from 'flink-client/testing';

describe('error categories', () => {
  it('gives every stable code one of the listed categories', () => {
    expect(Object.keys(FLINK_ERROR_CODE_CATEGORIES).sort()).toEqual([...FLINK_ERROR_CODES].sort());
    for (const category of Object.values(FLINK_ERROR_CODE_CATEGORIES)) expect(FLINK_ERROR_CATEGORIES).toContain(category);
    // Every category but the catch-all is used by some code.
    const used = new Set(Object.values(FLINK_ERROR_CODE_CATEGORIES));
    expect(FLINK_ERROR_CATEGORIES.filter((c) => !used.has(c))).toEqual([]);
  });

  it('maps the codes scripts switch on', () => {
    const of = (code: (typeof FLINK_ERROR_CODES)[number]) => new FlinkError('x', code).category;
    expect(['FLINK_NOT_FOUND', 'FLINK_JOB_NOT_FOUND', 'FLINK_APPLICATION_NOT_FOUND', 'FLINK_OPERATION_NOT_FOUND', 'FLINK_JAR_NOT_FOUND', 'FLINK_TASK_MANAGER_NOT_FOUND'].map((c) => of(c as never))).toEqual(Array(6).fill('not-found'));
    expect([of('FLINK_CONFLICT'), of('FLINK_UNREACHABLE_STATE')]).toEqual(['conflict', 'conflict']);
    expect([of('FLINK_TIMEOUT'), of('STARTUP_TIMEOUT')]).toEqual(['timeout', 'timeout']);
    expect(of('FLINK_CONNECTION_ERROR')).toBe('connection');
    expect([of('FLINK_AUTHENTICATION'), of('FLINK_AUTH_PROVIDER_FAILED')]).toEqual(['authentication', 'authentication']);
    expect([of('FLINK_JOB_FAILED'), of('FLINK_OPERATION_FAILED'), of('FLINK_SQL_STATEMENT_FAILED')]).toEqual(['failed', 'failed', 'failed']);
    expect(of('FLINK_ABORTED')).toBe('aborted');
    expect(of('FLINK_SERVER_ERROR')).toBe('server');
  });

  it('reads the code of anything: a typed error, a plain { code } object; nothing for other errors', () => {
    expect(errorCategory(new FlinkArgumentError('jobId', 'bad'))).toBe('usage');
    expect(errorCategory({ code: 'FLINK_JOB_NOT_FOUND' })).toBe('not-found');
    // A code from a newer release of the SDK: still a flink-client error.
    expect(errorCategory({ code: 'FLINK_SOMETHING_NEW' })).toBe('other');
    expect(errorCategory(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(errorCategory(new Error('plain'))).toBeUndefined();
    expect(errorCategory('FLINK_TIMEOUT')).toBeUndefined();
    expect(errorCategory(null)).toBeUndefined();
  });

  it('categorises what a cluster answers: an unknown job is not-found', async () => {
    const sim = await createFlinkSimulator();
    const client = new ClusterClient({ url: sim.url });
    try {
      const err = await client.job('0123456789abcdef0123456789abcdef').describe().catch((e: unknown) => e);
      expect(errorCategory(err)).toBe('not-found');
      expect((err as FlinkError).category).toBe('not-found');
    } finally {
      await client.close();
      await sim.close();
    }
  });
});
