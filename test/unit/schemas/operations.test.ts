import { describe, expect, it } from 'vitest';
import {
  AsynchronousOperationStatusSchema,
  CheckpointTriggerStatusSchema,
  EmptyResponseSchema,
  SavepointStatusSchema,
  TriggerResponseSchema,
} from '../../../src/schemas/operations.js';
import { describeSchemaCases, fixture, setAt } from './schema-cases.js';

describeSchemaCases([
  {
    name: 'TriggerResponseSchema (POST /jobs/:id/savepoints, /stop, /checkpoints, /savepoint-disposal)',
    schema: TriggerResponseSchema,
    fixtures: ['operations/trigger-response.json'],
    objectPaths: [[]],
    wrongTypes: [
      [['request-id'], 42],
      [[], []],
    ],
  },
  {
    name: 'SavepointStatusSchema (GET /jobs/:id/savepoints/:triggerid)',
    schema: SavepointStatusSchema,
    fixtures: ['operations/savepoint-status-failed.json', 'operations/savepoint-status-completed.json', 'operations/savepoint-status-in-progress.json'],
    objectPaths: [[], ['status'], ['operation'], ['operation', 'failure-cause']],
    enumPaths: [['status', 'id']],
    wrongTypes: [
      [['status'], 'COMPLETED'],
      [['status', 'id'], 1],
      [['operation'], 'failed'],
      [['operation', 'failure-cause'], 'stack trace'],
    ],
  },
  {
    name: 'CheckpointTriggerStatusSchema (GET /jobs/:id/checkpoints/:triggerid)',
    schema: CheckpointTriggerStatusSchema,
    fixtures: ['operations/checkpoint-status-failed.json', 'operations/checkpoint-status-completed.json', 'operations/checkpoint-status-in-progress.json'],
    objectPaths: [[], ['status'], ['operation'], ['operation', 'failureCause']],
    enumPaths: [['status', 'id']],
    wrongTypes: [
      [['status', 'id'], null],
      [['operation', 'checkpointId'], '7'],
      [['operation', 'failureCause'], 'stack trace'],
    ],
  },
  {
    name: 'AsynchronousOperationStatusSchema (GET /savepoint-disposal/:triggerid)',
    schema: AsynchronousOperationStatusSchema,
    fixtures: ['operations/disposal-status-failed.json', 'operations/disposal-status-completed.json', 'operations/disposal-status-in-progress.json'],
    objectPaths: [[], ['status'], ['operation'], ['operation', 'failure-cause']],
    enumPaths: [['status', 'id']],
    wrongTypes: [
      [['status'], null],
      [['operation', 'failure-cause'], 'Could not dispose savepoint'],
    ],
  },
  {
    name: 'EmptyResponseSchema ({} bodies)',
    schema: EmptyResponseSchema,
    fixtures: ['operations/empty.json'],
    objectPaths: [[]],
    wrongTypes: [
      [[], null],
      [[], []],
    ],
  },
]);

describe('operation status schemas, wire format details', () => {
  it('accepts operation: null while in progress (what Flink sends) and an absent operation', () => {
    const inProgress = fixture('operations/savepoint-status-in-progress.json');
    expect(SavepointStatusSchema.for('strict').parse(inProgress).operation).toBeNull();
    expect(SavepointStatusSchema.for('strict').parse({ status: { id: 'IN_PROGRESS' } }).operation).toBeUndefined();
  });

  it('uses camelCase in the checkpoint payload and kebab-case in the savepoint payload', () => {
    const failure = fixture('operations/checkpoint-status-failed.json');
    const kebab = setAt(failure, ['operation'], { 'failure-cause': (failure as { operation: { failureCause: unknown } }).operation.failureCause });
    expect(CheckpointTriggerStatusSchema.for('strict').safeParse(kebab).success).toBe(false);
    expect(SavepointStatusSchema.for('strict').safeParse(kebab).success).toBe(true);
  });

  it('reads the savepoint location of a completed savepoint', () => {
    const parsed = SavepointStatusSchema.for('lenient').parse(fixture('operations/savepoint-status-completed.json'));
    expect(parsed.status.id).toBe('COMPLETED');
    expect(parsed.operation?.location).toMatch(/^file:/);
  });

  it('lets a lenient empty response carry any keys', () => {
    expect(EmptyResponseSchema.for('lenient').safeParse({ note: 'x' }).success).toBe(true);
    expect(EmptyResponseSchema.for('strict').safeParse({ note: 'x' }).success).toBe(false);
  });
});
