import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { insertSystemEvent } from '../tickets/ticket-events.ts';

/**
 * The OLA sweep (part of the maintenance sweep): tasks past their internal due time go to the department's
 * lead. One pass takes at most `limit` overdue tasks of a tenant with FOR UPDATE SKIP LOCKED and marks them
 * escalated in the same transaction, so two workers running it at once escalate each task exactly once and a
 * re-run finds nothing. An unowned task is assigned to the lead; an owned one stays with its owner and the
 * lead is told in the thread. The partial index `tasks_ola_due_idx` holds only what is still due.
 */
export async function sweepTaskOla(db: Db, tenantId: string, now: Date, limit = 200): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const { rows } = await sql<{
      id: string;
      ticketId: string;
      ownerId: string | null;
      title: string;
      leadId: string | null;
      departmentName: string;
    }>`
      SELECT t.id, t.ticket_id, t.owner_id, t.title, d.lead_id, d.name AS department_name
      FROM tasks t
      JOIN departments d ON d.tenant_id = t.tenant_id AND d.id = t.department_id
      WHERE t.tenant_id = ${tenantId} AND t.escalated_at IS NULL AND t.status IN ('open', 'in_progress')
        AND t.due_at <= ${now}
      ORDER BY t.due_at
      LIMIT ${limit}
      FOR UPDATE OF t SKIP LOCKED`.execute(tx);
    for (const task of rows) {
      const ownerId = task.ownerId ?? task.leadId;
      await tx
        .updateTable('tasks')
        .set({ escalatedAt: now, ownerId, updatedAt: now, version: sql`version + 1` })
        .where('tenantId', '=', tenantId)
        .where('id', '=', task.id)
        .execute();
      await tx
        .insertInto('taskMessages')
        .values({
          tenantId,
          id: uuidv7(now.getTime()),
          taskId: task.id,
          authorType: 'system',
          authorId: null,
          body: task.leadId
            ? `OLA overdue: escalated to the lead of ${task.departmentName}.`
            : `OLA overdue: ${task.departmentName} has no lead to escalate to.`,
          createdAt: now,
        })
        .execute();
      await insertSystemEvent(
        tx,
        tenantId,
        task.ticketId,
        'task.escalated',
        [
          {
            field: 'task',
            before: { id: task.id, ownerId: task.ownerId, escalated: false },
            after: { id: task.id, ownerId, escalated: true, leadId: task.leadId },
          },
        ],
        now,
      );
    }
    return rows.length;
  });
}

/** A tenant's overdue tasks, batch after batch, at most `maxBatches` per run (the next run takes the rest). */
export async function sweepTaskOlaForTenant(
  db: Db,
  tenantId: string,
  now: Date,
  limit = 200,
  maxBatches = 10,
): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await sweepTaskOla(db, tenantId, now, limit);
    total += n;
    if (n < limit) break;
  }
  return total;
}
