import type { TicketStatus } from '../../db/tables.ts';
import type { BusinessCalendar } from './business-calendar.ts';
import { computeDueAt, PAUSED_STATUSES, type SlaTarget, type StatusChange } from './sla-clock.ts';

/**
 * The SLA lifecycle, a pure core: where a ticket's due times stand after anything that moves the clock
 * (a reply, a customer message, a status or priority change). No I/O, no wall clock. All times are instants;
 * targets are business minutes counted on `calendar`, paused while the ticket is `pending`/`on_hold`.
 */

export interface SlaLifecycleInput {
  /** The policy's row for the ticket's current priority and customer tier; null = no SLA applies. */
  target: SlaTarget | null;
  warningRatio: number;
  calendar: BusinessCalendar;
  /** Every status the ticket entered, creation included (order does not matter). */
  timeline: readonly StatusChange[];
  firstRespondedAt: Date | null;
  /** The customer's latest public message (the first one is the ticket's body). */
  lastCustomerMessageAt: Date | null;
  /** The latest public reply by an agent. */
  lastAgentReplyAt: Date | null;
}

export interface SlaDue {
  firstResponseDueAt: Date | null;
  nextResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  /** The earliest still-open target (queues sort on it, the sweep breaches on it); null while paused. */
  nextDueAt: Date | null;
  /** When `warningRatio` of the target behind `nextDueAt` has run. */
  slaWarningAt: Date | null;
}

const NONE: SlaDue = {
  firstResponseDueAt: null,
  nextResponseDueAt: null,
  resolutionDueAt: null,
  nextDueAt: null,
  slaWarningAt: null,
};
const FINISHED: ReadonlySet<TicketStatus> = new Set(['solved', 'closed']);

/** The status in force at `at` (the last change at or before it), else the first one. */
function statusAt(sorted: readonly StatusChange[], at: number): TicketStatus {
  let status = sorted[0]!.status;
  for (const e of sorted) if (e.at.getTime() <= at) status = e.status;
  return status;
}

/** The timeline as seen by a clock that starts at `from`: the status then, and every change after. */
function timelineFrom(sorted: readonly StatusChange[], from: Date): StatusChange[] {
  const t = from.getTime();
  return [{ at: from, status: statusAt(sorted, t) }, ...sorted.filter((e) => e.at.getTime() > t)];
}

/** Warning minutes with second precision, as intake computes them (so unchanged tickets compare equal). */
function warningMinutes(minutes: number, ratio: number): number {
  return Math.round(minutes * ratio * 60) / 60;
}

export function computeSlaDue(input: SlaLifecycleInput): SlaDue {
  const { target, calendar } = input;
  if (!target || !input.timeline.length) return NONE;
  const ordered = [...input.timeline].sort((a, b) => a.at.getTime() - b.at.getTime());
  const current = ordered[ordered.length - 1]!.status;
  if (FINISHED.has(current)) return NONE;
  // Time spent solved does not count either: a reopened ticket resumes where its clock stopped.
  const sorted = ordered.map((e): StatusChange =>
    e.status === 'solved' ? { at: e.at, status: 'on_hold' } : e,
  );

  // Each open target: its minutes and the timeline its clock runs on.
  const open: { key: 'first' | 'next' | 'resolution'; minutes: number; events: StatusChange[] }[] = [];
  if (!input.firstRespondedAt) {
    open.push({ key: 'first', minutes: target.firstResponseMinutes, events: sorted });
  } else if (
    input.lastCustomerMessageAt &&
    input.lastAgentReplyAt &&
    input.lastCustomerMessageAt > input.lastAgentReplyAt
  ) {
    // The customer wrote after our last reply: a new response is owed, counted from their message.
    open.push({
      key: 'next',
      minutes: target.nextResponseMinutes,
      events: timelineFrom(sorted, input.lastCustomerMessageAt),
    });
  }
  open.push({ key: 'resolution', minutes: target.resolutionMinutes, events: sorted });

  const due = open.map((o) => ({ ...o, at: computeDueAt(o.minutes, calendar, o.events) }));
  const get = (key: string) => due.find((d) => d.key === key)?.at ?? null;
  const result: SlaDue = {
    firstResponseDueAt: get('first'),
    nextResponseDueAt: get('next'),
    resolutionDueAt: get('resolution'),
    nextDueAt: null,
    slaWarningAt: null,
  };
  if (PAUSED_STATUSES.has(current)) return result;

  let earliest: (typeof due)[number] | null = null;
  for (const d of due) if (d.at && (!earliest || d.at < earliest.at!)) earliest = d;
  if (!earliest) return result;
  result.nextDueAt = earliest.at;
  result.slaWarningAt = computeDueAt(
    warningMinutes(earliest.minutes, input.warningRatio),
    calendar,
    earliest.events,
  );
  return result;
}

