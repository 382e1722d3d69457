import { randomBytes } from 'node:crypto';

/** A random id in Flink's format, for tests. */
export function hexId(): string {
  return randomBytes(16).toString('hex');
}

/** JSON response headers as Flink sends them. */
export const FLINK_JSON = { 'content-type': 'application/json; charset=UTF-8' } as const;
