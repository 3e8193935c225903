import { describe, expect, it } from 'vitest';
import { isTasksHash } from './useTasksRoute.ts';
import { isOpenTask, queueQuery } from './useTasks.ts';

describe('task queue query', () => {
  const cases: Array<[string, Parameters<typeof queueQuery>[0], string | null, Record<string, unknown>]> = [
    [
      'department and open statuses',
      { departmentId: 'd1', status: ['open', 'in_progress'], mine: false },
      null,
      {
        departmentId: 'd1',
        status: ['open', 'in_progress'],
        mine: undefined,
        limit: '50',
        cursor: undefined,
      },
    ],
    [
      'mine and escalated with a cursor, any status',
      { status: [], mine: true, escalated: true },
      'c1',
      {
        departmentId: undefined,
        status: undefined,
        mine: 'true',
        escalated: 'true',
        limit: '50',
        cursor: 'c1',
      },
    ],
  ];
  for (const [name, filter, cursor, expected] of cases) {
    it(name, () => expect(queueQuery(filter, cursor)).toEqual(expected));
  }
});

describe('task helpers', () => {
  it.each([
    ['open', true],
    ['in_progress', true],
    ['done', false],
    ['cancelled', false],
  ] as const)('%s is open: %s', (status, open) => expect(isOpenTask({ status })).toBe(open));

  it.each([
    ['#/tasks', true],
    ['#/tasks/abc', true],
    ['#/tickets/abc', false],
    ['#/taskset', false],
    ['', false],
  ])('hash %s is the tasks page: %s', (hash, expected) => expect(isTasksHash(hash)).toBe(expected));
});
