import { randomUUID } from 'node:crypto';
import type pg from 'pg';

export type EventType =
  | 'order.paid'
  | 'order.shipped'
  | 'shipment.updated'
  | 'aftersale.updated'
  | 'refund.succeeded'
  | 'price.changed';

type Queryable = Pick<pg.PoolClient, 'query'>;

export interface EventInput {
  type: EventType;
  orderId?: string | null;
  orderNumber?: string | null;
  orderVersion?: number | null;
  occurredAt: Date;
  /** Thin on purpose, like real platforms: ids and the new status, not the whole order. */
  data: Record<string, unknown>;
}

export interface OutboxRow {
  id: number;
  eventId: string;
  type: string;
  payload: unknown;
  attempts: number;
}

/** Enqueues an event in the caller's transaction, so an event exists exactly when its change committed. */
export async function enqueueEvent(db: Queryable, event: EventInput): Promise<string> {
  const eventId = `evt_${randomUUID()}`;
  const payload = {
    id: eventId,
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    orderId: event.orderId ?? undefined,
    orderNumber: event.orderNumber ?? undefined,
    orderVersion: event.orderVersion ?? undefined,
    data: event.data,
  };
  await db.query(`INSERT INTO outbox (event_id, type, order_id, payload) VALUES ($1, $2, $3, $4)`, [
    eventId,
    event.type,
    event.orderId ?? null,
    JSON.stringify(payload),
  ]);
  return eventId;
}

/**
 * Claims up to `limit` due events for one delivery attempt. The claim pushes `next_attempt_at` out by a lease,
 * so a second sweeper (or a crash mid-delivery) never loses an event — at worst it is delivered twice.
 */
export async function claimDue(db: Queryable, limit: number, leaseMs: number): Promise<OutboxRow[]> {
  const { rows } = await db.query<OutboxRow>(
    `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
      WHERE id IN (SELECT id FROM outbox WHERE delivered_at IS NULL AND next_attempt_at <= now()
                    ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING id, event_id AS "eventId", type, payload, attempts`,
    [limit, leaseMs],
  );
  return rows;
}

export async function markDelivered(db: Queryable, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(`UPDATE outbox SET delivered_at = now(), last_error = NULL WHERE id = ANY($1::bigint[])`, [
    ids,
  ]);
}

export async function scheduleRetry(
  db: Queryable,
  id: number,
  delayMs: number,
  error: string,
): Promise<void> {
  await db.query(
    `UPDATE outbox SET next_attempt_at = now() + $2 * interval '1 millisecond', last_error = $3 WHERE id = $1`,
    [id, delayMs, error.slice(0, 500)],
  );
}

export async function outboxStats(
  db: Queryable,
): Promise<{ pending: number; delivered: number; failing: number }> {
  const { rows } = await db.query<{ pending: number; delivered: number; failing: number }>(
    `SELECT count(*) FILTER (WHERE delivered_at IS NULL)::int AS pending,
            count(*) FILTER (WHERE delivered_at IS NOT NULL)::int AS delivered,
            count(*) FILTER (WHERE delivered_at IS NULL AND last_error IS NOT NULL)::int AS failing
       FROM outbox`,
  );
  return rows[0]!;
}
