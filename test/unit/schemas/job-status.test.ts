import { describe, expect, it } from 'vitest';
import { isGloballyTerminalJobStatus, jobStatusEnum, KNOWN_JOB_STATUSES } from '../../../src/schemas/job-status.js';
import { defineSchema } from '../../../src/schemas/schema-kit.js';

describe('job statuses', () => {
  it('lists the eleven statuses of Flink 1.20 to 2.3', () => {
    expect(KNOWN_JOB_STATUSES).toEqual([
      'INITIALIZING',
      'CREATED',
      'RUNNING',
      'FAILING',
      'FAILED',
      'CANCELLING',
      'CANCELED',
      'FINISHED',
      'RESTARTING',
      'SUSPENDED',
      'RECONCILING',
    ]);
  });

  it.each(['FAILED', 'CANCELED', 'FINISHED'])('%s is globally terminal', (status) => {
    expect(isGloballyTerminalJobStatus(status)).toBe(true);
  });

  it.each(['INITIALIZING', 'CREATED', 'RUNNING', 'FAILING', 'CANCELLING', 'RESTARTING', 'SUSPENDED', 'RECONCILING', 'CANCELING', 'UNKNOWN'])(
    '%s is not globally terminal',
    (status) => {
      expect(isGloballyTerminalJobStatus(status)).toBe(false);
    },
  );

  it('builds an open enum: strict knows the statuses, lenient takes any string', () => {
    const schema = defineSchema((k) => jobStatusEnum(k));
    expect(schema.for('strict').safeParse('RECONCILING').success).toBe(true);
    expect(schema.for('strict').safeParse('CANCELING').success).toBe(false);
    expect(schema.for('lenient').safeParse('CANCELING').success).toBe(true);
    expect(schema.for('lenient').safeParse(3).success).toBe(false);
  });
});
