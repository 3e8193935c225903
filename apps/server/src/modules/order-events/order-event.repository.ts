import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';
import type { KnownSnapshot, OpenTicketsByNumber } from './event-plan.ts';

/**
 * Storage of order-event ingestion; every statement is keyed by tenant and connection and takes a whole
 * batch (arrays through unnest), so a batch costs the same handful of statements whatever its size.
 */
type Db = Kysely<Database>;

/** Records the ids; returns those inserted now (the rest were seen before: duplicates). */
export async function insertEventIds(
  db: Db,
  tenantId: string,
  connectionId: string,
  eventIds: readonly string[],
  now: Date,
): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const { rows } = await sql<{ eventId: string }>`
    INSERT INTO shop_events (tenant_id, connection_id, event_id, received_at)
    SELECT ${tenantId}, ${connectionId}, e, ${now} FROM unnest(${eventIds}::text[]) AS e
    ON CONFLICT DO NOTHING
    RETURNING event_id`.execute(db);
  return new Set(rows.map((r) => r.eventId));
}

/** The snapshots PeakDesk holds of these orders (primary key and order-number index probes). */
export async function findKnownSnapshots(
  db: Db,
  tenantId: string,
  connectionId: string,
  orderIds: readonly string[],
  orderNumbers: readonly string[],
): Promise<KnownSnapshot[]> {
  if (orderIds.length === 0 && orderNumbers.length === 0) return [];
  const { rows } = await sql<{ orderId: string; orderNumber: string; version: string }>`
    SELECT order_id, order_number, version FROM order_snapshots
     WHERE tenant_id = ${tenantId} AND connection_id = ${connectionId}
       AND (order_id = ANY(${orderIds}::text[]) OR order_number = ANY(${orderNumbers}::text[]))`.execute(db);
  return rows.map((r) => ({ orderId: r.orderId, orderNumber: r.orderNumber, version: Number(r.version) }));
}

/**
 * Open tickets (not solved or closed) about these order numbers on this connection — or on no connection,
 * tickets created before the shop was connected. Walks tickets_order_idx (tenant_id, order_number).
 */
export async function findOpenTickets(
  db: Db,
  tenantId: string,
  connectionId: string,
  orderNumbers: readonly string[],
): Promise<OpenTicketsByNumber> {
  const found = new Map<string, string[]>();
  if (orderNumbers.length === 0) return found;
  const rows = await db
    .selectFrom('tickets')
    .select(['id', 'orderNumber'])
    .where('tenantId', '=', tenantId)
    .where('orderNumber', 'in', [...orderNumbers])
    .where('status', 'in', ['new', 'open', 'pending', 'on_hold'])
    .where((eb) => eb.or([eb('shopConnectionId', '=', connectionId), eb('shopConnectionId', 'is', null)]))
    .where('mergedIntoId', 'is', null)
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const list = found.get(row.orderNumber!) ?? [];
    list.push(row.id);
    found.set(row.orderNumber!, list);
  }
  return found;
}

export interface TimelineEntry {
  ticketId: string;
  action: string;
  changes: unknown;
}

/** Appends system history events (the tickets' timelines) in one multi-row insert. */
export async function insertTimelineEntries(
  db: Db,
  tenantId: string,
  entries: readonly TimelineEntry[],
  now: Date,
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('ticketEvents')
    .values(
      entries.map((e) => ({
        tenantId,
        id: uuidv7(now.getTime()),
        ticketId: e.ticketId,
        actorType: 'system' as const,
        actorId: null,
        action: e.action,
        changes: JSON.stringify(e.changes),
        createdAt: now,
      })),
    )
    .execute();
}

/** Marks held snapshots stale (an event announced a newer state), so the next reader asks the shop. */
export async function markSnapshotsStale(
  db: Db,
  tenantId: string,
  connectionId: string,
  orderIds: readonly string[],
  now: Date,
): Promise<void> {
  if (orderIds.length === 0) return;
  await db
    .updateTable('orderSnapshots')
    .set({ isStale: true, updatedAt: now })
    .where('tenantId', '=', tenantId)
    .where('connectionId', '=', connectionId)
    .where('orderId', 'in', [...orderIds])
    .where('isStale', '=', false)
    .execute();
}

/** Deletes event ids older than `before`, at most `limit` rows (the purge job loops). Returns the count. */
export async function purgeEventIds(db: Db, tenantId: string, before: Date, limit: number): Promise<number> {
  const result = await sql`
    DELETE FROM shop_events WHERE (tenant_id, connection_id, event_id) IN (
      SELECT tenant_id, connection_id, event_id FROM shop_events
       WHERE tenant_id = ${tenantId} AND received_at < ${before} LIMIT ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
