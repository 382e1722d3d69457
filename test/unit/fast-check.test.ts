import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileFastCheck } from '../../src/schemas/fast-check.js';
import { covered, schemaFor } from '../support/recordings.js';

/** Deterministic pseudo-random numbers, so a failing mutation can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Every path to a value inside a JSON document. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

/** A copy of `doc` with one change at `path`: a removed key, a wrong type, an extra key, a new enum-ish string. */
function mutate(doc: unknown, path: (string | number)[], kind: number): unknown {
  const copy = structuredClone(doc);
  if (path.length === 0) return kind % 2 === 0 ? [] : 'x';
  const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], copy);
  const key = path.at(-1) as string | number;
  const current = parent[key];
  switch (kind % 5) {
    case 0:
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 1:
      parent[key] = typeof current === 'string' ? 42 : 'not-the-type';
      break;
    case 2:
      if (current && typeof current === 'object' && !Array.isArray(current)) current.__unknown_field__ = 1;
      else parent[key] = null;
      break;
    case 3:
      parent[key] = typeof current === 'string' ? 'SOME_NEW_VALUE' : Number.NaN;
      break;
    default:
      parent[key] = Array.isArray(current) ? {} : [current];
  }
  return copy;
}

describe('the compiled fast check agrees with zod', () => {
  const random = rng(20261121);
  const cases = covered.map((c) => ({ name: c.name, body: c.recording.body, schema: schemaFor(c.recording.request.method, c.recording.request.path)! }));

  it.each(['lenient', 'strict'] as const)('on every recorded body and on thousands of mutations of them (%s)', (mode) => {
    let compared = 0;
    for (const { name, body, schema } of cases) {
      const zodSchema = schema.for(mode);
      const check = compileFastCheck(zodSchema);
      expect(check, `${name}: schema could not be compiled`).toBeDefined();
      expect(check?.(body), name).toBe(zodSchema.safeParse(body).success);
      const all = paths(body);
      for (let i = 0; i < 12; i++) {
        const path = all[Math.floor(random() * all.length)] as (string | number)[];
        const mutated = mutate(body, path, Math.floor(random() * 5));
        const expected = zodSchema.safeParse(mutated).success;
        expect(check?.(mutated), `${name} mutated at ${path.join('.')}`).toBe(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('returns the body itself when valid, and zod issues when not', async () => {
    const { JobStatusInfoSchema } = await import('../../src/schemas/jobs.js');
    const body = { status: 'RUNNING', extra: true };
    const ok = JobStatusInfoSchema.validate('lenient', body);
    expect(ok.success && ok.data).toBe(body);
    const bad = JobStatusInfoSchema.validate('lenient', { status: 1 });
    expect(bad.success).toBe(false);
    expect(!bad.success && bad.error.issues[0]?.path).toEqual(['status']);
  });

  it('declines schemas it cannot check in place, leaving them to zod', () => {
    expect(compileFastCheck(z.string().transform((s) => s.length))).toBeUndefined();
    expect(compileFastCheck(z.object({ a: z.number().default(1) }))).toBeUndefined();
    expect(compileFastCheck(z.number().int())).toBeUndefined();
    // A preprocess repair: bodies it leaves alone are checked in place, bodies it changes go to zod.
    const repaired = compileFastCheck(z.preprocess((b) => (b === null ? { a: 'x' } : b), z.object({ a: z.string() })));
    expect(repaired?.({ a: 'y' })).toBe(true);
    expect(repaired?.(null)).toBe(false);
    expect(compileFastCheck(z.looseObject({ a: z.string(), b: z.array(z.number()).optional() }))?.({ a: 'x', z: 1 })).toBe(true);
  });

  it('does not mistake inherited properties for fields', () => {
    const check = compileFastCheck(z.strictObject({ constructor: z.string().optional(), name: z.string() }));
    expect(check?.({ name: 'x' })).toBe(true);
    expect(check?.(JSON.parse('{"name":"x","constructor":"y"}'))).toBe(true);
    expect(check?.(JSON.parse('{"name":"x","toString":"y"}'))).toBe(false);
  });
});
