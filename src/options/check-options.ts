import type { z } from 'zod';
import { FlinkArgumentError } from '../errors/flink-argument-error.js';
import { MAX_TIMER_MS, requestOptions, waitOptions } from './option-schemas.js';
import type { RequestOptions, WaitOptions } from './request-options.js';

/**
 * Checks an options object (or parameter object) against its schema and returns it unchanged.
 * The value itself is returned, not zod's copy, so signals, functions, buffers and dispatchers keep
 * their identity.
 *
 * @param name what the caller calls the object (`options`, `params`), the first part of the
 *   option path in the error
 * @throws FlinkArgumentError naming the first offending option by its path (`retry.maxDelayMs`)
 *   and saying what it accepts; the value itself is never echoed (it may be a secret).
 */
export function checkOptions<T>(schema: z.ZodType, value: unknown, name: string): T {
  const result = schema.safeParse(value);
  if (result.success) return value as T;
  throw argumentError(schema, result.error, name);
}

/** The FlinkArgumentError for the first issue zod found. */
function argumentError(schema: z.ZodType, error: z.ZodError, name: string): FlinkArgumentError {
  const issue = error.issues[0] as z.core.$ZodIssue;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const known = knownKeys(schema, issue.path);
    const argument = [name, ...path, key].filter(Boolean).join('.');
    return new FlinkArgumentError(argument, `unknown option${known ? `; expected one of ${known.join(', ')}` : ''}`);
  }
  const argument = [name, ...path].filter(Boolean).join('.');
  return new FlinkArgumentError(argument || name, issue.message.replace(/^Invalid input: /, ''));
}

/** The keys an object schema at `path` accepts, to list them when an unknown one was given. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let node: unknown = schema;
  for (const key of [undefined, ...path]) {
    // Unwrap optional, refined and piped wrappers to reach the object.
    for (let depth = 0; depth < 8; depth++) {
      const def = (node as { _zod?: { def?: { type?: string; innerType?: unknown; in?: unknown; shape?: Record<string, unknown> } } })?._zod?.def;
      if (!def) return undefined;
      if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') node = def.innerType;
      else if (def.type === 'pipe') node = def.in;
      else break;
    }
    if (key === undefined) continue;
    const shape = (node as { _zod: { def: { shape?: Record<string, unknown> } } })._zod.def.shape;
    if (!shape) return undefined;
    node = shape[String(key)];
  }
  const shape = (node as { _zod?: { def?: { shape?: Record<string, unknown> } } })?._zod?.def?.shape;
  return shape ? Object.keys(shape) : undefined;
}

const isSignal = (v: unknown): boolean => typeof v === 'object' && v !== null && typeof (v as AbortSignal).aborted === 'boolean' && typeof (v as AbortSignal).addEventListener === 'function';

/**
 * Checks the per-call options every request method takes. This runs on every call, so the common
 * shapes (`undefined`, `{ signal }`, `{ timeoutMs }`) are accepted by a few `typeof` tests; anything
 * else (headers, or a value the quick test is unsure of) goes through the schema, which is the
 * definition and gives the error.
 *
 * @throws FlinkArgumentError for an invalid option.
 */
export function checkRequestOptions(options: RequestOptions | undefined): void {
  if (options === undefined) return;
  if (typeof options === 'object' && options !== null) {
    let quick = true;
    for (const key in options) {
      const v = (options as Record<string, unknown>)[key];
      if (v === undefined) continue;
      if (key === 'signal') quick = isSignal(v);
      else if (key === 'timeoutMs') quick = typeof v === 'number' && v > 0;
      else if (key === 'maxRetries') quick = Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 100;
      else quick = false;
      if (!quick) break;
    }
    if (quick) return;
  }
  checkOptions(requestOptions, options, 'options');
}

/**
 * Checks the options of a polling wait.
 *
 * @throws FlinkArgumentError for an invalid option.
 */
export function checkWaitOptions(options: WaitOptions | undefined): WaitOptions {
  if (options === undefined) return {};
  return checkOptions<WaitOptions>(waitOptions, options, 'options');
}

/**
 * A deadline as a timer can hold it: `undefined` for none (Infinity, or beyond what a Node timer
 * can wait, 24.8 days), else the milliseconds.
 */
export function timerMs(deadlineMs: number): number | undefined {
  return Number.isFinite(deadlineMs) && deadlineMs <= MAX_TIMER_MS ? deadlineMs : undefined;
}
