import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  ALWAYS_OPEN,
  businessMinutesBetween,
  validateCalendar,
  type BusinessCalendar,
} from './business-calendar.ts';
import {
  computeDueAt,
  dueTimesForNewTicket,
  resolveTargets,
  slaState,
  stateOfDueAt,
  type SlaTarget,
  type StatusChange,
} from './sla-clock.ts';

/** A Shanghai wall-clock time (UTC+8, no DST). 2026-11-25 is a Wednesday. */
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const ny = (local: string, offset: string) => new Date(`${local.replace(' ', 'T')}:00${offset}`);

const WEEKDAY = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];
const shanghai: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  hours: { '1': WEEKDAY, '2': WEEKDAY, '3': WEEKDAY, '4': WEEKDAY, '5': WEEKDAY },
  // National Day week.
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
};
const newYork: BusinessCalendar = {
  timeZone: 'America/New_York',
  hours: { '1': [{ start: '09:00', end: '17:00' }], '5': [{ start: '09:00', end: '17:00' }] },
  holidays: [],
};

describe('addBusinessMinutes', () => {
  const cases: [string, BusinessCalendar, Date, number, Date][] = [
    ['inside a window', shanghai, sh('2026-11-25 10:00'), 60, sh('2026-11-25 11:00')],
    ['across lunch', shanghai, sh('2026-11-25 11:30'), 60, sh('2026-11-25 13:30')],
    [
      'across closing time into the next morning',
      shanghai,
      sh('2026-11-25 17:30'),
      60,
      sh('2026-11-26 09:30'),
    ],
    ['over the weekend', shanghai, sh('2026-11-27 17:30'), 60, sh('2026-11-30 09:30')],
    ['arriving overnight', shanghai, sh('2026-11-25 23:10'), 30, sh('2026-11-26 09:30')],
    ['arriving before opening', shanghai, sh('2026-11-26 07:00'), 30, sh('2026-11-26 09:30')],
    ['arriving on a Saturday', shanghai, sh('2026-11-28 10:00'), 1, sh('2026-11-30 09:01')],
    ['over the National Day holidays', shanghai, sh('2026-09-30 17:00'), 120, sh('2026-10-08 10:00')],
    [
      'two full days ending exactly at closing',
      shanghai,
      sh('2026-11-23 09:00'),
      960,
      sh('2026-11-24 18:00'),
    ],
    ['zero minutes', shanghai, sh('2026-11-28 03:00'), 0, sh('2026-11-28 03:00')],
    [
      '24/7 sale calendar over midnight',
      ALWAYS_OPEN('Asia/Shanghai'),
      sh('2026-11-28 23:50'),
      20,
      sh('2026-11-29 00:10'),
    ],
    [
      '24/7 ignores nothing: a week',
      ALWAYS_OPEN('Asia/Shanghai'),
      sh('2026-11-11 00:00'),
      7 * 1440,
      sh('2026-11-18 00:00'),
    ],
    // New York switches to EDT on 2026-03-08: Friday is -05:00, Monday -04:00.
    ['across a DST change', newYork, ny('2026-03-06 16:30', '-05:00'), 60, ny('2026-03-09 09:30', '-04:00')],
  ];
  it.each(cases)('%s', (_name, calendar, start, minutes, expected) => {
    expect(addBusinessMinutes(calendar, start, minutes).toISOString()).toBe(expected.toISOString());
  });

  it('refuses a calendar without working time instead of looping', () => {
    const never: BusinessCalendar = { timeZone: 'UTC', hours: {}, holidays: [] };
    expect(() => addBusinessMinutes(never, sh('2026-11-25 10:00'), 1)).toThrow(/no working time/);
  });
});

describe('businessMinutesBetween', () => {
  const cases: [string, Date, Date, number][] = [
    ['Friday evening to Monday morning', sh('2026-11-27 17:00'), sh('2026-11-30 10:00'), 120],
    ['a whole working day, lunch excluded', sh('2026-11-25 08:00'), sh('2026-11-25 20:00'), 480],
    ['a weekend alone', sh('2026-11-28 00:00'), sh('2026-11-30 00:00'), 0],
    ['a holiday', sh('2026-10-01 00:00'), sh('2026-10-02 00:00'), 0],
    ['backwards is zero', sh('2026-11-25 12:00'), sh('2026-11-25 10:00'), 0],
  ];
  it.each(cases)('%s', (_name, from, to, minutes) => {
    expect(businessMinutesBetween(shanghai, from, to)).toBe(minutes);
  });
});

describe('computeDueAt', () => {
  const ev = (...pairs: [string, StatusChange['status']][]): StatusChange[] =>
    pairs.map(([at, status]) => ({ at: sh(at), status }));
  const cases: [string, number, StatusChange[], Date | null][] = [
    ['no pauses', 240, ev(['2026-11-25 10:00', 'new']), sh('2026-11-25 15:00')],
    [
      'a pause spanning closing time',
      240,
      ev(['2026-11-25 16:00', 'new'], ['2026-11-25 17:00', 'pending'], ['2026-11-26 10:00', 'open']),
      sh('2026-11-26 14:00'),
    ],
    [
      'due before the pause began',
      60,
      ev(['2026-11-25 10:00', 'new'], ['2026-11-25 14:00', 'pending']),
      sh('2026-11-25 11:00'),
    ],
    ['paused now: unknown', 240, ev(['2026-11-25 10:00', 'new'], ['2026-11-25 10:30', 'on_hold']), null],
    [
      'two pauses, events out of order',
      120,
      ev(
        ['2026-11-25 10:30', 'open'],
        ['2026-11-25 10:00', 'new'],
        ['2026-11-25 10:15', 'pending'],
        ['2026-11-25 11:00', 'on_hold'],
        ['2026-11-27 09:00', 'open'],
      ),
      // 15 + 30 minutes ran before Friday; 75 remain from Friday 09:00.
      sh('2026-11-27 10:15'),
    ],
    [
      'pending → on_hold keeps it paused',
      60,
      ev(['2026-11-25 10:00', 'pending'], ['2026-11-25 11:00', 'on_hold']),
      null,
    ],
    ['no events', 60, [], null],
  ];
  it.each(cases)('%s', (_name, target, events, expected) => {
    expect(computeDueAt(target, shanghai, events)?.toISOString() ?? null).toBe(
      expected?.toISOString() ?? null,
    );
  });
});

