import type { Order, OrderRef } from '@peakdesk/commerce';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, OrderSnapshotsTable } from '../../db/tables.ts';

/**
 * The last known state of shop orders, per connection. Writers race — a panel lookup, an enrichment job, a
 * webhook-triggered re-fetch — and fetches return in any order, so the upsert keeps whichever state is newest
 * by the shop's own (version, updatedAt), decided inside the one INSERT … ON CONFLICT statement: an older
 * order never overwrites a newer one, whichever commits last.
 */
type Db = Kysely<Database>;

export type OrderSnapshotRow = Selectable<OrderSnapshotsTable>;

export interface StoredSnapshot {
  connectionId: string;
  orderId: string;
  orderNumber: string;
  customerExternalId: string | null;
  version: number;
  order: Order;
  fetchedAt: Date;
  /** An event said the order changed after this fetch (or the shop could not be asked). */
  isStale: boolean;
}

function toStored(row: OrderSnapshotRow): StoredSnapshot {
  return {
    connectionId: row.connectionId,
    orderId: row.orderId,
    orderNumber: row.orderNumber,
    customerExternalId: row.customerExternalId,
    version: Number(row.version),
    order: row.snapshot as unknown as Order,
    fetchedAt: row.fetchedAt,
    isStale: row.isStale,
  };
}

/** `inserted`: first snapshot; `updated`: same or newer state stored; `ignored`: a newer one is stored already. */
export type UpsertOutcome = 'inserted' | 'updated' | 'ignored';

export async function upsertSnapshot(
  db: Db,
  tenantId: string,
  connectionId: string,
  order: Order,
  fetchedAt: Date,
): Promise<UpsertOutcome> {
  const result = await sql<{ inserted: boolean }>`
    INSERT INTO order_snapshots AS s (tenant_id, connection_id, order_id, order_number, customer_external_id,
      status, version, order_updated_at, snapshot, fetched_at, is_stale, updated_at)
    VALUES (${tenantId}, ${connectionId}, ${order.externalId}, ${order.orderNumber},
      ${order.customer.externalId || null}, ${order.status}, ${order.version}, ${order.updatedAt},
      ${JSON.stringify(order)}::jsonb, ${fetchedAt}, false, ${fetchedAt})
    ON CONFLICT (tenant_id, connection_id, order_id) DO UPDATE SET
      order_number = EXCLUDED.order_number,
      customer_external_id = EXCLUDED.customer_external_id,
      status = EXCLUDED.status,
      version = EXCLUDED.version,
      order_updated_at = EXCLUDED.order_updated_at,
      snapshot = EXCLUDED.snapshot,
      fetched_at = EXCLUDED.fetched_at,
      is_stale = false,
      updated_at = EXCLUDED.updated_at
    WHERE (EXCLUDED.version, EXCLUDED.order_updated_at) >= (s.version, s.order_updated_at)
    RETURNING (xmax = 0) AS inserted`.execute(db);
  const row = result.rows[0];
  if (!row) return 'ignored';
  return row.inserted ? 'inserted' : 'updated';
}

/** The snapshot of one order, by id or by the number the customer quotes (the newest if a number repeats). */
export async function findSnapshot(
  db: Db,
  tenantId: string,
  connectionId: string,
  ref: OrderRef,
): Promise<StoredSnapshot | undefined> {
  let q = db
    .selectFrom('orderSnapshots')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('connectionId', '=', connectionId);
  q =
    'orderId' in ref
      ? q.where('orderId', '=', ref.orderId)
      : q.where('orderNumber', '=', ref.orderNumber).orderBy('orderUpdatedAt', 'desc').limit(1);
  const row = await q.executeTakeFirst();
  return row ? toStored(row) : undefined;
}

/**
 * Marks a snapshot stale (an event announced a change), so the next reader re-fetches. With `version`, only
 * a snapshot older than that version is marked: a late event about an old change leaves a fresh one alone.
 * Returns how many snapshots were marked (0 when PeakDesk holds none: events on unknown orders cost one
 * index probe).
 */
export async function markSnapshotStale(
  db: Db,
  tenantId: string,
  connectionId: string,
  ref: OrderRef,
  now: Date,
  version?: number,
): Promise<number> {
  let q = db
    .updateTable('orderSnapshots')
    .set({ isStale: true, updatedAt: now })
    .where('tenantId', '=', tenantId)
    .where('connectionId', '=', connectionId)
    .where('isStale', '=', false);
  q = 'orderId' in ref ? q.where('orderId', '=', ref.orderId) : q.where('orderNumber', '=', ref.orderNumber);
  if (version !== undefined) q = q.where('version', '<', version);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A customer's orders PeakDesk has seen, newest change first (the panel's "other orders"). */
export async function listCustomerSnapshots(
  db: Db,
  tenantId: string,
  connectionId: string,
  customerExternalId: string,
  limit: number,
): Promise<StoredSnapshot[]> {
  const rows = await db
    .selectFrom('orderSnapshots')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('connectionId', '=', connectionId)
    .where('customerExternalId', '=', customerExternalId)
    .orderBy('orderUpdatedAt', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toStored);
}
