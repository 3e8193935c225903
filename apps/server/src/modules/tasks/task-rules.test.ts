import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../sla/business-calendar.ts';
import {
  applyTaskChange,
  canTransitionTask,
  closesLastTask,
  computeTaskDueAt,
  taskDueState,
  type TaskStatus,
} from './task-rules.ts';

const OFFICE: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  hours: { '1': [{ start: '09:00', end: '18:00' }], '2': [{ start: '09:00', end: '18:00' }] },
  holidays: [],
};
// Monday 2026-11-09 10:00 in Shanghai.
const MONDAY_10 = new Date('2026-11-09T02:00:00Z');

describe('computeTaskDueAt', () => {
  const cases: Array<{
    name: string;
    now: Date;
    olaMinutes: number;
    calendar: BusinessCalendar | null;
    requested?: Date;
    expected: string;
  }> = [
    {
      name: '4 business hours inside the day',
      now: MONDAY_10,
      olaMinutes: 240,
      calendar: OFFICE,
      expected: '2026-11-09T06:00:00.000Z', // 14:00 Shanghai
    },
    {
      name: 'runs over the evening into Tuesday morning',
      now: new Date('2026-11-09T08:00:00Z'), // 16:00 Shanghai
      olaMinutes: 240,
      calendar: OFFICE,
      expected: '2026-11-10T03:00:00.000Z', // 2 h Monday + 2 h from 09:00 Tuesday = 11:00
    },
    {
      name: 'created on Sunday starts Monday 09:00',
      now: new Date('2026-11-08T04:00:00Z'),
      olaMinutes: 60,
      calendar: OFFICE,
      expected: '2026-11-09T02:00:00.000Z',
    },
    {
      name: 'without a calendar the clock runs 24/7',
      now: MONDAY_10,
      olaMinutes: 240,
      calendar: null,
      expected: '2026-11-09T06:00:00.000Z',
    },
    {
      name: 'Friday 17:00 with 24/7 keeps counting through the night',
      now: new Date('2026-11-13T09:00:00Z'),
      olaMinutes: 600,
      calendar: null,
      expected: '2026-11-13T19:00:00.000Z',
    },
    {
      name: 'a requested due time wins over the OLA',
      now: MONDAY_10,
      olaMinutes: 240,
      calendar: OFFICE,
      requested: new Date('2026-11-09T03:00:00Z'),
      expected: '2026-11-09T03:00:00.000Z',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const due = computeTaskDueAt({
        now: c.now,
        olaMinutes: c.olaMinutes,
        calendar: c.calendar,
        timeZone: 'Asia/Shanghai',
        requestedDueAt: c.requested,
      });
      expect(due.toISOString()).toBe(c.expected);
    });
  }
});

describe('taskDueState', () => {
  const due = new Date('2026-11-09T06:00:00Z');
  const cases: Array<[string, TaskStatus, Date | null, string, string]> = [
    ['open, hours left', 'open', null, '2026-11-09T03:00:00Z', 'ok'],
    ['open, 30 min left', 'open', null, '2026-11-09T05:30:00Z', 'due_soon'],
    ['in progress, exactly due', 'in_progress', null, '2026-11-09T06:00:00Z', 'overdue'],
    ['overdue and escalated', 'open', new Date('2026-11-09T06:01:00Z'), '2026-11-09T07:00:00Z', 'escalated'],
    ['done long after due', 'done', null, '2026-11-10T00:00:00Z', 'closed'],
    ['cancelled', 'cancelled', null, '2026-11-09T03:00:00Z', 'closed'],
  ];
  for (const [name, status, escalatedAt, now, expected] of cases) {
    it(name, () => {
      expect(taskDueState({ status, dueAt: due, escalatedAt }, new Date(now))).toBe(expected);
    });
  }
});

describe('task status transitions', () => {
  const table: Array<[TaskStatus, TaskStatus, boolean]> = [
    ['open', 'in_progress', true],
    ['open', 'done', true],
    ['open', 'cancelled', true],
    ['in_progress', 'open', true],
    ['in_progress', 'done', true],
    ['in_progress', 'cancelled', true],
    ['done', 'open', false],
    ['done', 'in_progress', false],
    ['done', 'cancelled', false],
    ['cancelled', 'open', false],
    ['cancelled', 'done', false],
    ['done', 'done', true],
  ];
  for (const [from, to, allowed] of table) {
    it(`${from} → ${to} is ${allowed ? 'allowed' : 'refused'}`, () => {
      expect(canTransitionTask(from, to)).toBe(allowed);
    });
  }
});

describe('applyTaskChange', () => {
  const now = new Date('2026-11-09T06:00:00Z');
  const earlier = new Date('2026-11-09T01:00:00Z');
  const cases: Array<{
    name: string;
    current: { status: TaskStatus; ownerId: string | null; closedAt: Date | null };
    change: { status?: TaskStatus; ownerId?: string | null };
    expected: { status: TaskStatus; ownerId: string | null; closedAt: Date | null } | 'error';
  }> = [
    {
      name: 'claiming an open task starts it',
      current: { status: 'open', ownerId: null, closedAt: null },
      change: { ownerId: 'u1' },
      expected: { status: 'in_progress', ownerId: 'u1', closedAt: null },
    },
    {
      name: 'handing a task back returns it to the queue',
      current: { status: 'in_progress', ownerId: 'u1', closedAt: null },
      change: { ownerId: null },
      expected: { status: 'open', ownerId: null, closedAt: null },
    },
    {
      name: 'reassigning in progress keeps it in progress',
      current: { status: 'in_progress', ownerId: 'u1', closedAt: null },
      change: { ownerId: 'u2' },
      expected: { status: 'in_progress', ownerId: 'u2', closedAt: null },
    },
    {
      name: 'an explicit status wins over the claim rule',
      current: { status: 'open', ownerId: null, closedAt: null },
      change: { ownerId: 'u1', status: 'open' },
      expected: { status: 'open', ownerId: 'u1', closedAt: null },
    },
    {
      name: 'done stamps closedAt',
      current: { status: 'in_progress', ownerId: 'u1', closedAt: null },
      change: { status: 'done' },
      expected: { status: 'done', ownerId: 'u1', closedAt: now },
    },
    {
      name: 'done again keeps the first closedAt',
      current: { status: 'done', ownerId: 'u1', closedAt: earlier },
      change: { status: 'done' },
      expected: { status: 'done', ownerId: 'u1', closedAt: earlier },
    },
    {
      name: 'a done task cannot reopen',
      current: { status: 'done', ownerId: 'u1', closedAt: earlier },
      change: { status: 'open' },
      expected: 'error',
    },
    {
      name: 'a cancelled task cannot change hands',
      current: { status: 'cancelled', ownerId: null, closedAt: earlier },
      change: { ownerId: 'u2' },
      expected: 'error',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = applyTaskChange(c.current, c.change, now);
      if (c.expected === 'error') expect(result).toHaveProperty('error');
      else expect(result).toEqual(c.expected);
    });
  }
});

describe('closesLastTask', () => {
  const table: Array<[TaskStatus, TaskStatus, number, boolean]> = [
    ['in_progress', 'done', 0, true],
    ['open', 'cancelled', 0, true],
    ['in_progress', 'done', 1, false],
    ['done', 'done', 0, false],
    ['open', 'in_progress', 0, false],
  ];
  for (const [before, after, others, expected] of table) {
    it(`${before} → ${after} with ${others} other open: ${expected}`, () => {
      expect(closesLastTask(before, after, others)).toBe(expected);
    });
  }
});
