import { describe, expect, it } from 'vitest';
import {
  ApplicationNotFoundError,
  FlinkApiError,
  FlinkError,
  FlinkNotFoundError,
  FlinkServerError,
  JobNotFoundError,
  OperationNotFoundError,
} from '../../src/index.js';
import { summarizeFlinkErrors } from '../../src/errors/flink-api-error.js';
import { mapHttpError } from '../../src/http/map-error.js';

const base = { method: 'GET', url: 'http://h/v1/jobs/x', path: '/jobs/x', body: '' };

describe('error hierarchy', () => {
  it('gives each class a stable code and keeps instanceof along the chain', () => {
    const err = new JobNotFoundError({ ...base, status: 404, errors: ['Job not found'], jobId: 'a'.repeat(32) });
    expect(err.code).toBe('FLINK_JOB_NOT_FOUND');
    expect(err).toBeInstanceOf(JobNotFoundError);
    expect(err).toBeInstanceOf(FlinkNotFoundError);
    expect(err).toBeInstanceOf(FlinkApiError);
    expect(err).toBeInstanceOf(FlinkError);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(OperationNotFoundError);
    expect(err.name).toBe('JobNotFoundError');
    expect(err.jobId).toBe('a'.repeat(32));
  });

  it('recognises errors from another copy of the package by brand, not by prototype', () => {
    // Simulates the CJS build's class: a different constructor with the same brand.
    const foreign: object = Object.create(Error.prototype);
    Object.defineProperty(foreign, Symbol.for('flink-client.error.kinds'), { value: ['JobNotFoundError', 'FlinkNotFoundError', 'FlinkApiError', 'FlinkError'] });
    expect(foreign instanceof JobNotFoundError).toBe(true);
    expect(foreign instanceof FlinkError).toBe(true);
    expect(foreign instanceof ApplicationNotFoundError).toBe(false);
    expect({} instanceof FlinkError).toBe(false);
    expect((null as unknown as object) instanceof FlinkError).toBe(false);
  });

  it('reads "<METHOD> <path> → <status>: <first Flink error line>"', () => {
    const err = new FlinkServerError({
      ...base,
      status: 500,
      errors: ['Internal server error.', '<Exception on server side:\norg.apache.flink.util.FlinkException: boom\n\tat x.y(Z.java:1)\nEnd of exception on server side>'],
    });
    expect(err.message).toBe('GET /jobs/x → 500: org.apache.flink.util.FlinkException: boom');
    expect(err.errors).toHaveLength(2);
  });

  it('serializes to JSON with its fields', () => {
    const err = new FlinkApiError({ ...base, status: 429, errors: ['slow down'] });
    const json = JSON.parse(JSON.stringify(err)) as Record<string, unknown>;
    expect(json).toMatchObject({ name: 'FlinkApiError', code: 'FLINK_API_ERROR', status: 429, errors: ['slow down'] });
  });
});

describe('summarizeFlinkErrors', () => {
  it('takes the first non-empty line of the first error', () => {
    expect(summarizeFlinkErrors(['org.apache.X: msg\n\tat a.b(C.java:1)'])).toEqual({ headline: 'org.apache.X: msg', rootCause: { className: 'org.apache.X', message: 'msg' } });
    expect(summarizeFlinkErrors([])).toEqual({ headline: undefined, rootCause: undefined });
  });

  it('finds the deepest cause, also inside the internal-server-error wrapper', () => {
    const trace = [
      'org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.',
      '\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.lambda$handleRequest$1(JarRunHandler.java:114)',
      'Caused by: java.util.concurrent.CompletionException: java.lang.RuntimeException: x',
      'Caused by: java.io.FileNotFoundException: Cannot find checkpoint or savepoint file/directory \'file:///nope/sp\' on file system \'file\'.',
      '\t... 12 more',
    ].join('\n');
    expect(summarizeFlinkErrors([trace]).rootCause).toEqual({ className: 'java.io.FileNotFoundException', message: "Cannot find checkpoint or savepoint file/directory 'file:///nope/sp' on file system 'file'." });
    const wrapped = summarizeFlinkErrors(['Internal server error.', `<Exception on server side:\n${trace}\nEnd of exception on server side>`]);
    expect(wrapped.headline).toBe('org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.');
    expect(wrapped.rootCause?.className).toBe('java.io.FileNotFoundException');
  });
});

describe('mapHttpError', () => {
  it('maps 404 by resource, but an unknown route stays a plain not-found', () => {
    const job = mapHttpError({ ...base, status: 404, errors: ['Job x not found'], resource: { kind: 'job', jobId: 'b'.repeat(32) } });
    expect(job).toBeInstanceOf(JobNotFoundError);
    const route = mapHttpError({ ...base, status: 404, errors: ['Not found: /v1/jobs/x/rescales/config'], resource: { kind: 'job', jobId: 'b'.repeat(32) } });
    expect(route).toBeInstanceOf(FlinkNotFoundError);
    expect(route).not.toBeInstanceOf(JobNotFoundError);
    const op = mapHttpError({ ...base, status: 404, errors: ['x'], resource: { kind: 'operation', operation: 'savepoint', triggerId: 'c'.repeat(32) } });
    expect(op).toBeInstanceOf(OperationNotFoundError);
    expect(op.message).toContain('rest.async.store-duration');
  });
});
