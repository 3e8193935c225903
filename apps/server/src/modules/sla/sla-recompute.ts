import { sql, type Kysely } from 'kysely';
import type { Database, FieldChange, TicketStatus } from '../../db/tables.ts';
import { insertSystemEvent } from '../tickets/ticket-events.ts';
import { TICKET_COLUMNS, type TicketRecord } from '../tickets/ticket.repository.ts';
import { ALWAYS_OPEN, type BusinessCalendar } from './business-calendar.ts';
import { resolveTargets, type StatusChange } from './sla-clock.ts';
import { computeSlaDue, isMaterialChange, nextSlaMarks, sameInstant } from './sla-lifecycle.ts';

const DUE_FIELDS = ['firstResponseDueAt', 'nextResponseDueAt', 'resolutionDueAt', 'nextDueAt'] as const;

/**
 * Moves a ticket's SLA clock after anything that changed it (status, priority, a reply, a customer message,
 * a merge), inside the caller's transaction and after the caller's write, so it sees the new state. Three
 * reads whatever the ticket's history (the ticket with its policy, calendar, tier and tenant zone; its
 * status changes; its latest customer and agent public messages) and at most one write and one event.
 *
 * Returns the updated ticket, or null when nothing changed (or the ticket has no SLA policy). The version is
 * not bumped: due times are derived, and an agent's open edit form must stay valid.
 * History: an `sla.updated` event only when nextDueAt moves by a minute or more (or appears/disappears) —
 * the change that made it (a reply, a status change) has its own event, so this stays one line per move.
 */
export async function recomputeSla(
  tx: Kysely<Database>,
  tenantId: string,
  ticketId: string,
  now: Date,
): Promise<TicketRecord | null> {
  const row = await tx
    .selectFrom('tickets as t')
    .innerJoin('slaPolicies as p', (j) =>
      j.onRef('p.tenantId', '=', 't.tenantId').onRef('p.id', '=', 't.slaPolicyId'),
    )
    .leftJoin('businessCalendars as c', (j) =>
      j.onRef('c.tenantId', '=', 't.tenantId').onRef('c.id', '=', 'p.calendarId'),
    )
    .leftJoin('customers as cu', (j) =>
      j.onRef('cu.tenantId', '=', 't.tenantId').onRef('cu.id', '=', 't.requesterId'),
    )
    .innerJoin('tenants as tn', 'tn.id', 't.tenantId')
    .select([
      't.status',
      't.priority',
      't.createdAt',
      't.firstRespondedAt',
      't.firstResponseDueAt',
      't.nextResponseDueAt',
      't.resolutionDueAt',
      't.nextDueAt',
      't.slaWarningAt',
      't.slaBreachedAt',
      'p.targets',
      'p.warningRatio',
      'c.timeZone as calendarZone',
      'c.hours',
      'c.holidays',
      'cu.tier',
      'tn.settings',
    ])
    .where('t.tenantId', '=', tenantId)
    .where('t.id', '=', ticketId)
    .executeTakeFirst();
  if (!row) return null;

  const [events, messages] = await Promise.all([
    tx
      .selectFrom('ticketEvents')
      .select(['createdAt', 'changes'])
      .where('tenantId', '=', tenantId)
      .where('ticketId', '=', ticketId)
      .where(sql<boolean>`changes @> '[{"field":"status"}]'::jsonb`)
      .orderBy('id')
      .execute(),
    tx
      .selectFrom('ticketMessages')
      .select([
        sql<Date | null>`max(created_at) FILTER (WHERE author_type = 'customer')`.as('lastCustomer'),
        sql<Date | null>`max(created_at) FILTER (WHERE author_type = 'agent')`.as('lastAgent'),
      ])
      .where('tenantId', '=', tenantId)
      .where('ticketId', '=', ticketId)
      .where('visibility', '=', 'public')
      .executeTakeFirstOrThrow(),
  ]);

  const timeline: StatusChange[] = [];
  for (const e of events) {
    for (const c of e.changes) {
      if (c.field === 'status') timeline.push({ at: e.createdAt, status: c.after as TicketStatus });
    }
  }
  // Tickets from before status events were recorded at creation still start their clock at creation.
  if (!timeline.length || timeline[0]!.at > row.createdAt)
    timeline.unshift({ at: row.createdAt, status: 'new' });

  const tenantZone = (row.settings as { timeZone?: unknown }).timeZone;
  const calendar: BusinessCalendar =
    row.calendarZone && row.hours
      ? { timeZone: row.calendarZone, hours: row.hours, holidays: row.holidays ?? [] }
      : ALWAYS_OPEN(typeof tenantZone === 'string' ? tenantZone : 'Asia/Shanghai');
  const due = computeSlaDue({
    target: resolveTargets({ targets: row.targets }, row.priority, row.tier ?? 0),
    warningRatio: row.warningRatio,
    calendar,
    timeline,
    firstRespondedAt: row.firstRespondedAt,
    lastCustomerMessageAt: toDate(messages.lastCustomer),
    lastAgentReplyAt: toDate(messages.lastAgent),
  });
  const marks = nextSlaMarks(row, due, now);

  const unchanged =
    DUE_FIELDS.every((f) => sameInstant(row[f], due[f])) &&
    sameInstant(row.slaWarningAt, marks.slaWarningAt) &&
    sameInstant(row.slaBreachedAt, marks.slaBreachedAt);
  if (unchanged) return null;

  const updated = await tx
    .updateTable('tickets')
    .set({
      firstResponseDueAt: due.firstResponseDueAt,
      nextResponseDueAt: due.nextResponseDueAt,
      resolutionDueAt: due.resolutionDueAt,
      nextDueAt: due.nextDueAt,
      slaWarningAt: marks.slaWarningAt,
      slaBreachedAt: marks.slaBreachedAt,
    })
    .where('tenantId', '=', tenantId)
    .where('id', '=', ticketId)
    .returning(TICKET_COLUMNS)
    .executeTakeFirstOrThrow();

  if (isMaterialChange(row.nextDueAt, due.nextDueAt)) {
    const changes: FieldChange[] = DUE_FIELDS.filter((f) => !sameInstant(row[f], due[f])).map((f) => ({
      field: f,
      before: row[f]?.toISOString() ?? null,
      after: due[f]?.toISOString() ?? null,
    }));
    await insertSystemEvent(tx, tenantId, ticketId, 'sla.updated', changes, now);
  }
  return updated;
}

/** Aggregates over timestamptz come back as Date from pg; keep a string-safe fallback. */
function toDate(v: Date | string | null): Date | null {
  if (v === null) return null;
  return v instanceof Date ? v : new Date(v);
}
