import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY, parseRetryAfter } from '../../src/http/retry-policy.js';
import { isNotSent, isTransientStatus as isRetryableStatus, isTransientTransportError as isTransient } from '../../src/http/transient.js';

describe('retry policy', () => {
  it('retries 408, 429, 502, 503, 504 but not 500 or 4xx', () => {
    for (const s of [408, 429, 502, 503, 504]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [400, 401, 404, 409, 500]) expect(isRetryableStatus(s)).toBe(false);
  });

  it('grows exponentially, caps and jitters within bounds', () => {
    const mid = () => 0.5;
    expect(backoffDelay(1, DEFAULT_RETRY, mid)).toBe(200);
    expect(backoffDelay(2, DEFAULT_RETRY, mid)).toBe(400);
    expect(backoffDelay(10, DEFAULT_RETRY, mid)).toBe(5000);
    expect(backoffDelay(1, DEFAULT_RETRY, () => 0)).toBe(160);
    expect(backoffDelay(1, DEFAULT_RETRY, () => 1)).toBe(240);
  });

  it('parses Retry-After as seconds or HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('tells failures before sending from failures after', () => {
    expect(isNotSent(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isNotSent(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(false);
    expect(isTransient(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransient(new Error('x', { cause: Object.assign(new Error('y'), { code: 'UND_ERR_SOCKET' }) }))).toBe(true);
    expect(isTransient(new Error('x'))).toBe(false);
  });
});
