import { http, HttpResponse } from 'msw';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient, type ClusterClientOptions, FlinkArgumentError, RestClusterDescriptor } from 'flink-client';
import { FLINK_JSON } from '../support/ids.js';
import { type MswServer, startMswServer } from '../support/msw-server.js';

// Table-driven: every option of every public constructor and method, with values that must be
// refused (a FlinkArgumentError naming the option, before anything is sent) and values that must
// be accepted. The tables are the spec of what each option takes.

const JOB = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';
const TRIGGER = 'b0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';
const JAR = '3f6a6c8e-1b2c-4d5e-8f90-123456789abc_job.jar';

let server: MswServer;
const clients: ClusterClient[] = [];
const dispatcher = new Agent();

beforeAll(async () => {
  server = await startMswServer([
    http.get('*/v1/config', () =>
      HttpResponse.json(
        { 'refresh-interval': 3000, 'timezone-name': 'UTC', 'timezone-offset': 0, 'flink-version': '2.3.0', 'flink-revision': 'x', features: { 'web-submit': true, 'web-cancel': true, 'web-rescale': false, 'web-history': false } },
        { headers: FLINK_JSON },
      ),
    ),
  ]);
});
afterEach(async () => {
  server.reset();
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await server.close();
  await dispatcher.close();
});

