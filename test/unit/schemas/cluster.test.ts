import { describe, expect, it } from 'vitest';
import { ClusterOverviewSchema, ConfigEntriesSchema, DashboardConfigSchema, TaskManagersSchema } from '../../../src/schemas/cluster.js';
import { describeSchemaCases, fixture, setAt } from './schema-cases.js';

describeSchemaCases([
  {
    name: 'DashboardConfigSchema (GET /config)',
    schema: DashboardConfigSchema,
    fixtures: ['cluster/config.2.3.json', 'cluster/config.1.20.json'],
    objectPaths: [[], ['features']],
    wrongTypes: [
      [['flink-version'], 2.3],
      [['refresh-interval'], '3000'],
      [['features'], null],
    ],
  },
  {
    name: 'ClusterOverviewSchema (GET /overview)',
    schema: ClusterOverviewSchema,
    fixtures: ['cluster/overview.2.3.json', 'cluster/overview.1.20.json'],
    objectPaths: [[]],
    wrongTypes: [
      [['jobs-running'], '1'],
      [['flink-version'], null],
    ],
  },
  {
    name: 'ConfigEntriesSchema (GET /jobmanager/config)',
    schema: ConfigEntriesSchema,
    fixtures: ['cluster/jobmanager-config.2.3.json', 'cluster/jobmanager-config.1.20.json'],
    objectPaths: [[0]],
    wrongTypes: [
      [[], { 'rest.port': '8081' }],
      [[0, 'value'], 8081],
    ],
  },
  {
    name: 'TaskManagersSchema (GET /taskmanagers)',
    schema: TaskManagersSchema,
    fixtures: ['cluster/taskmanagers.2.3.json', 'cluster/taskmanagers.1.20.json'],
    objectPaths: [[], ['taskmanagers', 0], ['taskmanagers', 0, 'hardware'], ['taskmanagers', 0, 'totalResource']],
    wrongTypes: [
      [['taskmanagers'], {}],
      [['taskmanagers', 0, 'freeSlots'], '1'],
      [['taskmanagers', 0, 'assignedTasks'], '3'],
    ],
  },
]);

describe('cluster schemas, version differences', () => {
  it('treats assignedTasks (2.3) and blocked (only sent when true) as optional', () => {
    const body = fixture('cluster/taskmanagers.1.20.json') as { taskmanagers: Array<Record<string, unknown>> };
    expect(body.taskmanagers[0]).not.toHaveProperty('assignedTasks');
    const parsed = TaskManagersSchema.for('strict').parse(body);
    expect(parsed.taskmanagers[1]?.blocked).toBe(true);
    expect(parsed.taskmanagers[0]?.assignedTasks).toBeUndefined();
  });

  it('accepts the blocked-resource counts of /overview only as numbers', () => {
    const body = fixture('cluster/overview.1.20.json');
    expect(ClusterOverviewSchema.for('strict').safeParse(body).success).toBe(true);
    expect(ClusterOverviewSchema.for('lenient').safeParse(setAt(body, ['taskmanagers-blocked'], true)).success).toBe(false);
  });
});
