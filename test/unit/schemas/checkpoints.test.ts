import { describe, expect, it } from 'vitest';
import { CheckpointConfigSchema, CheckpointingStatisticsSchema } from '../../../src/schemas/checkpoints.js';
import { describeSchemaCases, fixture, getAt, setAt } from './schema-cases.js';

describeSchemaCases([
  {
    name: 'CheckpointingStatisticsSchema (GET /jobs/:id/checkpoints)',
    schema: CheckpointingStatisticsSchema,
    fixtures: ['checkpoints/checkpointing-statistics.2.3.json', 'checkpoints/checkpointing-statistics.1.20.json', 'checkpoints/checkpointing-statistics-empty.2.3.json'],
    objectPaths: [
      [],
      ['counts'],
      ['summary', 'state_size'],
      ['latest', 'completed'],
      ['latest', 'failed'],
      ['latest', 'restored'],
      ['history', 0],
      ['history', 1],
    ],
    enumPaths: [
      ['history', 0, 'status'],
      ['history', 0, 'className'],
      ['history', 0, 'checkpoint_type'],
      ['latest', 'savepoint', 'savepointFormat'],
    ],
    wrongTypes: [
      [['history'], {}],
      [['history', 0, 'id'], '6'],
      [['history', 0, 'status'], null],
      [['counts', 'completed'], '4'],
      [['latest', 'completed', 'external_path'], 42],
      [['summary', 'end_to_end_duration', 'p50'], 'fifty-three'],
    ],
  },
  {
    name: 'CheckpointConfigSchema (GET /jobs/:id/checkpoints/config)',
    schema: CheckpointConfigSchema,
    fixtures: ['checkpoints/checkpoint-config.2.3.json', 'checkpoints/checkpoint-config.1.20.json'],
    objectPaths: [[], ['externalization']],
    enumPaths: [['mode']],
    wrongTypes: [
      [['interval'], '1000'],
      [['externalization', 'enabled'], 'false'],
      [['mode'], 1],
    ],
  },
]);

describe('checkpoint schemas, wire format details', () => {
  it('accepts "NaN" percentiles while no checkpoint has completed', () => {
    const body = fixture('checkpoints/checkpointing-statistics-empty.2.3.json');
    expect(getAt(body, ['summary', 'state_size', 'p99'])).toBe('NaN');
    const parsed = CheckpointingStatisticsSchema.for('strict').parse(body);
    expect(parsed.latest.completed).toBeNull();
    expect(parsed.history).toEqual([]);
  });

  it('types the subtype fields of history entries as optional and keeps them', () => {
    const parsed = CheckpointingStatisticsSchema.for('lenient').parse(fixture('checkpoints/checkpointing-statistics.2.3.json'));
    const byClass = Object.fromEntries(parsed.history.map((h) => [h.className, h]));
    expect(byClass.failed?.failure_message).toBe('Checkpoint expired before completing.');
    expect(byClass.completed?.external_path).toMatch(/chk-3$/);
    expect(byClass.in_progress?.external_path).toBeUndefined();
  });

  it('requires the completed fields on latest.completed', () => {
    const body = fixture('checkpoints/checkpointing-statistics.2.3.json');
    const { discarded: _dropped, ...withoutDiscarded } = getAt(body, ['latest', 'completed']) as Record<string, unknown>;
    const broken = setAt(body, ['latest', 'completed'], withoutDiscarded);
    expect(CheckpointingStatisticsSchema.for('lenient').safeParse(broken).success).toBe(false);
  });

  it('takes the checkpointing mode in lower case as Flink writes it, not the spec enum', () => {
    const body = fixture('checkpoints/checkpoint-config.2.3.json');
    expect(getAt(body, ['mode'])).toBe('exactly_once');
    expect(CheckpointConfigSchema.for('strict').safeParse(setAt(body, ['mode'], 'EXACTLY_ONCE')).success).toBe(false);
  });
});
