import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { TicketStatus } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { recomputeSla } from '../sla/sla-recompute.ts';
import { insertSystemEvent } from '../tickets/ticket-events.ts';
import { timestampsAfter } from '../tickets/ticket-status.ts';
import type { LastTaskPolicy, TaskStatus } from './task-rules.ts';

/** Tickets that wait for something (the customer, the department) and go back to the agent when tasks end. */
const WAITING: ReadonlySet<TicketStatus> = new Set(['pending', 'on_hold', 'solved']);

/**
 * What closing a ticket's last open task does to the ticket, by the department's setting: nothing; an internal
 * system note for the ticket's agent; or the note and the ticket back to `open` (from pending, on hold or
 * solved), so it returns to the agent's queue with its SLA clock running again. Runs in the closing
 * transaction, with the ticket row already locked by the caller.
 */
export async function closeLastTaskEffects(
  tx: Db,
  input: {
    tenantId: string;
    ticketId: string;
    policy: LastTaskPolicy;
    lastTask: { title: string; status: TaskStatus; department: string };
    now: Date;
  },
): Promise<{ noted: boolean; reopened: boolean }> {
  const { tenantId, ticketId, policy, lastTask, now } = input;
  if (policy === 'none') return { noted: false, reopened: false };
  const ticket = await tx
    .selectFrom('tickets')
    .select(['status', 'solvedAt', 'closedAt'])
    .where('tenantId', '=', tenantId)
    .where('id', '=', ticketId)
    .executeTakeFirstOrThrow();
  const verb = lastTask.status === 'done' ? 'done' : 'cancelled';
  await tx
    .insertInto('ticketMessages')
    .values({
      tenantId,
      id: uuidv7(now.getTime()),
      ticketId,
      authorType: 'system',
      authorId: null,
      visibility: 'internal',
      body: `部门任务已全部结束 · All department tasks are closed (last: “${lastTask.title}”, ${lastTask.department}, ${verb}).`,
      createdAt: now,
    })
    .execute();
  if (policy !== 'reopen' || !WAITING.has(ticket.status)) return { noted: true, reopened: false };
  const stamps = timestampsAfter('open', ticket, now);
  await tx
    .updateTable('tickets')
    .set({ status: 'open', ...stamps, updatedAt: now, version: sql`version + 1` })
    .where('tenantId', '=', tenantId)
    .where('id', '=', ticketId)
    .execute();
  // The SLA clock reads status changes from history, so this event is what resumes it.
  await insertSystemEvent(
    tx,
    tenantId,
    ticketId,
    'tasks.all_closed',
    [{ field: 'status', before: ticket.status, after: 'open' }],
    now,
  );
  await recomputeSla(tx, tenantId, ticketId, now);
  return { noted: true, reopened: true };
}
