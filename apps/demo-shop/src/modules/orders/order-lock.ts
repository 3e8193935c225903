import type pg from 'pg';
import { ShopApiError } from '../../errors.ts';

export interface LockedOrder {
  id: string;
  orderNumber: string;
  status: string;
  paidFen: number;
  refundedFen: number;
  memberId: string;
  version: number;
}

/**
 * Locks the order row for the rest of the transaction. Every write on an order takes this lock first, so
 * concurrent writes on one order (ten identical refund retries) run one after another and each sees the last.
 */
export async function lockOrder(client: pg.PoolClient, orderId: string): Promise<LockedOrder> {
  const { rows } = await client.query<LockedOrder>(
    `SELECT id, order_number AS "orderNumber", status, paid_fen AS "paidFen", refunded_fen AS "refundedFen",
            member_id AS "memberId", version
       FROM orders WHERE id = $1 FOR UPDATE`,
    [orderId],
  );
  if (!rows[0]) throw new ShopApiError('NOT_FOUND', `no order ${orderId}`);
  return rows[0];
}

/** Marks the order changed: the change feed and event consumers compare `version`. */
export async function touchOrder(
  client: pg.PoolClient,
  orderId: string,
  now: Date,
  set: { status?: string; refundedFenDelta?: number } = {},
): Promise<number> {
  const { rows } = await client.query<{ version: number }>(
    `UPDATE orders SET updated_at = $2, version = version + 1, status = coalesce($3, status),
            refunded_fen = refunded_fen + $4
      WHERE id = $1 RETURNING version`,
    [orderId, now, set.status ?? null, set.refundedFenDelta ?? 0],
  );
  return rows[0]!.version;
}
