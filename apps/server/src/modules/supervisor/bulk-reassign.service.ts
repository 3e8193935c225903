import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../access/permissions.ts';
import type { LiveTicket } from '../live/live-events.ts';
import { liveTicketOf } from '../live/live-events.ts';
import type { TicketService } from '../tickets/ticket.service.ts';

export interface BulkChange {
  assigneeId?: string | null;
  teamId?: string | null;
}

export type BulkItemResult =
  | { id: string; status: 'updated'; version: number }
  | { id: string; status: 'unchanged'; version: number }
  | { id: string; status: 'failed'; error: { code: string; status: number; detail?: string } };

/**
 * Reassigns many tickets (assignee and/or team) through TicketService.update, one short transaction per
 * ticket, so each change is validated, scoped, recorded in history and hands freed capacity out exactly as
 * a single PATCH would. A ticket changed concurrently is read again and retried once; every ticket gets
 * its own result and one failure never undoes the others.
 */
export async function bulkReassign(
  db: Db,
  tickets: TicketService,
  actor: Actor,
  ids: readonly string[],
  change: BulkChange,
): Promise<{ results: BulkItemResult[]; changed: LiveTicket[] }> {
  const results: BulkItemResult[] = [];
  const changed: LiveTicket[] = [];
  for (const id of ids) {
    for (let attempt = 0; ; attempt++) {
      try {
        const current = await db
          .selectFrom('tickets')
          .select('version')
          .where('tenantId', '=', actor.tenantId)
          .where('id', '=', id)
          .executeTakeFirst();
        // Scope and existence are the update's to judge (404 for what the actor may not see).
        const updated = await tickets.update(actor, id, current?.version ?? -1, change);
        if (current && updated.version !== current.version) {
          results.push({ id, status: 'updated', version: updated.version });
          changed.push(liveTicketOf(updated));
        } else results.push({ id, status: 'unchanged', version: updated.version });
        break;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.code === 'VERSION_MISMATCH' && attempt === 0) continue;
        results.push({
          id,
          status: 'failed',
          error: { code: error.code, status: error.status, detail: error.message },
        });
        break;
      }
    }
  }
  return { results, changed };
}
