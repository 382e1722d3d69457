import { describe, expect, it } from 'vitest';
import { redactHeaders, redactUrl, scrubSecrets } from '../../src/internal/redact.js';

describe('redaction', () => {
  it('removes userinfo and sensitive query values from URLs', () => {
    const out = redactUrl('https://user:pw@host/flink/v1/jobs?token=abc&x=1&api_key=zzz');
    expect(out).not.toContain('pw');
    expect(out).not.toContain('abc');
    expect(out).not.toContain('zzz');
    expect(out).toContain('x=1');
  });

  it('redacts credential headers and headers marked sensitive', () => {
    const out = redactHeaders({ Authorization: 'Bearer s3cret', 'X-Tenant-Key': 'k', accept: 'application/json' }, new Set(['x-tenant-key']));
    expect(out).toEqual({ Authorization: '[REDACTED]', 'X-Tenant-Key': '[REDACTED]', accept: 'application/json' });
  });

  it('scrubs secrets from text', () => {
    expect(scrubSecrets('echo: Bearer s3cret-token', ['s3cret-token'])).toBe('echo: Bearer [REDACTED]');
  });
});