/** The argument path a FlinkArgumentError names, or what else was thrown. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof FlinkArgumentError ? err.argument : `not a FlinkArgumentError: ${String(err)}`;
  }
  return 'accepted';
}

async function asyncRefusal(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (err) {
    return err instanceof FlinkArgumentError ? err.argument : 'rejected otherwise';
  }
  return 'accepted';
}

type Case = readonly [option: string, bad: readonly unknown[], good: readonly unknown[]];

const CLIENT_OPTIONS: readonly Case[] = [
  ['url', [123, '', 'localhost:8081', 'ftp://h:1', 'http://u:p@h:1', 'http://h:1/?q=1', [], ['http://h:1', 7]], ['http://h:1', new URL('http://h:1'), ['http://a:1', 'http://b:1']]],
  ['timeoutMs', [0, -1, NaN, '5', null], [1, 30_000, Infinity, 1e12]],
  ['maxRetries', [-1, 1.5, Infinity, NaN, 101, '3'], [0, 3, 100]],
  ['waitTimeoutMs', [0, -1, NaN, 'x'], [1, Infinity]],
  ['unreachableTimeoutMs', [0, -1, NaN], [1, Infinity]],
  ['connections', [0, -1, 1.5, Infinity], [1, 64]],
  ['maxResponseBytes', [0, -5, 1.5, Infinity, NaN], [1, 1024]],
  ['validation', ['STRICT', 'bogus', 1, null], ['strict', 'lenient', 'off']],
  ['sensitiveHeaders', ['x', [1], ['bad header'], [{}]], [['x-my-key'], []]],
  ['headers', ['x', { 'x-a': 1 }, { 'x-a': 'a\r\nb' }, { 'x-a': 'a\u0000b' }, { 'bad name': 'v' }, []], [{ 'x-a': 'b' }, {}]],
  [
    'auth',
    [{ type: 'digest' }, 'Basic', { type: 'bearer', token: 123 }, { type: 'basic', username: 'u' }, { type: 'bearer', token: '' }, { type: 'basic', username: 'a:b', password: 'p' }, { type: 'bearer', token: 'a\nb' }, { type: 'basic', username: 'u', password: 'p', extra: 1 }],
    [{ type: 'basic', username: 'u', password: 'p' }, { type: 'basic', username: 'u', password: '' }, { type: 'bearer', token: 't' }, { type: 'bearer', token: () => 't' }],
  ],
  ['retry', ['x', { maxRetryAfterMs: NaN }, { factor: 0 }, { jitter: 2 }, { initialDelayMs: -1 }, { initialDelayMs: 100, maxDelayMs: 10 }, { maxDelayMs: 1e12 }, { nope: 1 }], [{}, { initialDelayMs: 0 }, { factor: 1.5, jitter: 0 }]],
  ['logger', ['x', { debug() {} }, {}], [console, { debug() {}, info() {}, warn() {}, error() {} }]],
  ['dispatcher', ['x', {}, 1], [dispatcher]],
  ['timeout', [5000], []],
];

describe.each([
  ['ClusterClient', (o: unknown) => clients.push(new ClusterClient(o as ClusterClientOptions))],
  ['RestClusterDescriptor', (o: unknown) => new RestClusterDescriptor(o as ClusterClientOptions)],
] as const)('new %s(options)', (_name, make) => {
  it.each(CLIENT_OPTIONS)('%s: refuses the bad values, naming the option, and takes the good ones', (option, bad, good) => {
    const base = option === 'url' ? {} : { url: server.url };
    for (const value of bad) expect(refusal(() => make({ ...base, [option]: value })).startsWith(`options.${option}`), `${option}: ${String(value)}`).toBe(true);
    for (const value of good) expect(refusal(() => make({ ...base, [option]: value })), `${option}: ${String(value)}`).toBe('accepted');
  });

  it('tls: refused with no https URL or with a dispatcher; taken with an https URL', () => {
    expect(refusal(() => make({ url: 'http://h:1', tls: { ca: 'x' } }))).toBe('options.tls');
    expect(refusal(() => make({ url: 'https://h:1', tls: { ca: 'x' }, dispatcher }))).toBe('options.tls');
    expect(refusal(() => make({ url: 'https://h:1', tls: { ca: 123 } }))).toBe('options.tls.ca');
    expect(refusal(() => make({ url: 'https://h:1', tls: { rejectUnauthorized: 'no' } }))).toBe('options.tls.rejectUnauthorized');
    expect(refusal(() => make({ url: 'https://h:1', tls: { ca: ['a', Buffer.from('b')], servername: 'flink', rejectUnauthorized: true } }))).toBe('accepted');
  });

  it('says what a URL without a scheme most likely meant, and lists the options an unknown key is not', () => {
    expect(() => make({ url: 'localhost:8081' })).toThrow(/did you mean "http:\/\/localhost:8081"/);
    expect(() => make({ url: server.url, timeout: 1 })).toThrow(/unknown option; expected one of url, dispatcher, tls, auth/);
    expect(() => make(undefined)).toThrow(FlinkArgumentError);
  });

  it('never echoes the value of a refused credential', () => {
    let message = '';
    try {
      make({ url: server.url, auth: { type: 'bearer', token: 'line1\nsecret-token-value' } });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toContain('secret-token-value');
  });
});

/** Every call that takes per-call request options, made on a fresh client. */
const REQUEST_CALLS: readonly [string, (c: ClusterClient, o: never) => Promise<unknown>][] = [
  ['cluster.overview', (c, o) => c.overview(o)],
  ['cluster.config', (c, o) => c.config(o)],
  ['cluster.listJobs', (c, o) => c.listJobs(o)],
  ['cluster.listJars', (c, o) => c.listJars(o)],
  ['cluster.listTaskManagers', (c, o) => c.listTaskManagers(o)],
  ['cluster.jobManagerConfig', (c, o) => c.jobManagerConfig(o)],
  ['cluster.listApplications', (c, o) => c.listApplications(o)],
  ['cluster.runJar', (c, o) => c.runJar(JAR, {}, o)],
  ['cluster.planJar', (c, o) => c.planJar(JAR, {}, o)],
  ['cluster.deleteJar', (c, o) => c.deleteJar(JAR, o)],
  ['cluster.disposeSavepoint', (c, o) => c.disposeSavepoint('file:///sp', {}, o)],
  ['cluster.shutDownCluster', (c, o) => c.shutDownCluster(o)],
  ['cluster.uploadJar', (c, o) => c.uploadJar(import.meta.filename, { filename: 'x.jar', ...(o as object) })],
  ['job.status', (c, o) => c.job(JOB).status(o)],
  ['job.describe', (c, o) => c.job(JOB).describe(o)],
  ['job.cancel', (c, o) => c.job(JOB).cancel(o)],
  ['job.triggerSavepoint', (c, o) => c.job(JOB).triggerSavepoint({}, o)],
  ['job.stopWithSavepoint', (c, o) => c.job(JOB).stopWithSavepoint({}, o)],
  ['job.triggerCheckpoint', (c, o) => c.job(JOB).triggerCheckpoint({}, o)],
  ['job.accumulators', (c, o) => c.job(JOB).accumulators(o)],
  ['job.exceptions', (c, o) => c.job(JOB).exceptions({}, o)],
  ['job.checkpoints', (c, o) => c.job(JOB).checkpoints(o)],
  ['job.checkpointConfig', (c, o) => c.job(JOB).checkpointConfig(o)],
  ['job.config', (c, o) => c.job(JOB).config(o)],
  ['job.plan', (c, o) => c.job(JOB).plan(o)],
  ['job.resourceRequirements', (c, o) => c.job(JOB).resourceRequirements(o)],
  ['job.rescale', (c, o) => c.job(JOB).rescale({ parallelism: 2 }, o)],
  ['job.applicationId', (c, o) => c.job(JOB).applicationId(o)],
  ['application.status', (c, o) => c.application(JOB).status(o)],
  ['application.describe', (c, o) => c.application(JOB).describe(o)],
  ['application.cancel', (c, o) => c.application(JOB).cancel(o)],
  ['application.jobs', (c, o) => c.application(JOB).jobs(o)],
  ['operation.status', (c, o) => c.job(JOB).savepointOperation(TRIGGER).status(o)],
];

