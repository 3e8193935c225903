import { describe, expect, it } from 'vitest';
import type { TicketStatus } from '../../db/tables.ts';
import { ALWAYS_OPEN, type BusinessCalendar } from './business-calendar.ts';
import type { SlaTarget } from './sla-clock.ts';
import {
  computeSlaDue,
  isMaterialChange,
  nextSlaMarks,
  slaDisplayState,
  type SlaLifecycleInput,
} from './sla-lifecycle.ts';

// Monday 2026-11-23 09:00 UTC; minutes from there.
const T0 = Date.parse('2026-11-23T09:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const NORMAL: SlaTarget = {
  priority: 'normal',
  minTier: 0,
  firstResponseMinutes: 60,
  nextResponseMinutes: 120,
  resolutionMinutes: 480,
};
const URGENT: SlaTarget = {
  priority: 'urgent',
  minTier: 0,
  firstResponseMinutes: 15,
  nextResponseMinutes: 30,
  resolutionMinutes: 120,
};
/** Weekdays 09:00–18:00 UTC. */
const OFFICE: BusinessCalendar = {
  timeZone: 'UTC',
  hours: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [`${d}`, [{ start: '09:00', end: '18:00' }]])),
  holidays: [],
};
const timeline = (...steps: [number, TicketStatus][]) => steps.map(([m, status]) => ({ at: at(m), status }));

function input(over: Partial<SlaLifecycleInput>): SlaLifecycleInput {
  return {
    target: NORMAL,
    warningRatio: 0.8,
    calendar: ALWAYS_OPEN('UTC'),
    timeline: timeline([0, 'new']),
    firstRespondedAt: null,
    lastCustomerMessageAt: at(0),
    lastAgentReplyAt: null,
    ...over,
  };
}

describe('computeSlaDue', () => {
  const cases: {
    name: string;
    in: Partial<SlaLifecycleInput>;
    first: number | null;
    next: number | null;
    resolution: number | null;
    nextDue: number | null;
    warning: number | null;
  }[] = [
    {
      name: 'a new ticket is due for its first response first',
      in: {},
      first: 60,
      next: null,
      resolution: 480,
      nextDue: 60,
      warning: 48,
    },
    {
      name: 'first response answered → the next due time becomes the resolution',
      in: {
        timeline: timeline([0, 'new'], [10, 'open']),
        firstRespondedAt: at(10),
        lastAgentReplyAt: at(10),
      },
      first: null,
      next: null,
      resolution: 480,
      nextDue: 480,
      warning: 384,
    },
    {
      name: 'a customer message after an agent reply starts the next-response clock',
      in: {
        timeline: timeline([0, 'new'], [10, 'open']),
        firstRespondedAt: at(10),
        lastAgentReplyAt: at(10),
        lastCustomerMessageAt: at(100),
      },
      first: null,
      next: 220,
      resolution: 480,
      nextDue: 220,
      warning: 100 + 96,
    },
    {
      name: 'the next response is owed no more once answered',
      in: {
        timeline: timeline([0, 'new'], [10, 'open']),
        firstRespondedAt: at(10),
        lastAgentReplyAt: at(150),
        lastCustomerMessageAt: at(100),
      },
      first: null,
      next: null,
      resolution: 480,
      nextDue: 480,
      warning: 384,
    },
    {
      name: 'pending pauses: no next due time, no warning',
      in: {
        timeline: timeline([0, 'new'], [10, 'open'], [30, 'pending']),
        firstRespondedAt: at(10),
        lastAgentReplyAt: at(10),
      },
      first: null,
      next: null,
      resolution: null,
      nextDue: null,
      warning: null,
    },
    {
      name: 'resuming after 100 minutes on hold extends the resolution by 100 minutes',
      in: {
        timeline: timeline([0, 'new'], [10, 'open'], [30, 'on_hold'], [130, 'open']),
        firstRespondedAt: at(10),
        lastAgentReplyAt: at(10),
      },
      first: null,
      next: null,
      resolution: 580,
      nextDue: 580,
      warning: 484,
    },
    {
      name: 'solved → all null',
      in: { timeline: timeline([0, 'new'], [10, 'open'], [40, 'solved']), firstRespondedAt: at(10) },
      first: null,
      next: null,
      resolution: null,
      nextDue: null,
      warning: null,
    },
    {
      name: 'reopened after 200 minutes solved: the solved time does not count',
      in: {
        timeline: timeline([0, 'new'], [10, 'open'], [40, 'solved'], [240, 'open']),
        firstRespondedAt: at(10),
        lastAgentReplyAt: at(10),
      },
      first: null,
      next: null,
      resolution: 680,
      nextDue: 680,
      warning: 584,
    },
    {
      name: 'closed → all null',
      in: { timeline: timeline([0, 'new'], [40, 'closed']) },
      first: null,
      next: null,
      resolution: null,
      nextDue: null,
      warning: null,
    },
    {
      name: 'a priority raise (urgent targets) shortens every target',
      in: { target: URGENT },
      first: 15,
      next: null,
      resolution: 120,
      nextDue: 15,
      warning: 12,
    },
    {
      name: 'no target → no SLA',
      in: { target: null },
      first: null,
      next: null,
      resolution: null,
      nextDue: null,
      warning: null,
    },
  ];
  it.each(cases)('$name', (c) => {
    const due = computeSlaDue(input(c.in));
    const ms = (m: number | null) => (m === null ? null : at(m).getTime());
    expect({
      first: due.firstResponseDueAt?.getTime() ?? null,
      next: due.nextResponseDueAt?.getTime() ?? null,
      resolution: due.resolutionDueAt?.getTime() ?? null,
      nextDue: due.nextDueAt?.getTime() ?? null,
      warning: due.slaWarningAt?.getTime() ?? null,
    }).toEqual({
      first: ms(c.first),
      next: ms(c.next),
      resolution: ms(c.resolution),
      nextDue: ms(c.nextDue),
      warning: ms(c.warning),
    });
  });

  it('a pause before the target ran out moves the resolution by exactly the paused business time', () => {
    // Paused at Monday 12:00 (180 min run), resumed Tuesday 10:00: 300 minutes remain → Tuesday 15:00.
    const due = computeSlaDue(
      input({
        calendar: OFFICE,
        timeline: timeline([0, 'new'], [10, 'open'], [180, 'pending'], [1500, 'open']),
        firstRespondedAt: at(10),
        lastAgentReplyAt: at(10),
      }),
    );
    expect(due.resolutionDueAt?.toISOString()).toBe('2026-11-24T15:00:00.000Z');
    expect(due.nextDueAt?.toISOString()).toBe('2026-11-24T15:00:00.000Z');
  });
});

