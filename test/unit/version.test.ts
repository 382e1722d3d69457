import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION } from 'flink-client';

describe('VERSION', () => {
  it('matches package.json (it goes into the User-Agent)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
