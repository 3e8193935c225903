import { sql, type Kysely } from 'kysely';

/**
 * Returns and exchanges opened from a ticket (issue 6).
 *
 * `ticket_returns`: one row per return or exchange, inserted BEFORE the shop is called under the unique
 * `(tenant_id, idempotency_key)` (derived from ticket, kind and lines): a double click, a retry or a second
 * request racing the first finds the row and reuses its key with the shop, so the shop opens one after-sale.
 * `mode` says how the shop carries it: `shop_return` (the shop's own after-sale, `external_id` its id) or
 * `cancel_refund` (the shop has no return object: PeakDesk records the cancelled lines and refunds them).
 * `status` only moves forward (returns-progress.ts); `history` keeps each step with its time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ticket_returns (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      connection_id uuid NOT NULL,
      order_id text NOT NULL,
      order_number text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('return', 'exchange')),
      mode text NOT NULL CHECK (mode IN ('shop_return', 'cancel_refund')),
      idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
      external_id text,
      status text NOT NULL CHECK (status IN ('pending', 'requested', 'approved', 'rejected', 'return_shipped',
        'received', 'refunded', 'exchange_shipped', 'closed')),
      lines jsonb NOT NULL,
      reason text NOT NULL,
      note text,
      history jsonb NOT NULL DEFAULT '[]',
      error text,
      actor_type text NOT NULL CHECK (actor_type IN ('user', 'token', 'system')),
      actor_id uuid,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, idempotency_key)
    )`.execute(db);
  await sql`CREATE INDEX ticket_returns_ticket_idx ON ticket_returns (tenant_id, ticket_id, id)`.execute(db);
  // Progress from a fetched order finds the order's returns on that connection.
  await sql`CREATE INDEX ticket_returns_order_idx ON ticket_returns (tenant_id, connection_id, order_id)`.execute(
    db,
  );
}
