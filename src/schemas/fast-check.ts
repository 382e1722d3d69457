import type { z } from 'zod';

/** A validator that checks a value in place and says whether it matches. */
export type FastCheck = (value: unknown) => boolean;

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  partial?: boolean;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  checks?: { _zod: { def: { check?: string; format?: string; pattern?: RegExp } } }[];
  in?: z.ZodType;
  out?: z.ZodType;
  transform?: (value: unknown, ctx: unknown) => unknown;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Whether a field schema accepts a missing key (optional, or `unknown`). */
function acceptsMissing(schema: z.ZodType): boolean {
  const t = defOf(schema).type;
  return t === 'optional' || t === 'unknown' || t === 'any';
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Compiles a zod schema into a checker that validates a parsed JSON value in place, without
 * building the copy zod's `parse` returns. It covers the plain shapes response schemas use
 * (objects loose or strict, arrays, records, unions, enums, literals, optional, nullable,
 * strings with a regex, finite numbers, booleans, preprocess repairs that leave valid bodies as
 * they are) and gives up (returns undefined) on anything
 * else, such as transforms or defaults, so the caller falls back to zod.
 *
 * Response validation sits on every call's hot path: for a job-details body this check costs a
 * fraction of what `parse` does, and zod still runs, for its precise issues, whenever the check
 * fails.
 */
export function compileFastCheck(schema: z.ZodType): FastCheck | undefined {
  try {
    return compile(schema);
  } catch (err) {
    if (err === UNSUPPORTED) return undefined;
    throw err;
  }
}

const UNSUPPORTED = Symbol('unsupported schema');

function compile(schema: z.ZodType): FastCheck {
  const def = defOf(schema);
  switch (def.type) {
    case 'string': {
      const patterns: RegExp[] = [];
      for (const check of def.checks ?? []) {
        const c = check._zod.def;
        if (c.check === 'string_format' && c.format === 'regex' && c.pattern) patterns.push(c.pattern);
        else throw UNSUPPORTED;
      }
      if (patterns.length === 0) return (v) => typeof v === 'string';
      return (v) => typeof v === 'string' && patterns.every((p) => p.test(v));
    }
    case 'number':
      if ((def.checks ?? []).length > 0) throw UNSUPPORTED;
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'null':
      return (v) => v === null;
    case 'unknown':
    case 'any':
      return () => true;
    case 'literal': {
      const values = def.values ?? [];
      return (v) => values.includes(v);
    }
    case 'enum': {
      const allowed = new Set(Object.values(def.entries ?? {}));
      return (v) => allowed.has(v as string);
    }
    case 'optional': {
      const inner = compile(def.innerType as z.ZodType);
      return (v) => v === undefined || inner(v);
    }
    case 'nullable': {
      const inner = compile(def.innerType as z.ZodType);
      return (v) => v === null || inner(v);
    }
    case 'union': {
      const options = (def.options ?? []).map(compile);
      return (v) => options.some((o) => o(v));
    }
    case 'array': {
      const element = compile(def.element as z.ZodType);
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
        return true;
      };
    }
    case 'record': {
      const keyDef = defOf(def.keyType as z.ZodType);
      const value = compile(def.valueType as z.ZodType);
      let key: FastCheck;
      let required: string[] = [];
      if (keyDef.type === 'string' && (keyDef.checks ?? []).length === 0) key = () => true;
      else if (keyDef.type === 'string') key = compile(def.keyType as z.ZodType);
      else if (keyDef.type === 'enum') {
        key = compile(def.keyType as z.ZodType);
        // A record keyed by an enum must have every key unless it is partial.
        if (!def.partial) required = Object.values(keyDef.entries ?? {}).map(String);
      } else throw UNSUPPORTED;
      return (v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
        for (const k of required) if (!hasOwn.call(v, k)) return false;
        for (const k in v) {
          if (!hasOwn.call(v, k)) continue;
          if (!key(k) || !value((v as Record<string, unknown>)[k])) return false;
        }
        return true;
      };
    }
    case 'object':
      return compileObject(def);
    case 'lazy': {
      // A recursive schema (a flame graph's frames): compiled on first use, once per lazy schema.
      const lazy = schema as unknown as { _zod: { def: { getter: () => z.ZodType } } };
      return (v) => {
        let inner = LAZY_CHECKS.get(lazy);
        if (!inner) {
          try {
            inner = compile(lazy._zod.def.getter());
          } catch {
            // Not checkable in place: answering false hands the body to zod.
            inner = () => false;
          }
          LAZY_CHECKS.set(lazy, inner);
        }
        return inner(v);
      };
    }
    case 'pipe': {
      // `z.preprocess(repair, schema)`: a body the repair leaves as it is (returns itself) and the
      // schema accepts is valid as is; a body the repair changes goes to zod, which repairs it.
      const repair = def.in && defOf(def.in).type === 'transform' ? defOf(def.in).transform : undefined;
      if (!repair || !def.out) throw UNSUPPORTED;
      const inner = compile(def.out);
      return (v) => {
        if (!inner(v)) return false;
        const ctx = { issues: [] as unknown[], value: v };
        return repair(v, ctx) === v && ctx.issues.length === 0;
      };
    }
    default:
      throw UNSUPPORTED;
  }
}

