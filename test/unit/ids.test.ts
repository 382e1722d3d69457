import { describe, expect, it } from 'vitest';
import { FlinkArgumentError } from '../../src/index.js';
import { checkId, checkJarId, newId } from '../../src/internal/ids.js';

describe('id checks', () => {
  it('accepts 32 hex characters and lowercases them', () => {
    expect(checkId('jobId', 'ABCDEF0123456789abcdef0123456789')).toBe('abcdef0123456789abcdef0123456789');
  });

  it.each([['short'], ['g'.repeat(32)], ['../../../../etc/passwd'], ['a'.repeat(31) + '/'], [''], [42], [undefined], [null]])('rejects %j', (value) => {
    expect(() => checkId('jobId', value)).toThrow(FlinkArgumentError);
  });

  it('generates distinct ids in Flink format', () => {
    const a = newId();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(newId()).not.toBe(a);
  });

  it('accepts every jar id Flink makes and refuses what could leave one path segment', () => {
    expect(checkJarId('3f6a6c8e-1b2c-4d5e-8f90-123456789abc_my-job.jar')).toContain('_my-job.jar');
    // Flink keeps the uploaded file name as it was sent: spaces, '?', '%', non-ASCII letters.
    for (const good of ['3f6a6c8e-1b2c-4d5e-8f90-123456789abc_my job.jar', 'x.jar?y=1', 'x%2F.jar', 'ünïcode.jar', 'a..b.jar']) {
      expect(checkJarId(good)).toBe(good);
    }
    for (const bad of ['../x.jar', 'a/b.jar', 'a\\b.jar', '', '.', '..', 'a\u0000.jar', 'a\n.jar', 'a\u0085.jar', ' x.jar', 'x.jar ']) {
      expect(() => checkJarId(bad)).toThrow(FlinkArgumentError);
    }
  });
});
