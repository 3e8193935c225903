import type { Kysely } from 'kysely';
import type { Database, FieldChange } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';

/**
 * Appends a history event that PeakDesk itself caused (assignment, SLA clock, escalation) to a ticket's
 * append-only history, in the caller's transaction.
 */
export async function insertSystemEvent(
  db: Kysely<Database>,
  tenantId: string,
  ticketId: string,
  action: string,
  changes: readonly FieldChange[],
  now: Date,
): Promise<void> {
  await db
    .insertInto('ticketEvents')
    .values({
      tenantId,
      id: uuidv7(now.getTime()),
      ticketId,
      actorType: 'system',
      actorId: null,
      action,
      changes: JSON.stringify(changes),
      createdAt: now,
    })
    .execute();
}
