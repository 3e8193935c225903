import type { TicketPriority, TicketStatus } from '../../db/tables.ts';
import { addBusinessMs, businessMsBetween, type BusinessCalendar } from './business-calendar.ts';

/**
 * The SLA clock, a pure core: given a target in business minutes, a calendar and the ticket's status history,
 * when is it due, how much has elapsed, and is it ok, in warning or breached. The clock runs only in business
 * hours and stops while the ticket waits on the customer (`pending`, `on_hold`); no wall clock is read here.
 */

const MINUTE = 60_000;

/** Statuses in which the clock stands still: the ball is in the customer's court. */
export const PAUSED_STATUSES: ReadonlySet<TicketStatus> = new Set(['pending', 'on_hold']);

/** One status the ticket entered at an instant; the first is the moment the clock starts (creation). */
export interface StatusChange {
  at: Date;
  status: TicketStatus;
}

export type SlaState = 'ok' | 'warning' | 'breached';

/** Running spans [start, end) in ms; the last one may be open (end null) when the ticket is not paused. */
export function runningSpans(events: readonly StatusChange[]): { start: number; end: number | null }[] {
  const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  const spans: { start: number; end: number | null }[] = [];
  let runningSince: number | null = null;
  for (const e of sorted) {
    const paused = PAUSED_STATUSES.has(e.status);
    if (!paused && runningSince === null) runningSince = e.at.getTime();
    else if (paused && runningSince !== null) {
      spans.push({ start: runningSince, end: e.at.getTime() });
      runningSince = null;
    }
  }
  if (runningSince !== null) spans.push({ start: runningSince, end: null });
  return spans;
}

/**
 * When `targetMinutes` of business time will have run, pauses excluded. Null while the clock is paused
 * (the due time is not known until the customer answers) or when there are no events.
 */
export function computeDueAt(
  targetMinutes: number,
  calendar: BusinessCalendar,
  events: readonly StatusChange[],
): Date | null {
  let remaining = targetMinutes * MINUTE;
  for (const span of runningSpans(events)) {
    if (span.end === null) return new Date(addBusinessMs(calendar, span.start, remaining));
    const worked = businessMsBetween(calendar, span.start, span.end);
    // Due inside this span: the target was reached before the pause began.
    if (worked >= remaining) return new Date(addBusinessMs(calendar, span.start, remaining));
    remaining -= worked;
  }
  return null;
}

/** Business minutes the clock has run up to `now` (pauses excluded; fractional). */
export function elapsedBusinessMinutes(
  calendar: BusinessCalendar,
  events: readonly StatusChange[],
  now: Date,
): number {
  let total = 0;
  const until = now.getTime();
  for (const span of runningSpans(events)) {
    if (span.start >= until) break;
    total += businessMsBetween(calendar, span.start, Math.min(span.end ?? until, until));
  }
  return total / MINUTE;
}

/** ok below `warningRatio` of the target, warning from there, breached once the target has run out. */
export function slaState(
  targetMinutes: number,
  calendar: BusinessCalendar,
  events: readonly StatusChange[],
  now: Date,
  warningRatio = 0.8,
): { state: SlaState; elapsedMinutes: number; ratio: number } {
  const elapsedMinutes = elapsedBusinessMinutes(calendar, events, now);
  const ratio = targetMinutes <= 0 ? 1 : elapsedMinutes / targetMinutes;
  const state: SlaState = ratio >= 1 ? 'breached' : ratio >= warningRatio ? 'warning' : 'ok';
  return { state, elapsedMinutes, ratio };
}

/**
 * The state of a stored due time against `now`, for the API: no calendar needed because the due time
 * already includes business hours; the warning starts when `warningRatio` of the span startedAt → dueAt is
 * gone. (The sweep and the API agree because both derive from the same stored due time.)
 */
export function stateOfDueAt(startedAt: Date, dueAt: Date, now: Date, warningRatio = 0.8): SlaState {
  const t = now.getTime();
  if (t >= dueAt.getTime()) return 'breached';
  const warnAt = startedAt.getTime() + (dueAt.getTime() - startedAt.getTime()) * warningRatio;
  return t >= warnAt ? 'warning' : 'ok';
}

/** One row of a policy's targets: applies to `priority` for customers of tier ≥ `minTier`. Minutes. */
export interface SlaTarget {
  priority: TicketPriority;
  minTier: number;
  firstResponseMinutes: number;
  nextResponseMinutes: number;
  resolutionMinutes: number;
}

export interface SlaPolicy {
  id: string;
  name: string;
  /** Which calendar the clock follows; null = 24/7 in the tenant's zone. */
  calendarId: string | null;
  warningRatio: number;
  targets: SlaTarget[];
}

/** The targets for a priority and tier: the row of that priority with the highest `minTier` ≤ tier. */
export function resolveTargets(
  policy: Pick<SlaPolicy, 'targets'>,
  priority: TicketPriority,
  tier: number,
): SlaTarget | null {
  let best: SlaTarget | null = null;
  for (const t of policy.targets) {
    if (t.priority !== priority || t.minTier > tier) continue;
    if (!best || t.minTier > best.minTier) best = t;
  }
  return best;
}

export interface DueTimes {
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  /** The earliest of the open targets: queues sort on it. */
  nextDueAt: Date | null;
}

/** Due times for a new ticket (clock starting at `createdAt`, status `new`). */
export function dueTimesForNewTicket(
  target: SlaTarget,
  calendar: BusinessCalendar,
  createdAt: Date,
): DueTimes {
  const events: StatusChange[] = [{ at: createdAt, status: 'new' }];
  const firstResponseDueAt = computeDueAt(target.firstResponseMinutes, calendar, events);
  const resolutionDueAt = computeDueAt(target.resolutionMinutes, calendar, events);
  const candidates = [firstResponseDueAt, resolutionDueAt].filter((d): d is Date => d !== null);
  const nextDueAt = candidates.length ? new Date(Math.min(...candidates.map((d) => d.getTime()))) : null;
  return { firstResponseDueAt, resolutionDueAt, nextDueAt };
}
