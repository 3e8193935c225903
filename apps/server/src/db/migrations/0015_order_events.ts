import { sql, type Kysely } from 'kysely';

/**
 * Live order events (issue 5).
 *
 * - `shop_events`: the ids of events already taken, per connection — an event delivered again (platforms
 *   deliver at least once; Shopify retries with the same X-Shopify-Webhook-Id) is dropped by the primary key.
 *   Only the id and time are kept: at a peak the shop sends every order's events, and most concern orders
 *   nobody asked about, so an event must cost one narrow row. `received_at` (second index) serves the purge.
 * - `order_auto_replies`: one row per ticket and shipment state answered automatically (`<shipment>:shipped`,
 *   `<shipment>:delivered`), inserted in the reply's transaction: duplicate or concurrent events can never
 *   make PeakDesk answer twice.
 * - `shop_sync_cursors`: per connection, how far reconciliation (`listChangedOrders(since)`) has read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE shop_events (
      tenant_id uuid NOT NULL,
      connection_id uuid NOT NULL,
      event_id text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 200),
      received_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, connection_id, event_id)
    )`.execute(db);
  await sql`CREATE INDEX shop_events_received_idx ON shop_events (tenant_id, received_at)`.execute(db);

  await sql`
    CREATE TABLE order_auto_replies (
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      shipment_key text NOT NULL,
      message_id uuid NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, ticket_id, shipment_key)
    )`.execute(db);

  await sql`
    CREATE TABLE shop_sync_cursors (
      tenant_id uuid NOT NULL,
      connection_id uuid NOT NULL,
      since timestamptz NOT NULL,
      last_run_at timestamptz,
      last_error text,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, connection_id),
      FOREIGN KEY (tenant_id, connection_id) REFERENCES shop_connections (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
}
