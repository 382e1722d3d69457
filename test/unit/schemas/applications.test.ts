import { describe, expect, it } from 'vitest';
import {
  ApplicationDetailsSchema,
  ApplicationExceptionsSchema,
  ApplicationsOverviewSchema,
  isTerminalApplicationStatus,
  KNOWN_APPLICATION_STATUSES,
} from '../../../src/schemas/applications.js';
import { describeSchemaCases, fixture, setAt } from './schema-cases.js';

describeSchemaCases([
  {
    name: 'ApplicationsOverviewSchema (GET /applications/overview)',
    schema: ApplicationsOverviewSchema,
    fixtures: ['applications/applications-overview.2.3.json'],
    objectPaths: [[], ['applications', 0]],
    enumPaths: [['applications', 0, 'status']],
    wrongTypes: [
      [['applications'], {}],
      [['applications', 0, 'status'], 1],
      [['applications', 0, 'jobs'], []],
      [['applications', 0, 'jobs', 'FAILED'], '1'],
    ],
  },
  {
    name: 'ApplicationDetailsSchema (GET /applications/:id)',
    schema: ApplicationDetailsSchema,
    fixtures: ['applications/application-details.2.3.json'],
    objectPaths: [[], ['jobs', 0], ['jobs', 0, 'tasks']],
    enumPaths: [['status'], ['jobs', 0, 'state']],
    wrongTypes: [
      [['jobs'], {}],
      [['status'], null],
      [['timestamps'], []],
      [['jobs', 0, 'jid'], 5],
    ],
  },
  {
    name: 'ApplicationExceptionsSchema (GET /applications/:id/exceptions)',
    schema: ApplicationExceptionsSchema,
    fixtures: ['applications/application-exceptions.2.3.json', 'applications/application-exceptions-empty.2.3.json'],
    objectPaths: [[], ['exceptionHistory'], ['exceptionHistory', 'entries', 0]],
    wrongTypes: [
      [['exceptionHistory', 'entries'], {}],
      [['exceptionHistory', 'entries', 0, 'timestamp'], '1795239603002'],
    ],
  },
]);

describe('application states', () => {
  it('lists the seven states of Flink 2.3, CANCELING with one L', () => {
    expect(KNOWN_APPLICATION_STATUSES).toEqual(['CREATED', 'RUNNING', 'FAILING', 'FAILED', 'CANCELING', 'CANCELED', 'FINISHED']);
  });

  it.each([
    ['FAILED', true],
    ['CANCELED', true],
    ['FINISHED', true],
    ['CREATED', false],
    ['RUNNING', false],
    ['FAILING', false],
    ['CANCELING', false],
    ['CANCELLING', false],
  ] as const)('%s terminal: %s', (state, terminal) => {
    expect(isTerminalApplicationStatus(state)).toBe(terminal);
  });

  it('rejects the job spelling CANCELLING as an application state in strict mode only', () => {
    const body = setAt(fixture('applications/application-details.2.3.json'), ['status'], 'CANCELLING');
    expect(ApplicationDetailsSchema.for('strict').safeParse(body).success).toBe(false);
    expect(ApplicationDetailsSchema.for('lenient').safeParse(body).success).toBe(true);
  });

  it('parses the jobs of an application like /jobs/overview entries', () => {
    const parsed = ApplicationDetailsSchema.for('strict').parse(fixture('applications/application-details.2.3.json'));
    expect(parsed.jobs.map((j) => j.state)).toEqual(['FINISHED', 'FINISHED']);
    expect(parsed.timestamps.FINISHED).toBeGreaterThan(0);
  });

  it('treats jobId as optional (a failure of the application itself has none)', () => {
    const parsed = ApplicationExceptionsSchema.for('strict').parse(fixture('applications/application-exceptions.2.3.json'));
    expect(parsed.exceptionHistory.entries[1]?.jobId).toBeUndefined();
  });
});
