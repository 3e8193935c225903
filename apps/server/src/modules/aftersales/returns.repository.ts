import type { Kysely, Selectable } from 'kysely';
import type { Database, TicketReturnsTable } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';
import type { ReturnKind, ReturnLine, ReturnStatus } from './returns-progress.ts';

type Db = Kysely<Database>;
export type ReturnRow = Selectable<TicketReturnsTable>;

export interface NewReturn {
  tenantId: string;
  ticketId: string;
  connectionId: string;
  orderId: string;
  orderNumber: string;
  kind: ReturnKind;
  mode: 'shop_return' | 'cancel_refund';
  idempotencyKey: string;
  lines: ReturnLine[];
  reason: string;
  note: string | null;
  actorType: 'user' | 'token' | 'system';
  actorId: string | null;
}

/**
 * Inserts the return as `pending` unless its idempotency key is taken; either way answers the row, and
 * `created` says whether this caller inserted it (the unique key decides between racing requests).
 */
export async function insertOrFindReturn(
  db: Db,
  input: NewReturn,
  now: Date,
): Promise<{ row: ReturnRow; created: boolean }> {
  const inserted = await db
    .insertInto('ticketReturns')
    .values({
      ...input,
      id: uuidv7(now.getTime()),
      lines: JSON.stringify(input.lines),
      status: 'pending',
      history: JSON.stringify([{ status: 'pending', at: now.toISOString() }]),
      createdAt: now,
      updatedAt: now,
    })
    .onConflict((oc) => oc.columns(['tenantId', 'idempotencyKey']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, created: true };
  const existing = await findReturnByKey(db, input.tenantId, input.idempotencyKey);
  if (!existing) throw new Error('return vanished between insert and read');
  return { row: existing, created: false };
}

export function findReturnByKey(db: Db, tenantId: string, key: string): Promise<ReturnRow | undefined> {
  return db
    .selectFrom('ticketReturns')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('idempotencyKey', '=', key)
    .executeTakeFirst();
}

export function listTicketReturns(db: Db, tenantId: string, ticketId: string): Promise<ReturnRow[]> {
  return db
    .selectFrom('ticketReturns')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('ticketId', '=', ticketId)
    .orderBy('id')
    .execute();
}

/** The order's returns on a connection, locked for the caller's transaction (progress from a fetched order). */
export function lockOrderReturns(
  tx: Db,
  tenantId: string,
  connectionId: string,
  orderId: string,
): Promise<ReturnRow[]> {
  return tx
    .selectFrom('ticketReturns')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('connectionId', '=', connectionId)
    .where('orderId', '=', orderId)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** The row, locked (the caller then decides on its current status). */
export function lockReturn(tx: Db, tenantId: string, id: string): Promise<ReturnRow | undefined> {
  return tx
    .selectFrom('ticketReturns')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateReturn(
  tx: Db,
  row: ReturnRow,
  change: { status?: ReturnStatus; externalId?: string; error?: string | null },
  now: Date,
): Promise<ReturnRow> {
  const history =
    change.status && change.status !== row.status
      ? [...row.history, { status: change.status, at: now.toISOString() }]
      : row.history;
  return tx
    .updateTable('ticketReturns')
    .set({
      ...(change.status ? { status: change.status } : {}),
      ...(change.externalId ? { externalId: change.externalId } : {}),
      ...(change.error !== undefined ? { error: change.error } : {}),
      history: JSON.stringify(history),
      updatedAt: now,
    })
    .where('tenantId', '=', row.tenantId)
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A definite refusal by the shop: nothing was opened, so the row goes and the same request may be made again. */
export async function deletePendingReturn(db: Db, row: ReturnRow): Promise<void> {
  await db
    .deleteFrom('ticketReturns')
    .where('tenantId', '=', row.tenantId)
    .where('id', '=', row.id)
    .where('status', '=', 'pending')
    .execute();
}
