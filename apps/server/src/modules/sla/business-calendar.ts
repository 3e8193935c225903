/**
 * Business calendars: when the SLA clock runs. Pure: no wall clock, no I/O. Instants are `Date`s (UTC);
 * working hours and holidays are wall-clock times and dates in the calendar's IANA time zone, so a Shanghai
 * shop's 09:00–18:00 means 01:00–10:00 UTC. Zones with DST work too (each local time is converted with the
 * offset in force at that moment), though PeakDesk's main zones (Asia/Shanghai) have none.
 */

/** 0 = Sunday … 6 = Saturday, as `Date.prototype.getUTCDay`. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** A working window on one local day, `HH:MM` to `HH:MM` (end may be `24:00`); end after start. */
export interface WorkingWindow {
  start: string;
  end: string;
}

export interface BusinessCalendar {
  timeZone: string;
  /** `'always'`: a 24/7 calendar (sale peaks), holidays ignored. Otherwise windows per weekday ('0'…'6'). */
  hours: 'always' | Partial<Record<`${Weekday}`, WorkingWindow[]>>;
  /** Local dates `YYYY-MM-DD` on which nobody works. */
  holidays: string[];
}

export const ALWAYS_OPEN = (timeZone = 'UTC'): BusinessCalendar => ({
  timeZone,
  hours: 'always',
  holidays: [],
});

const MINUTE = 60_000;
const DAY = 86_400_000;
/** A calendar with no working time at all must not loop forever: look this many days ahead at most. */
const HORIZON_DAYS = 3 * 366;

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Problems with a calendar as human-readable strings; empty when it is valid. */
export function validateCalendar(calendar: BusinessCalendar): string[] {
  const problems: string[] = [];
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: calendar.timeZone });
  } catch {
    problems.push(`unknown time zone ${calendar.timeZone}`);
  }
  for (const day of calendar.holidays) if (!DATE.test(day)) problems.push(`holiday ${day} is not YYYY-MM-DD`);
  if (calendar.hours === 'always') return problems;
  let total = 0;
  for (const [weekday, windows] of Object.entries(calendar.hours)) {
    if (!/^[0-6]$/.test(weekday)) problems.push(`weekday ${weekday} is not 0–6`);
    const sorted = [...(windows ?? [])].sort((a, b) => a.start.localeCompare(b.start));
    let lastEnd = -1;
    for (const w of sorted) {
      if (!TIME.test(w.start) || !TIME.test(w.end)) {
        problems.push(`window ${w.start}–${w.end} on ${weekday} is not HH:MM`);
        continue;
      }
      const [s, e] = [minutesOf(w.start), minutesOf(w.end)];
      if (e <= s) problems.push(`window ${w.start}–${w.end} on ${weekday} ends before it starts`);
      if (s < lastEnd) problems.push(`windows on ${weekday} overlap`);
      lastEnd = e;
      total += Math.max(0, e - s);
    }
  }
  if (total === 0) problems.push('the calendar has no working hours');
  return problems;
}

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC in ms at an instant (Shanghai: +8 h). */
function offsetAt(timeZone: string, instant: number): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(instant)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** A local wall-clock time (as ms since epoch "in local time") → the UTC instant. */
function localToInstant(timeZone: string, localMs: number): number {
  const first = localMs - offsetAt(timeZone, localMs);
  const second = localMs - offsetAt(timeZone, first);
  return second;
}

/** The local date (days since epoch) of an instant. */
function localDay(timeZone: string, instant: number): number {
  return Math.floor((instant + offsetAt(timeZone, instant)) / DAY);
}

function isoDate(dayNumber: number): string {
  return new Date(dayNumber * DAY).toISOString().slice(0, 10);
}

/** Working intervals [start, end) in UTC ms on one local day, in order. */
function intervalsOnDay(
  calendar: BusinessCalendar,
  day: number,
  holidays: ReadonlySet<string>,
): [number, number][] {
  if (calendar.hours === 'always')
    return [
      [localToInstant(calendar.timeZone, day * DAY), localToInstant(calendar.timeZone, (day + 1) * DAY)],
    ];
  if (holidays.has(isoDate(day))) return [];
  const weekday = new Date(day * DAY).getUTCDay() as Weekday;
  const windows = [...(calendar.hours[`${weekday}`] ?? [])].sort((a, b) => a.start.localeCompare(b.start));
  return windows.map((w) => [
    localToInstant(calendar.timeZone, day * DAY + minutesOf(w.start) * MINUTE),
    localToInstant(calendar.timeZone, day * DAY + minutesOf(w.end) * MINUTE),
  ]);
}

/** Working intervals that end after `from`, clipped to start no earlier than it, in order. */
export function* workingIntervals(calendar: BusinessCalendar, from: number): Generator<[number, number]> {
  const holidays = new Set(calendar.holidays);
  const first = localDay(calendar.timeZone, from) - 1;
  for (let day = first; day <= first + HORIZON_DAYS; day++) {
    for (const [s, e] of intervalsOnDay(calendar, day, holidays)) {
      if (e <= from) continue;
      yield [Math.max(s, from), e];
    }
  }
}

/** The instant at which `minutes` of business time have passed since `start` (`start` itself if 0). */
export function addBusinessMinutes(calendar: BusinessCalendar, start: Date, minutes: number): Date {
  return new Date(addBusinessMs(calendar, start.getTime(), minutes * MINUTE));
}

export function addBusinessMs(calendar: BusinessCalendar, start: number, ms: number): number {
  if (ms <= 0) return start;
  let remaining = ms;
  for (const [s, e] of workingIntervals(calendar, start)) {
    if (e - s >= remaining) return s + remaining;
    remaining -= e - s;
  }
  throw new Error(`calendar has no working time within ${HORIZON_DAYS} days`);
}

/** Business time between two instants in ms (0 when `to` is not after `from`). */
export function businessMsBetween(calendar: BusinessCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  let total = 0;
  for (const [s, e] of workingIntervals(calendar, from)) {
    if (s >= to) break;
    total += Math.min(e, to) - s;
  }
  return total;
}

/** Business minutes between two instants (fractional). */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  return businessMsBetween(calendar, from.getTime(), to.getTime()) / MINUTE;
}

/** The wall clock of an instant in a zone: local date, weekday and `HH:MM` (routing's time-of-day rules). */
export function localClock(
  timeZone: string,
  instant: Date,
): { date: string; weekday: Weekday; time: string } {
  const local = instant.getTime() + offsetAt(timeZone, instant.getTime());
  const iso = new Date(local).toISOString();
  return {
    date: iso.slice(0, 10),
    weekday: new Date(local).getUTCDay() as Weekday,
    time: iso.slice(11, 16),
  };
}
