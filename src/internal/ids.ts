import { randomBytes } from 'node:crypto';
import { FlinkArgumentError } from '../errors/flink-argument-error.js';

const HEX32 = /^[0-9a-fA-F]{32}$/;

/**
 * Checks a Flink id (job, trigger, application, vertex: 32 hex characters) and returns it in the
 * lowercase form Flink uses on the wire. Runs before an id goes into a path, so a malformed or
 * hostile id can never reach the server.
 */
export function checkId(kind: string, id: unknown): string {
  if (typeof id !== 'string' || !HEX32.test(id)) {
    throw new FlinkArgumentError(kind, `expected 32 hexadecimal characters, got ${describe(id)}`);
  }
  return id.toLowerCase();
}

const JAR_ID = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/**
 * Checks a jar id as Flink assigns them (`<uuid>_<file name>.jar`): no path separators, no dot
 * segments, no control or URL-special characters, so it stays one path segment.
 */
export function checkJarId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 512 || !JAR_ID.test(id) || id.includes('..')) {
    throw new FlinkArgumentError('jarId', `expected a jar id such as "<uuid>_name.jar", got ${describe(id)}`);
  }
  return id;
}

/** A fresh random id in Flink's format (32 lowercase hex characters). */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return value === null ? 'null' : typeof value;
  const shown = value.length > 64 ? `${value.slice(0, 64)}…` : value;
  return JSON.stringify(shown);
}