/** How the stored breach and warning marks change when the due times are recomputed. */
export interface SlaMarks {
  slaWarningAt: Date | null;
  slaBreachedAt: Date | null;
}

/**
 * The rule for the sweep's marks (`sla_breached_at` = "the current nextDueAt has been escalated";
 * `sla_warning_at` = "warn at this instant", NULL once warned):
 * - nextDueAt unchanged → the marks stay (no second warning or escalation for the same target);
 * - nextDueAt null (paused, solved, no SLA) → no warning pending; the breach mark stays, so a ticket that
 *   resumes still overdue is not escalated twice;
 * - nextDueAt moved into the future → a new target: breach mark cleared and its warning scheduled, so a
 *   breached first response followed by a customer's message can warn and breach again for the next response;
 * - nextDueAt moved but already past → no warning; the breach mark stays (escalated once) or, if absent, the
 *   sweep escalates it on its next pass.
 */
export function nextSlaMarks(
  stored: { nextDueAt: Date | null } & SlaMarks,
  due: SlaDue,
  now: Date,
): SlaMarks {
  if (sameInstant(stored.nextDueAt, due.nextDueAt)) {
    return { slaWarningAt: stored.slaWarningAt, slaBreachedAt: stored.slaBreachedAt };
  }
  if (!due.nextDueAt) return { slaWarningAt: null, slaBreachedAt: stored.slaBreachedAt };
  if (due.nextDueAt > now) return { slaWarningAt: due.slaWarningAt, slaBreachedAt: null };
  return { slaWarningAt: null, slaBreachedAt: stored.slaBreachedAt };
}

export function sameInstant(a: Date | null, b: Date | null): boolean {
  return a === b || (a !== null && b !== null && a.getTime() === b.getTime());
}

/** A move of at least this much (or to/from null) is worth a line in the ticket's history. */
const MATERIAL_MS = 60_000;

/** Whether the change of due times deserves an `sla.updated` history event: only nextDueAt counts. */
export function isMaterialChange(before: Date | null, after: Date | null): boolean {
  if (before === null || after === null) return before !== after;
  return Math.abs(before.getTime() - after.getTime()) >= MATERIAL_MS;
}

export type SlaDisplayState = 'ok' | 'warning' | 'breached' | 'paused' | 'none';

/**
 * The state shown in the API, from the stored row alone: `breached` once the sweep escalated the current
 * target or its due time has passed; `warning` once the warning time has passed (the sweep clears
 * `sla_warning_at` when it warns, so a NULL warning with a due time set means "warned already").
 */
export function slaDisplayState(
  ticket: {
    status: TicketStatus;
    slaPolicyId: string | null;
    nextDueAt: Date | null;
    slaWarningAt: Date | null;
    slaBreachedAt: Date | null;
  },
  now: Date,
): SlaDisplayState {
  if (!ticket.slaPolicyId || FINISHED.has(ticket.status)) return 'none';
  if (PAUSED_STATUSES.has(ticket.status)) return 'paused';
  if (!ticket.nextDueAt) return 'none';
  if (ticket.slaBreachedAt || now >= ticket.nextDueAt) return 'breached';
  if (!ticket.slaWarningAt || now >= ticket.slaWarningAt) return 'warning';
  return 'ok';
}