const BAD_REQUEST_OPTIONS: readonly [string, unknown][] = [
  ['options.timeoutMs', { timeoutMs: -1 }],
  ['options.timeoutMs', { timeoutMs: NaN }],
  ['options.maxRetries', { maxRetries: Infinity }],
  ['options.maxRetries', { maxRetries: -1 }],
  ['options.headers', { headers: { 'x-a': 'a\r\nInjected: 1' } }],
  ['options.signal', { signal: 'stop' }],
  ['options.nope', { nope: 1 }],
];

describe('per-call request options', () => {
  it.each(REQUEST_CALLS)('%s refuses bad options before sending', async (_name, call) => {
    for (const [argument, options] of BAD_REQUEST_OPTIONS) {
      const c = new ClusterClient({ url: server.url });
      clients.push(c);
      const refused = await asyncRefusal(() => call(c, options as never));
      expect(refused.startsWith(argument), `${JSON.stringify(options)} → ${refused}`).toBe(true);
    }
    expect(server.requests.filter((r) => !r.url.endsWith('/config'))).toEqual([]);
  });
});

const WAIT_CALLS: readonly [string, (c: ClusterClient, o: never) => Promise<unknown>][] = [
  ['job.result', (c, o) => c.job(JOB).result(o)],
  ['job.waitFor', (c, o) => c.job(JOB).waitFor('RUNNING', o)],
  ['application.result', (c, o) => c.application(JOB).result(o)],
  ['application.waitFor', (c, o) => c.application(JOB).waitFor('RUNNING', o)],
  ['operation.result', (c, o) => c.job(JOB).savepointOperation(TRIGGER).result(o)],
];

const BAD_WAIT_OPTIONS: readonly [string, unknown][] = [
  ['options.timeoutMs', { timeoutMs: NaN }],
  ['options.timeoutMs', { timeoutMs: 0 }],
  ['options.pollIntervalMs', { pollIntervalMs: 0 }],
  ['options.maxPollIntervalMs', { maxPollIntervalMs: -1 }],
  ['options.unreachableTimeoutMs', { unreachableTimeoutMs: NaN }],
  ['options.request.signal', { request: { signal: AbortSignal.timeout(1) } }],
  ['options.request.timeoutMs', { request: { timeoutMs: -5 } }],
  ['options.signal', { signal: {} }],
];

describe('wait options', () => {
  it.each(WAIT_CALLS)('%s refuses bad options before polling', async (_name, call) => {
    for (const [argument, options] of BAD_WAIT_OPTIONS) {
      const c = new ClusterClient({ url: server.url });
      clients.push(c);
      expect(await asyncRefusal(() => call(c, options as never)), JSON.stringify(options)).toBe(argument);
    }
    expect(server.requests.filter((r) => !r.url.endsWith('/config'))).toEqual([]);
  });

  it('waitFor refuses a target that is no status, no list of statuses and no predicate', async () => {
    const c = new ClusterClient({ url: server.url });
    clients.push(c);
    for (const target of ['', [], 5, null]) expect(await asyncRefusal(() => c.job(JOB).waitFor(target as never))).toBe('target');
  });
});

