import { sql, type Kysely } from 'kysely';
import type { Database, FieldChange, SlaEscalation, TicketPriority } from '../../db/tables.ts';
import { ticketEvent, type LivePublisher, type LiveTicket } from '../live/live-events.ts';
import { insertSystemEvent } from '../tickets/ticket-events.ts';
import { recomputeSla } from './sla-recompute.ts';

/**
 * The SLA sweep (job `sla.breach-sweep`): one pass per tenant over tickets whose warning or breach is due.
 * Each pass takes at most `limit` rows with FOR UPDATE SKIP LOCKED and marks them in the same transaction
 * (`sla_warning_at` cleared, `sla_breached_at` set), so two workers running it at once escalate each ticket
 * once, and a re-run finds nothing. The partial indexes of 0006c hold only tickets still due for the sweep.
 */

const RAISE: Record<TicketPriority, TicketPriority> = {
  low: 'normal',
  normal: 'high',
  high: 'urgent',
  urgent: 'urgent',
};
const WARNING_TAG = 'sla_warning';
const BREACH_TAG = 'sla_breached';

export interface SweepResult {
  warned: number;
  breached: number;
}

type Db = Kysely<Database>;

export async function sweepSla(
  db: Db,
  tenantId: string,
  now: Date,
  limit = 500,
  /** Told after each committed batch which tickets it marked (live updates). */
  live?: LivePublisher,
): Promise<SweepResult> {
  const warnedTickets: LiveTicket[] = [];
  const warned = await db.transaction().execute(async (tx) => {
    const { rows } = await sql<{
      id: string;
      tags: string[];
      teamId: string | null;
      assigneeId: string | null;
    }>`
      SELECT id, tags, team_id, assignee_id FROM tickets
      WHERE tenant_id = ${tenantId} AND sla_warning_at IS NOT NULL AND sla_warning_at <= ${now}
        AND status IN ('new', 'open')
      ORDER BY sla_warning_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`.execute(tx);
    for (const t of rows) {
      const tags = t.tags.includes(WARNING_TAG) ? t.tags : [...t.tags, WARNING_TAG];
      await tx
        .updateTable('tickets')
        .set({ slaWarningAt: null, tags, updatedAt: now, version: sql`version + 1` })
        .where('tenantId', '=', tenantId)
        .where('id', '=', t.id)
        .execute();
      await event(tx, tenantId, t.id, 'sla.warning', [{ field: 'tags', before: t.tags, after: tags }], now);
      warnedTickets.push({ id: t.id, teamId: t.teamId, assigneeId: t.assigneeId });
    }
    return rows.length;
  });
  if (warnedTickets.length) live?.publish(tenantId, ticketEvent('sla.warning', warnedTickets, now));

  const breachedTickets: LiveTicket[] = [];

  const breached = await db.transaction().execute(async (tx) => {
    const { rows } = await sql<{
      id: string;
      tags: string[];
      priority: TicketPriority;
      teamId: string | null;
      assigneeId: string | null;
      escalation: SlaEscalation | null;
    }>`
      SELECT t.id, t.tags, t.priority, t.team_id, t.assignee_id, p.escalation
      FROM tickets t
      LEFT JOIN sla_policies p ON p.tenant_id = t.tenant_id AND p.id = t.sla_policy_id
      WHERE t.tenant_id = ${tenantId} AND t.sla_breached_at IS NULL AND t.next_due_at IS NOT NULL
        AND t.next_due_at <= ${now} AND t.status IN ('new', 'open')
      ORDER BY t.next_due_at
      LIMIT ${limit}
      FOR UPDATE OF t SKIP LOCKED`.execute(tx);
    for (const t of rows) {
      const esc: SlaEscalation = t.escalation ?? { raisePriority: true };
      const tags = [...new Set([...t.tags, BREACH_TAG, ...(esc.tags ?? [])])];
      const priority = esc.raisePriority === false ? t.priority : RAISE[t.priority];
      const teamId = esc.teamId ?? t.teamId;
      const assigneeId = esc.assigneeId ?? (esc.teamId && esc.teamId !== t.teamId ? null : t.assigneeId);
      const changes: FieldChange[] = [{ field: 'tags', before: t.tags, after: tags }];
      if (priority !== t.priority) changes.push({ field: 'priority', before: t.priority, after: priority });
      if (teamId !== t.teamId) changes.push({ field: 'teamId', before: t.teamId, after: teamId });
      if (assigneeId !== t.assigneeId)
        changes.push({ field: 'assigneeId', before: t.assigneeId, after: assigneeId });
      await tx
        .updateTable('tickets')
        .set({
          slaBreachedAt: now,
          slaWarningAt: null,
          tags,
          priority,
          teamId,
          assigneeId,
          updatedAt: now,
          version: sql`version + 1`,
        })
        .where('tenantId', '=', tenantId)
        .where('id', '=', t.id)
        .execute();
      await event(tx, tenantId, t.id, 'sla.breached', changes, now);
      // A raised priority has shorter targets: move the due times now. The moved due time is normally past
      // as well, so the breach mark stays and the ticket is not escalated twice (recomputeSla's mark rule).
      if (priority !== t.priority) await recomputeSla(tx, tenantId, t.id, now);
      breachedTickets.push({ id: t.id, teamId, assigneeId, priority });
    }
    return rows.length;
  });
  if (breachedTickets.length) live?.publish(tenantId, ticketEvent('sla.breached', breachedTickets, now));
  return { warned, breached };
}

/** Every tenant, each until its due work is done or `maxBatches` batches have run (bounded per run). */
export async function sweepSlaAllTenants(
  db: Db,
  now: Date,
  limit = 500,
  maxBatches = 10,
): Promise<SweepResult> {
  const total: SweepResult = { warned: 0, breached: 0 };
  const tenants = await db.selectFrom('tenants').select('id').execute();
  for (const { id } of tenants) {
    for (let i = 0; i < maxBatches; i++) {
      const r = await sweepSla(db, id, now, limit);
      total.warned += r.warned;
      total.breached += r.breached;
      if (r.warned < limit && r.breached < limit) break;
    }
  }
  return total;
}

async function event(
  tx: Db,
  tenantId: string,
  ticketId: string,
  action: string,
  changes: FieldChange[],
  now: Date,
) {
  await insertSystemEvent(tx, tenantId, ticketId, action, changes, now);
}
