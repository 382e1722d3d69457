import diagnosticsChannel from 'node:diagnostics_channel';
import { Readable } from 'node:stream';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClusterClient, FlinkError, JobNotFoundError } from 'flink-client';
import { createFlinkSimulator, fixtureJar, fixturePrograms, type FlinkSimulator, REALISTIC_TIMING } from 'flink-client/testing';
import { hexId } from '../support/ids.js';

// With @opentelemetry/api installed and a tracer provider registered, every SDK call records
// spans: one CLIENT span per logical HTTP call (with Flink's ids, the status and the request id),
// one INTERNAL span per wait (polls as events) and per operation trigger. An in-memory exporter
// collects them; the simulator runs on a virtual clock.

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();

let sim: FlinkSimulator;
let cluster: ClusterClient;
const poll = { pollIntervalMs: 5, maxPollIntervalMs: 10 };

beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(contextManager.enable());
});

afterAll(async () => {
  trace.disable();
  context.disable();
  await provider.shutdown();
});

beforeEach(async () => {
  sim = await createFlinkSimulator({ clock: 'virtual', programs: fixturePrograms });
  cluster = new ClusterClient({ url: sim.url, retry: { initialDelayMs: 5, maxDelayMs: 20 } });
  exporter.reset();
});

afterEach(async () => {
  await cluster?.close();
  await sim?.close();
});

const spans = (name: string | RegExp): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((s) => (typeof name === 'string' ? s.name === name : name.test(s.name)));
const one = (name: string | RegExp): ReadableSpan => {
  const found = spans(name);
  expect(found, `spans named ${String(name)}: ${exporter.getFinishedSpans().map((s) => s.name).join(', ')}`).toHaveLength(1);
  return found[0] as ReadableSpan;
};
const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

async function runningJob(): Promise<string> {
  const { filename, bytes } = fixtureJar('streaming');
  const { jarId } = await cluster.uploadJar(Readable.from([Buffer.from(bytes)]), { filename });
  const job = await cluster.runJar(jarId);
  sim.clock.advance(1_000);
  return job.jobId;
}

describe('OpenTelemetry spans', () => {
  it('a savepoint is a trigger span and a result span; the HTTP calls (trigger, polls) are their children, with Flink\'s attributes', async () => {
    const jobId = await runningJob();
    const job = cluster.job(jobId);
    exporter.reset();
    const op = await job.triggerSavepoint({ targetDirectory: 'file:///tmp/otel-sp' });
    const result = op.result(poll);
    sim.clock.advance(REALISTIC_TIMING.savepointMs);
    const location = await result;

    const trigger = one('flink.savepoint.trigger');
    expect(trigger.kind).toBe(SpanKind.INTERNAL);
    expect(trigger.attributes).toMatchObject({ 'flink.job.id': jobId, 'flink.trigger.id': op.triggerId, 'flink.operation.kind': 'savepoint' });
    expect(trigger.status.code).toBe(SpanStatusCode.OK);
    const post = one('POST /jobs/{jobId}/savepoints');
    expect(post.kind).toBe(SpanKind.CLIENT);
    expect(parentOf(post)).toBe(trigger.spanContext().spanId);
    expect(post.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 202,
      'url.template': '/jobs/{jobId}/savepoints',
      'server.address': '127.0.0.1',
      'flink.job.id': jobId,
    });
    expect(post.attributes['url.full']).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/.*jobs/${jobId}/savepoints$`));
    expect(post.attributes['flink.request.id']).toMatch(/.+/);

    const waited = one('flink.savepoint.result');
    expect(waited.attributes).toMatchObject({ 'flink.job.id': jobId, 'flink.trigger.id': op.triggerId, 'flink.savepoint.path': location });
    expect(waited.status.code).toBe(SpanStatusCode.OK);
    const polls = spans('GET /jobs/{jobId}/savepoints/{triggerId}');
    expect(polls.length).toBeGreaterThanOrEqual(1);
    for (const p of polls) {
      expect(parentOf(p)).toBe(waited.spanContext().spanId);
      expect(p.attributes).toMatchObject({ 'flink.job.id': jobId, 'flink.trigger.id': op.triggerId, 'http.response.status_code': 200 });
    }
    const pollEvents = waited.events.filter((e) => e.name === 'poll');
    expect(pollEvents).toHaveLength(polls.length);
    expect(pollEvents.at(-1)?.attributes).toMatchObject({ 'flink.state': 'SUCCEEDED' });
    expect(waited.attributes['flink.polls']).toBe(polls.length);
  });

  it('SDK spans are children of the caller\'s active span', async () => {
    const jobId = await runningJob();
    exporter.reset();
    const tracer = trace.getTracer('test');
    await tracer.startActiveSpan('deploy pipeline', async (parent) => {
      await cluster.job(jobId).waitFor('RUNNING', poll);
      parent.end();
    });
    const parent = one('deploy pipeline');
    const waitSpan = one('flink.job.waitFor');
    expect(parentOf(waitSpan)).toBe(parent.spanContext().spanId);
    expect(waitSpan.attributes).toMatchObject({ 'flink.job.id': jobId, 'flink.awaited': 'RUNNING' });
    const get = one('GET /jobs/{jobId}/status');
    expect(parentOf(get)).toBe(waitSpan.spanContext().spanId);
    expect(waitSpan.spanContext().traceId).toBe(parent.spanContext().traceId);
  });

  it('a call retried after a 503 is one span with a retry event; the final error sets ERROR, its code and the request id', async () => {
    const jobId = await runningJob();
    sim.faults.error(503, { path: '/jobs/:jobid', times: 1 });
    exporter.reset();
    await cluster.job(jobId).describe();
    const ok = one('GET /jobs/{jobId}');
    expect(ok.events.map((e) => e.name)).toEqual(['retry']);
    expect(ok.attributes).toMatchObject({ 'http.response.status_code': 200, 'http.request.resend_count': 1 });
    expect(ok.status.code).toBe(SpanStatusCode.OK);

    exporter.reset();
    const missing = hexId();
    const err = (await cluster.job(missing).describe().catch((e: unknown) => e)) as FlinkError;
    expect(err).toBeInstanceOf(JobNotFoundError);
    const failed = one('GET /jobs/{jobId}');
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': err.code, 'flink.error.code': err.code, 'flink.job.id': missing, 'flink.request.id': err.requestId });
    expect(failed.events.find((e) => e.name === 'exception')?.attributes).toMatchObject({ 'exception.type': err.code });
  });

  it('cluster-level calls are spans too, and ids in paths become the template', async () => {
    await cluster.overview();
    const span = one(/^GET \/overview$/);
    expect(span.attributes).toMatchObject({ 'http.request.method': 'GET', 'url.template': '/overview', 'http.response.status_code': 200 });
  });

  it('undici\'s diagnostics channel sees the SDK\'s call span as the active span of each attempt (how instrumentation-undici nests under it)', async () => {
    const jobId = await runningJob();
    sim.faults.error(503, { path: '/jobs/:jobid', times: 1 });
    exporter.reset();
    const seen: (string | undefined)[] = [];
    const onCreate = (): void => {
      seen.push(trace.getActiveSpan()?.spanContext().spanId);
    };
    diagnosticsChannel.subscribe('undici:request:create', onCreate);
    try {
      await cluster.job(jobId).describe();
    } finally {
      diagnosticsChannel.unsubscribe('undici:request:create', onCreate);
    }
    const call = one('GET /jobs/{jobId}');
    expect(seen).toEqual([call.spanContext().spanId, call.spanContext().spanId]);
  });
});
