import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/testing/routes.js';

// Flink's router prefers a literal path segment over a parameter (`GET /jobs/metrics` is a metrics
// route, not job "metrics"); msw serves the first handler that matches. So every route, asked for
// with its own literal segments, must be served by itself, never by an earlier parameterised route.

const pattern = (template: string): RegExp => new RegExp(`^${template.split('/').map((s) => (s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);

describe('the simulator\'s route table', () => {
  it('serves each path by the route with the most literal segments, as Flink\'s router does', () => {
    const wrong: string[] = [];
    for (const route of ROUTES) {
      // Parameters get a value no literal segment has.
      const path = route.path.replace(/:[A-Za-z0-9_]+/g, 'p0123456789abcdef0123456789abcdef');
      const first = ROUTES.find((r) => r.method === route.method && pattern(r.path).test(path));
      if (first !== route) wrong.push(`${route.method} ${route.path} is served by ${first?.method} ${first?.path}`);
    }
    expect(wrong).toEqual([]);
  });

  it('has the literal routes that overlap a parameterised one (the cases Flink users hit)', () => {
    const served = (method: string, path: string): string | undefined => ROUTES.find((r) => r.method === method && pattern(r.path).test(path))?.path;
    expect(served('GET', '/jobs/metrics')).toBe('/jobs/metrics');
    expect(served('GET', '/jobs/overview')).toBe('/jobs/overview');
    expect(served('GET', '/taskmanagers/metrics')).toBe('/taskmanagers/metrics');
    expect(served('GET', '/jobs/0123456789abcdef0123456789abcdef/checkpoints/config')).toBe('/jobs/:jobid/checkpoints/config');
    expect(served('GET', '/jobs/0123456789abcdef0123456789abcdef/vertices/0123456789abcdef0123456789abcdef/subtasks/metrics')).toBe('/jobs/:jobid/vertices/:vertexid/subtasks/metrics');
    expect(served('GET', '/jobs/0123456789abcdef0123456789abcdef/vertices/0123456789abcdef0123456789abcdef/subtasks/accumulators')).toBe('/jobs/:jobid/vertices/:vertexid/subtasks/accumulators');
    expect(served('GET', '/jobmanager/logs/flink.log')).toBe('/jobmanager/logs/:filename');
  });
});
