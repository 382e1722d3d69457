// Type tests of the watch API (tsc checks them; the runtime assertion keeps vitest content).
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ApplicationChange,
  type ApplicationStatus,
  type ApplicationSummary,
  type ApplicationClient,
  ClusterClient,
  type ClusterWatcher,
  type FlinkError,
  type JobClient,
  type JobChange,
  type JobOverview,
  type JobStatus,
  type WatchChange,
  type WatchErrorEvent,
  type WatchEvent,
} from 'flink-client';

describe('watch API types', () => {
  it('iterators yield the change of their resource', () => {
    expectTypeOf<ReturnType<JobClient['watch']>>().toEqualTypeOf<AsyncIterableIterator<JobChange>>();
    expectTypeOf<ReturnType<ApplicationClient['watch']>>().toEqualTypeOf<AsyncIterableIterator<ApplicationChange>>();
    expectTypeOf<ReturnType<ClusterClient['watch']>>().toEqualTypeOf<ClusterWatcher>();
    expectTypeOf<ReturnType<ClusterWatcher['events']>>().toEqualTypeOf<AsyncIterableIterator<WatchEvent>>();
    expectTypeOf<JobChange['details']>().toEqualTypeOf<JobOverview>();
    expectTypeOf<ApplicationChange['details']>().toEqualTypeOf<ApplicationSummary>();
    expect(true).toBe(true);
  });

  it('changes and errors narrow on their discriminants', () => {
    const narrow = (event: WatchEvent): string => {
      if (event.type === 'error') {
        expectTypeOf(event).toEqualTypeOf<WatchErrorEvent>();
        expectTypeOf(event.error).toEqualTypeOf<FlinkError>();
        return event.error.code;
      }
      expectTypeOf(event).toEqualTypeOf<WatchChange>();
      if (event.resource === 'job') {
        expectTypeOf(event.status).toEqualTypeOf<JobStatus>();
        return event.jobId;
      }
      expectTypeOf(event.status).toEqualTypeOf<ApplicationStatus>();
      return event.applicationId;
    };
    expect(typeof narrow).toBe('function');
  });

  it('emitter events are typed', () => {
    const watcher = null as unknown as ClusterWatcher;
    const wire = () =>
      watcher
        .on('status', (change) => expectTypeOf(change).toEqualTypeOf<WatchChange>())
        .on('error', (event) => expectTypeOf(event.fatal).toEqualTypeOf<boolean>())
        // @ts-expect-error: not an event of a watcher
        .on('update', () => {});
    expect(typeof wire).toBe('function');
  });
});
