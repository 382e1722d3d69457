/**
 * OpenTelemetry tracing, when the application has `@opentelemetry/api` installed (an optional peer
 * dependency). The API is imported lazily, once, on first use by a client; when it is missing,
 * every function here is a no-op and costs one comparison. When it is installed but no tracer
 * provider is registered, the API hands out non-recording spans and nothing here records
 * attributes.
 *
 * Spans the SDK records:
 * - one CLIENT span per logical HTTP call (`GET /jobs/{jobId}`), covering its retries and
 *   failovers, with the HTTP semantic-convention attributes and Flink's (`flink.request.id`,
 *   `flink.job.id`, `flink.trigger.id`, ...); retries are span events.
 * - one INTERNAL span per wait (`flink.job.waitFor`, `flink.job.result`, `flink.savepoint.result`,
 *   ...) whose polls are span events and whose HTTP calls are its children.
 * - one INTERNAL span per operation trigger (`flink.savepoint.trigger`, ...).
 */
import type * as OtelApi from '@opentelemetry/api';
import { FlinkError } from '../errors/flink-error.js';

/** Attribute values a span takes. */
export type SpanAttributes = Record<string, string | number | boolean | undefined>;

type Api = typeof OtelApi;

/** The API once loaded; null when it is not installed; undefined before the first attempt. */
let api: Api | null | undefined;
let loading: Promise<void> | undefined;

/** The tracer's name and the instrumentation scope of every span. */
const SCOPE = 'flink-client';

/**
 * Starts importing `@opentelemetry/api` (once per process) and resolves when it is known whether
 * it is there. Never rejects.
 */
export function loadTelemetry(): Promise<void> {
  loading ??= import('@opentelemetry/api').then(
    (m: unknown) => {
      // A CommonJS build of the API may arrive wrapped in `default`.
      const usable = (x: unknown): x is Api => typeof (x as Partial<Api> | undefined)?.trace?.getTracer === 'function';
      const wrapped = (m as { default?: unknown }).default;
      api = usable(m) ? m : usable(wrapped) ? wrapped : null;
    },
    () => {
      api = null;
    },
  );
  return loading;
}

/** Whether `loadTelemetry()` has settled, so spans can be started synchronously. */
export function telemetryLoaded(): boolean {
  return api !== undefined;
}

/** For tests: forget what was loaded, or pretend the API is missing. */
export function resetTelemetryForTests(missing = false): void {
  api = missing ? null : undefined;
  loading = missing ? Promise.resolve() : undefined;
}

/** A span the SDK records; every method is safe to call after `end()`. */
export interface TraceSpan {
  /** False for the span used when tracing is off: callers skip work only a recording span needs. */
  readonly recording: boolean;
  /** Sets attributes; undefined values are left out. */
  set(attributes: SpanAttributes): void;
  /** Adds a span event. */
  event(name: string, attributes?: SpanAttributes): void;
  /** Ends the span: OK without an error, ERROR with its code and message otherwise. Idempotent. */
  end(error?: unknown): void;
  /** Runs `fn` with this span as the active span, so spans started inside are its children. */
  run<T>(fn: () => T): T;
}

/** The span used when tracing is off: does nothing. */
const NO_SPAN: TraceSpan = {
  recording: false,
  set: () => undefined,
  event: () => undefined,
  end: () => undefined,
  run: (fn) => fn(),
};

function clean(attributes: SpanAttributes): OtelApi.Attributes {
  const out: OtelApi.Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}

class RecordingSpan implements TraceSpan {
  readonly recording = true;
  readonly #api: Api;
  readonly #span: OtelApi.Span;
  #ended = false;

  constructor(otel: Api, span: OtelApi.Span) {
    this.#api = otel;
    this.#span = span;
  }

  set(attributes: SpanAttributes): void {
    if (!this.#ended) this.#span.setAttributes(clean(attributes));
  }

  event(name: string, attributes?: SpanAttributes): void {
    if (!this.#ended) this.#span.addEvent(name, attributes ? clean(attributes) : undefined);
  }

  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    if (error === undefined) {
      this.#span.setStatus({ code: this.#api.SpanStatusCode.OK });
    } else {
      const code = error instanceof FlinkError ? error.code : error instanceof Error ? error.name : 'unknown';
      const message = error instanceof Error ? error.message : String(error);
      this.#span.setAttributes(clean({ 'error.type': code, 'flink.error.code': error instanceof FlinkError ? error.code : undefined }));
      this.#span.recordException({ name: error instanceof Error ? error.name : 'Error', message, code });
      this.#span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: message.split('\n')[0] });
    }
    this.#span.end();
  }

  run<T>(fn: () => T): T {
    const otel = this.#api;
    return otel.context.with(otel.trace.setSpan(otel.context.active(), this.#span), fn);
  }
}

/**
 * The no-op span when no OpenTelemetry API is loaded (no span can record then), else undefined: a
 * caller on a hot path checks it before building a span's name and attributes.
 */
export function spanIfUntraced(): TraceSpan | undefined {
  return api ? undefined : NO_SPAN;
}

/**
 * Starts a span, child of the active one, if the API is loaded and a recording tracer provider
 * is registered; otherwise returns a span that does nothing.
 */
export function startSpan(name: string, kind: 'client' | 'internal', attributes: SpanAttributes): TraceSpan {
  if (!api) return NO_SPAN;
  const span = api.trace.getTracer(SCOPE).startSpan(name, {
    kind: kind === 'client' ? api.SpanKind.CLIENT : api.SpanKind.INTERNAL,
    attributes: clean(attributes),
  });
  if (!span.isRecording()) return NO_SPAN;
  return new RecordingSpan(api, span);
}

/**
 * Runs `fn` inside a new span (loading the API first if need be) and ends the span with `fn`'s
 * outcome: the one way an SDK operation records itself.
 */
export async function traced<T>(name: string, attributes: SpanAttributes, fn: (span: TraceSpan) => Promise<T>): Promise<T> {
  if (api === undefined) await loadTelemetry();
  const span = startSpan(name, 'internal', attributes);
  if (span === NO_SPAN) return fn(span);
  try {
    const value = await span.run(() => fn(span));
    span.end();
    return value;
  } catch (err) {
    span.end(err);
    throw err;
  }
}

/** A wait's span: a name and attributes for a new one, or a span already open to record polls on. */
export type WaitSpan = { name: string; attributes?: SpanAttributes } | TraceSpan;

function isOpenSpan(span: WaitSpan): span is TraceSpan {
  return typeof (span as TraceSpan).event === 'function';
}

/**
 * Runs a wait inside its span: a new one when `span` names it (ended with the wait's outcome), or
 * the open one given (left open for its owner to end).
 */
export function tracedWait<T>(span: WaitSpan | undefined, fn: (span: TraceSpan) => Promise<T>): Promise<T> {
  if (span === undefined) return fn(NO_SPAN);
  if (isOpenSpan(span)) return fn(span);
  return traced(span.name, span.attributes ?? {}, fn);
}

/** `url.template` of a path: its ids replaced by the names of what they are. */
export function pathTemplate(path: string, ids: Record<string, string | undefined>): string {
  let template = path;
  for (const [name, id] of Object.entries(ids)) if (id) template = template.split(`/${encodeURIComponent(id)}`).join(`/{${name}}`).split(`/${id}`).join(`/{${name}}`);
  return template.replace(/\/[0-9a-f]{32}(?=\/|$)/g, '/{id}');
}