/** The inline test for a field whose schema is a plain primitive, or undefined for other schemas. */
function inlineTest(schema: z.ZodType, v: string): string | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return (def.checks ?? []).length === 0 ? `typeof ${v} === 'string'` : undefined;
    case 'number':
      return (def.checks ?? []).length === 0 ? `(typeof ${v} === 'number' && ${v} - ${v} === 0)` : undefined;
    case 'boolean':
      return `typeof ${v} === 'boolean'`;
    case 'unknown':
    case 'any':
      return 'true';
    case 'nullable': {
      const inner = inlineTest(def.innerType as z.ZodType, v);
      return inner && `(${v} === null || ${inner})`;
    }
    case 'optional': {
      const inner = inlineTest(def.innerType as z.ZodType, v);
      return inner && `(${v} === undefined || ${inner})`;
    }
    default:
      return undefined;
  }
}

/**
 * Objects are the bulk of every body, so their checker is generated as straight-line code (as
 * zod itself does): one property read and one inline type test per primitive field, a call into
 * a compiled sub-checker for the rest.
 */
/** Compiled checks of lazy (recursive) schemas, by schema. */
const LAZY_CHECKS = new WeakMap<object, FastCheck>();

function compileObject(def: Def): FastCheck {
  const shape = def.shape ?? {};
  const keys = Object.keys(shape);
  const catchall = def.catchall ? defOf(def.catchall).type : 'strip';
  if (catchall !== 'unknown' && catchall !== 'never' && catchall !== 'strip') throw UNSUPPORTED;
  const subs: FastCheck[] = [];
  const lines: string[] = ["if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;", 'let v;'];
  keys.forEach((key) => {
    const field = shape[key] as z.ZodType;
    const k = JSON.stringify(key);
    // A key that exists on Object.prototype must be read as an own property only.
    lines.push(key in Object.prototype ? `v = hasOwn.call(o, ${k}) ? o[${k}] : undefined;` : `v = o[${k}];`);
    const inline = inlineTest(field, 'v');
    const test = inline ?? `subs[${subs.push(compile(field)) - 1}](v)`;
    if (acceptsMissing(field)) lines.push(`if (v !== undefined && !(${test})) return false;`);
    else lines.push(`if (v === undefined || !(${test})) return false;`);
  });
  if (catchall === 'never') {
    lines.push(`for (const key in o) if (hasOwn.call(o, key) && !known.has(key)) return false;`);
  }
  lines.push('return true;');
  // Field names come from the SDK's own schemas and are JSON-quoted; nothing from a response
  // reaches the generated source.
  let factory: (subs: FastCheck[], known: Set<string>, own: typeof hasOwn) => FastCheck;
  try {
    factory = new Function('subs', 'known', 'hasOwn', `return function check(o) {\n${lines.join('\n')}\n};`) as typeof factory;
  } catch {
    // Code generation is disabled in this environment: zod validates instead.
    throw UNSUPPORTED;
  }
  return factory(subs, new Set(keys), hasOwn);
}