describe('slaState', () => {
  const created: StatusChange[] = [{ at: sh('2026-11-25 10:00'), status: 'new' }];
  const paused: StatusChange[] = [
    ...created,
    { at: sh('2026-11-25 10:30'), status: 'pending' },
    { at: sh('2026-11-25 10:50'), status: 'open' },
  ];
  const cases: [string, StatusChange[], Date, string][] = [
    ['below 80%', created, sh('2026-11-25 10:47'), 'ok'],
    ['at 80%', created, sh('2026-11-25 10:48'), 'warning'],
    ['at the target', created, sh('2026-11-25 11:00'), 'breached'],
    ['a pause holds it back', paused, sh('2026-11-25 11:00'), 'ok'],
    ['after hours the clock stands still', created, sh('2026-11-25 20:00'), 'breached'],
  ];
  it.each(cases)('%s', (_name, events, now, state) => {
    expect(slaState(60, shanghai, events, now).state).toBe(state);
  });

  it('stops counting outside business hours', () => {
    const events: StatusChange[] = [{ at: sh('2026-11-27 17:30'), status: 'new' }];
    expect(slaState(60, shanghai, events, sh('2026-11-30 09:00')).elapsedMinutes).toBe(30);
  });

  const due: [string, Date, string][] = [
    ['before the warning', sh('2026-11-25 10:40'), 'ok'],
    ['in the last 20%', sh('2026-11-25 10:50'), 'warning'],
    ['past due', sh('2026-11-25 11:00'), 'breached'],
  ];
  it.each(due)('stored due time: %s', (_name, now, state) => {
    expect(stateOfDueAt(sh('2026-11-25 10:00'), sh('2026-11-25 11:00'), now)).toBe(state);
  });
});

describe('policies', () => {
  const row = (priority: SlaTarget['priority'], minTier: number, first: number): SlaTarget => ({
    priority,
    minTier,
    firstResponseMinutes: first,
    nextResponseMinutes: first * 2,
    resolutionMinutes: first * 10,
  });
  const targets = [row('normal', 0, 240), row('normal', 3, 60), row('urgent', 0, 30), row('urgent', 5, 10)];
  const cases: [SlaTarget['priority'], number, number | null][] = [
    ['normal', 0, 240],
    ['normal', 2, 240],
    ['normal', 3, 60],
    ['normal', 10, 60],
    ['urgent', 4, 30],
    ['urgent', 5, 10],
    ['high', 5, null],
  ];
  it.each(cases)('%s for tier %i → %s minutes', (priority, tier, minutes) => {
    expect(resolveTargets({ targets }, priority, tier)?.firstResponseMinutes ?? null).toBe(minutes);
  });

  it('computes a new ticket’s due times; next due is the earliest', () => {
    const due = dueTimesForNewTicket(row('normal', 0, 60), shanghai, sh('2026-11-27 17:30'));
    expect(due.firstResponseDueAt?.toISOString()).toBe(sh('2026-11-30 09:30').toISOString());
    // 600 minutes: 30 on Friday, 480 on Monday, 90 on Tuesday.
    expect(due.resolutionDueAt?.toISOString()).toBe(sh('2026-12-01 10:30').toISOString());
    expect(due.nextDueAt?.toISOString()).toBe(due.firstResponseDueAt?.toISOString());
  });
});

describe('validateCalendar', () => {
  const cases: [string, BusinessCalendar, RegExp | null][] = [
    ['a good calendar', shanghai, null],
    ['24/7', ALWAYS_OPEN('Asia/Shanghai'), null],
    ['unknown zone', { ...shanghai, timeZone: 'Mars/Olympus' }, /time zone/],
    ['bad time', { ...shanghai, hours: { '1': [{ start: '9:00', end: '18:00' }] } }, /HH:MM/],
    ['reversed window', { ...shanghai, hours: { '1': [{ start: '18:00', end: '09:00' }] } }, /ends before/],
    [
      'overlap',
      {
        ...shanghai,
        hours: {
          '1': [
            { start: '09:00', end: '13:00' },
            { start: '12:00', end: '18:00' },
          ],
        },
      },
      /overlap/,
    ],
    ['no hours', { ...shanghai, hours: {} }, /no working hours/],
    ['bad holiday', { ...shanghai, holidays: ['2026-13-01'] }, /holiday/],
  ];
  it.each(cases)('%s', (_name, calendar, problem) => {
    const problems = validateCalendar(calendar);
    if (problem) expect(problems.join('; ')).toMatch(problem);
    else expect(problems).toEqual([]);
  });
});
