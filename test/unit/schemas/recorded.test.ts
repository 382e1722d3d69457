import { describe, expect, it } from 'vitest';
import { covered, schemaFor } from '../../support/recordings.js';

describe('recorded responses of real clusters', () => {
  it('are there: 2.3.0 and 1.20.5 recordings cover the endpoints', () => {
    expect(covered.filter((c) => c.name.startsWith('2.3.0/')).length).toBeGreaterThan(100);
    expect(covered.filter((c) => c.name.startsWith('1.20.5/')).length).toBeGreaterThan(50);
  });

  it.each(covered.map((c) => [c.name, c.recording] as const))('%s matches its schema in strict and lenient mode', (_name, recording) => {
    const schema = schemaFor(recording.request.method, recording.request.path)!;
    const strict = schema.for('strict').safeParse(recording.body);
    expect(strict.success ? [] : strict.error.issues).toEqual([]);
    expect(schema.for('lenient').safeParse(recording.body).success).toBe(true);
  });
});
