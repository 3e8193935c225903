import { parseCrontab } from 'graphile-worker';
import { describe, expect, it } from 'vitest';
import { crontabLines } from '../../jobs/crontab.ts';
import { tasks } from '../../jobs/tasks.ts';
import { REFETCH_TASK } from './order-event.ingest.ts';
import { RECONCILE_ALL_TASK, RECONCILE_CONNECTION_TASK } from './order-reconcile.job.ts';
import { PURGE_TASK } from './event-purge.job.ts';

describe('order-event jobs', () => {
  it('are registered, and the crontab (which refuses dots in names) parses and names registered tasks', () => {
    for (const name of [REFETCH_TASK, RECONCILE_ALL_TASK, RECONCILE_CONNECTION_TASK, PURGE_TASK]) {
      expect(tasks[name], name).toBeTypeOf('function');
    }
    const scheduled = parseCrontab(crontabLines.join('\n')).map((item) => item.task);
    expect(scheduled).toEqual(expect.arrayContaining([RECONCILE_ALL_TASK, PURGE_TASK]));
    for (const name of scheduled) expect(tasks[name], name).toBeTypeOf('function');
  });
});
