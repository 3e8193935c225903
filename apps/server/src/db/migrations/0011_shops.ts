import { sql, type Kysely } from 'kysely';

/**
 * Shops connected per tenant, the last known state of their orders, and the ticket ↔ order link.
 *
 * - `shop_connections`: one row per connected shop. `credentials` and `webhook_secret` hold SecretBox values
 *   (lib/secret-box.ts, AES-256-GCM, key id inside), never plaintext. `kind` names the adapter
 *   (shops/adapter-registry.ts); `settings` holds per-shop knobs (cacheTtlSeconds, timeoutMs,
 *   autoReplyOnShipment). At most one connection per tenant is the default, which intake links tickets to.
 * - `order_snapshots`: the last order PeakDesk fetched, served (marked stale) when the shop is slow or down.
 *   `version` and `order_updated_at` are the shop's, so an older fetch or event never overwrites a newer one.
 * - `tickets.shop_connection_id`: with the existing `order_number` (and its index tickets_order_idx) this is
 *   the link. A nullable column without a default is a catalogue-only change, and intake writes one value
 *   more per ticket — no extra statement, no foreign-key probe on the hot path. A deleted connection leaves
 *   the id behind; readers treat it as "no shop".
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE shop_connections (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9-]{1,39}$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      base_url text NOT NULL,
      credentials text NOT NULL,
      webhook_secret text,
      settings jsonb NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
      is_default boolean NOT NULL DEFAULT false,
      last_tested_at timestamptz,
      last_test_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX shop_connections_name_idx ON shop_connections (tenant_id, lower(name))`.execute(
    db,
  );
  await sql`
    CREATE UNIQUE INDEX shop_connections_default_idx ON shop_connections (tenant_id) WHERE is_default`.execute(
    db,
  );

  await sql`
    CREATE TABLE order_snapshots (
      tenant_id uuid NOT NULL,
      connection_id uuid NOT NULL,
      order_id text NOT NULL,
      order_number text NOT NULL,
      customer_external_id text,
      status text NOT NULL,
      version bigint NOT NULL,
      order_updated_at timestamptz NOT NULL,
      snapshot jsonb NOT NULL,
      fetched_at timestamptz NOT NULL,
      is_stale boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, connection_id, order_id),
      FOREIGN KEY (tenant_id, connection_id) REFERENCES shop_connections (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`
    CREATE INDEX order_snapshots_number_idx ON order_snapshots (tenant_id, connection_id, order_number)`.execute(
    db,
  );
  // The customer's other orders in the panel's customer context.
  await sql`
    CREATE INDEX order_snapshots_customer_idx ON order_snapshots
      (tenant_id, connection_id, customer_external_id, order_updated_at DESC)
    WHERE customer_external_id IS NOT NULL`.execute(db);

  await sql`ALTER TABLE tickets ADD COLUMN shop_connection_id uuid`.execute(db);
}