const PARAM_CASES: readonly [string, (c: ClusterClient) => Promise<unknown> | unknown, string][] = [
  ['runJar claimMode', (c) => c.runJar(JAR, { claimMode: 'BOGUS' as never }), 'params.claimMode'],
  ['runJar parallelism', (c) => c.runJar(JAR, { parallelism: 0 }), 'params.parallelism'],
  ['runJar args', (c) => c.runJar(JAR, { args: 'x' as never }), 'params.args'],
  ['runJar jobId', (c) => c.runJar(JAR, { jobId: 'nope' }), 'params.jobId'],
  ['runJar configuration', (c) => c.runJar(JAR, { configuration: { a: 1 } as never }), 'params.configuration.a'],
  ['runJar savepointPath', (c) => c.runJar(JAR, { savepointPath: '' }), 'params.savepointPath'],
  ['runJar allowNonRestoredState', (c) => c.runJar(JAR, { allowNonRestoredState: 'yes' as never }), 'params.allowNonRestoredState'],
  ['runJar unknown key', (c) => c.runJar(JAR, { parallism: 2 } as never), 'params.parallism'],
  ['runApplication applicationId', (c) => c.runApplication(JAR, { applicationId: 'x' }), 'params.applicationId'],
  ['runApplication claimMode', (c) => c.runApplication(JAR, { claimMode: 'claim' as never }), 'params.claimMode'],
  ['planJar entryClass', (c) => c.planJar(JAR, { entryClass: '' }), 'params.entryClass'],
  ['uploadJar filename', (c) => c.uploadJar(import.meta.filename, { filename: 'x.zip' }), 'filename'],
  ['uploadJar filename with a newline', (c) => c.uploadJar(import.meta.filename, { filename: 'a\n.jar' }), 'filename'],
  ['uploadJar size', (c) => c.uploadJar(import.meta.filename, { size: -1 }), 'options.size'],
  ['uploadJar onProgress', (c) => c.uploadJar(import.meta.filename, { onProgress: 'x' as never }), 'options.onProgress'],
  ['uploadJar source', (c) => c.uploadJar(42 as never, { filename: 'x.jar' }), 'source'],
  ['disposeSavepoint path', (c) => c.disposeSavepoint(''), 'savepointPath'],
  ['disposeSavepoint triggerId', (c) => c.disposeSavepoint('file:///sp', { triggerId: 'x' }), 'params.triggerId'],
  ['triggerSavepoint formatType', (c) => c.job(JOB).triggerSavepoint({ formatType: 'ZIP' as never }), 'params.formatType'],
  ['triggerSavepoint cancelJob', (c) => c.job(JOB).triggerSavepoint({ cancelJob: 'yes' as never }), 'params.cancelJob'],
  ['triggerSavepoint targetDirectory', (c) => c.job(JOB).triggerSavepoint({ targetDirectory: '' }), 'params.targetDirectory'],
  ['triggerSavepoint triggerId', (c) => c.job(JOB).triggerSavepoint({ triggerId: 'nope' }), 'params.triggerId'],
  ['stopWithSavepoint drain', (c) => c.job(JOB).stopWithSavepoint({ drain: 1 as never }), 'params.drain'],
  ['stopWithSavepoint formatType', (c) => c.job(JOB).stopWithSavepoint({ formatType: 'canonical' as never }), 'params.formatType'],
  ['triggerCheckpoint type', (c) => c.job(JOB).triggerCheckpoint({ type: 'HALF' as never }), 'params.type'],
  ['exceptions maxExceptions', (c) => c.job(JOB).exceptions({ maxExceptions: 0 }), 'params.maxExceptions'],
  ['rescale parallelism', (c) => c.job(JOB).rescale({ parallelism: 0 }), 'target'],
  ['rescale requirements', (c) => c.job(JOB).rescale({ nope: { parallelism: { lowerBound: 1, upperBound: 1 } } } as never), 'target'],
  ['rescale bounds', (c) => c.job(JOB).rescale({ [JOB]: { parallelism: { lowerBound: 3, upperBound: 1 } } }), 'target'],
  ['job id', (c) => c.job('nope'), 'jobId'],
  ['application id', (c) => c.application('x'.repeat(32)), 'applicationId'],
  ['savepointOperation trigger id', (c) => c.job(JOB).savepointOperation('x'), 'triggerId'],
  ['checkpointOperation trigger id', (c) => c.job(JOB).checkpointOperation('x'), 'triggerId'],
  ['savepointDisposalOperation trigger id', (c) => c.savepointDisposalOperation('x'), 'triggerId'],
  ['job.watch pollIntervalMs', (c) => c.job(JOB).watch({ pollIntervalMs: -1 }), 'options.pollIntervalMs'],
  ['job.watch changes', (c) => c.job(JOB).watch({ changes: 'some' as never }), 'options.changes'],
  ['job.watch onError', (c) => c.job(JOB).watch({ onError: 1 as never }), 'options.onError'],
  ['application.watch signal', (c) => c.application(JOB).watch({ signal: 'x' as never }), 'options.signal'],
  ['cluster.watch jobs', (c) => c.watch({ jobs: 'some' as never }), 'options.jobs'],
  ['cluster.watch applications', (c) => c.watch({ applications: ['nope'] }), 'options.applications.0'],
  ['cluster.watch unknown key', (c) => c.watch({ interval: 5 } as never), 'options.interval'],
  ['retrieve verify', () => new RestClusterDescriptor({ url: server.url }).retrieve({ verify: 'yes' as never }), 'options.verify'],
];

describe('method parameters', () => {
  it.each(PARAM_CASES)('%s is refused before sending', async (_name, call, argument) => {
    const c = new ClusterClient({ url: server.url });
    clients.push(c);
    const refused = await asyncRefusal(async () => call(c));
    expect(refused.startsWith(argument), refused).toBe(true);
    expect(server.requests.filter((r) => !r.url.endsWith('/config'))).toEqual([]);
  });
});
