import type { ApplicationClient, ApplicationStatus, JobClient, JobStatus, WaitOptions } from 'flink-client';
import type { RawAnswer } from './targets.js';

/**
 * Turning what a target did into comparable observations: no ids, paths, timings or counts that
 * depend on the machine, only what a client can rely on.
 */

/** Poll fast enough to see short states, with a generous deadline for a loaded two-core machine. */
export const FAST_POLL: WaitOptions = { pollIntervalMs: 20, maxPollIntervalMs: 50, timeoutMs: 90_000 };

/** Replaces ids, uuids, hash codes and file-system paths (not REST paths) with placeholders. */
export function normalizeText(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\b[0-9a-f]{32}\b/gi, '<id>')
    .replace(/@[0-9a-f]{4,16}\b/g, '@<hash>')
    .replace(/(?<=^|[\s'"(=[])(?:file:)?\/(?!v1\/|v2\/)[^\s'"()<>]*[^\s'"().,<>\]]/g, '<path>');
}

/** The class names of the `Caused by:` lines of a Java stack trace, outermost first. */
export function causedBy(trace: string): string[] {
  return trace
    .split('\n')
    .map((l) => /^\s*Caused by: ([\w.$]+)/.exec(l)?.[1])
    .filter((c): c is string => c !== undefined);
}

/** The first line of an error string; for Flink's `<Exception on server side:` wrapper, the exception line. */
export function headLine(text: string): string {
  const lines = text.split('\n');
  const first = lines[0] ?? '';
  return first.startsWith('<Exception on server side:') ? `<Exception on server side:> ${lines[1] ?? ''}` : first;
}

/** An error answer as a client can classify it: status, first lines and cause classes. */
export interface ErrorSummary {
  status: number;
  errors: Array<{ head: string; causes: string[] }>;
}

/** Summarises a Flink error body (`{"errors": [...]}`); anything else is kept as a shape. */
export function errorSummary(answer: RawAnswer): ErrorSummary {
  const errors = (answer.body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return { status: answer.status, errors: [{ head: `<no errors array: ${keyPaths(answer.body).join(',')}>`, causes: [] }] };
  return { status: answer.status, errors: errors.map((e) => ({ head: normalizeText(headLine(String(e))), causes: causedBy(String(e)) })) };
}

/**
 * The field paths of a JSON value, sorted: `a.b`, `list[].c`. Arrays contribute the union of their
 * elements' paths; paths listed in `opaque` (maps with data-dependent keys) stop at `path{}`.
 */
export function keyPaths(value: unknown, options: { opaque?: readonly string[] } = {}, prefix = ''): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, path: string): void => {
    if (options.opaque?.includes(path)) {
      out.add(`${path}{}`);
      return;
    }
    if (Array.isArray(v)) {
      out.add(`${path}[]`);
      for (const item of v) walk(item, `${path}[]`);
      return;
    }
    if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const p = path === '' ? k : `${path}.${k}`;
        out.add(p);
        walk(child, p);
      }
    }
  };
  walk(value, prefix);
  return [...out].sort();
}

/** A collapsed state sequence: the states seen (minus those a poller may miss) and the last one. */
export interface StateSequence {
  states: string[];
  final: string | undefined;
}

/**
 * States that can pass too quickly for a 20-50 ms poller to be sure to see them, on either side:
 * INITIALIZING and CREATED (before `/jars/:id/run` answers), FAILING (a few ms), CANCELLING
 * (17-80 ms on the recorded clusters, sometimes gone before the first poll after the cancel).
 */
export const MISSABLE_JOB_STATES: readonly string[] = ['INITIALIZING', 'CREATED', 'FAILING', 'CANCELLING'];

/** Collapses a list of states seen into the comparable {@link StateSequence}. */
export function sequence(seen: readonly string[], missable: readonly string[] = MISSABLE_JOB_STATES): StateSequence {
  return { states: [...new Set(seen.filter((s) => !missable.includes(s)))].sort(), final: seen.at(-1) };
}

const TERMINAL_JOB = new Set(['FINISHED', 'FAILED', 'CANCELED']);
const TERMINAL_APPLICATION = new Set(['FINISHED', 'FAILED', 'CANCELED']);

/** Polls a job's status through the SDK (`waitFor`) until `until` holds; returns every change seen. */
export async function followJob(job: JobClient, until: (s: JobStatus) => boolean = (s) => TERMINAL_JOB.has(s), options: WaitOptions = FAST_POLL): Promise<string[]> {
  const seen: string[] = [];
  await job.waitFor(
    (s) => {
      if (seen.at(-1) !== s) seen.push(s);
      return until(s) || TERMINAL_JOB.has(s);
    },
    options,
  );
  return seen;
}

/** The same for an application. */
export async function followApplication(
  app: ApplicationClient,
  until: (s: ApplicationStatus) => boolean = (s) => TERMINAL_APPLICATION.has(s),
  options: WaitOptions = FAST_POLL,
): Promise<string[]> {
  const seen: string[] = [];
  await app.waitFor(
    (s) => {
      if (seen.at(-1) !== s) seen.push(s);
      return until(s) || TERMINAL_APPLICATION.has(s);
    },
    options,
  );
  return seen;
}

/** What a rejected promise was: the error's class name and typed fields, or `resolved`. */
export async function outcome(promise: Promise<unknown>, fields: readonly string[] = ['status', 'code']): Promise<Record<string, unknown>> {
  try {
    await promise;
    return { resolved: true };
  } catch (err) {
    const e = err as Record<string, unknown> & { constructor: { name: string } };
    const out: Record<string, unknown> = { error: e.constructor.name };
    for (const f of fields) if (e[f] !== undefined) out[f] = typeof e[f] === 'string' ? normalizeText(e[f] as string) : e[f];
    return out;
  }
}

/** Polls `read` until `ok` holds (every 100 ms), failing after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
