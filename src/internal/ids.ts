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

/** Path separators, control characters (C0, DEL, C1) and the Unicode line separators. */
const NOT_IN_JAR_ID = /[/\\\x00-\x1f\x7f-\x9f\u2028\u2029]/;

/**
 * Checks a jar id as Flink assigns them (`<uuid>_<file name>`, where the file name is whatever the
 * upload was called, spaces and all: `3f…_my job.jar`). Every such id is accepted; callers encode
 * it into one path segment. What could leave that segment or confuse Flink's file lookup is
 * refused: path separators, `.` and `..`, control characters, an empty or overlong id.
 */
export function checkJarId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 1024 || NOT_IN_JAR_ID.test(id) || id === '.' || id === '..' || id.trim() !== id) {
    throw new FlinkArgumentError('jarId', `expected a jar id such as "<uuid>_name.jar" (no path separators or control characters), got ${describe(id)}`);
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

/** A TaskManager resource id as Flink makes them (`127.0.0.1:42125-67e5ae`, a pod name, a container id). */
const TASK_MANAGER_ID = /^[A-Za-z0-9._:@-]{1,256}$/;

/**
 * Checks a TaskManager id before it goes into a path: letters, digits and `._:@-` only, so it
 * stays one path segment whatever a caller passes.
 */
export function checkTaskManagerId(id: unknown): string {
  if (typeof id !== 'string' || !TASK_MANAGER_ID.test(id)) {
    throw new FlinkArgumentError('taskManagerId', `expected a TaskManager id such as "127.0.0.1:42125-67e5ae" (from listTaskManagers()), got ${describe(id)}`);
  }
  return id;
}