describe('nextSlaMarks', () => {
  const now = at(100);
  const breached = { nextDueAt: at(60), slaWarningAt: null, slaBreachedAt: at(61) };
  const due = (nextDueAt: number | null, warning: number | null) => ({
    firstResponseDueAt: null,
    nextResponseDueAt: null,
    resolutionDueAt: null,
    nextDueAt: nextDueAt === null ? null : at(nextDueAt),
    slaWarningAt: warning === null ? null : at(warning),
  });
  it.each([
    { name: 'unchanged due time keeps the marks', stored: breached, d: due(60, 48), w: null, b: 61 },
    {
      name: 'a future due time clears the breach and schedules a warning',
      stored: breached,
      d: due(400, 300),
      w: 300,
      b: null,
    },
    {
      name: 'paused keeps the breach mark, drops the warning',
      stored: breached,
      d: due(null, null),
      w: null,
      b: 61,
    },
    {
      name: 'an overdue new time is not warned and keeps the breach mark',
      stored: breached,
      d: due(90, 80),
      w: null,
      b: 61,
    },
    {
      name: 'an overdue new time without a mark is left to the sweep',
      stored: { nextDueAt: at(200), slaWarningAt: at(180), slaBreachedAt: null },
      d: due(90, 80),
      w: null,
      b: null,
    },
  ])('$name', ({ stored, d, w, b }) => {
    const marks = nextSlaMarks(stored, d, now);
    expect(marks.slaWarningAt?.getTime() ?? null).toBe(w === null ? null : at(w).getTime());
    expect(marks.slaBreachedAt?.getTime() ?? null).toBe(b === null ? null : at(b).getTime());
  });
});

describe('isMaterialChange', () => {
  it.each([
    [null, null, false],
    [at(10), null, true],
    [null, at(10), true],
    [at(10), at(10.5), false],
    [at(10), at(11), true],
  ])('%s → %s: %s', (a, b, expected) => expect(isMaterialChange(a, b)).toBe(expected));
});

describe('slaDisplayState', () => {
  const base = {
    status: 'open' as TicketStatus,
    slaPolicyId: 'p',
    nextDueAt: at(60),
    slaWarningAt: at(48) as Date | null,
    slaBreachedAt: null as Date | null,
  };
  it.each([
    { name: 'ok before the warning', t: base, now: 10, state: 'ok' },
    { name: 'warning after the warning time', t: base, now: 50, state: 'warning' },
    {
      name: 'warning once the sweep warned (mark cleared)',
      t: { ...base, slaWarningAt: null },
      now: 20,
      state: 'warning',
    },
    { name: 'breached after the due time', t: base, now: 60, state: 'breached' },
    { name: 'breached once escalated', t: { ...base, slaBreachedAt: at(5) }, now: 10, state: 'breached' },
    {
      name: 'paused while pending',
      t: { ...base, status: 'pending' as TicketStatus },
      now: 90,
      state: 'paused',
    },
    { name: 'none when solved', t: { ...base, status: 'solved' as TicketStatus }, now: 90, state: 'none' },
    { name: 'none without a policy', t: { ...base, slaPolicyId: null }, now: 90, state: 'none' },
  ])('$name', ({ t, now, state }) => expect(slaDisplayState(t, at(now))).toBe(state));
});
