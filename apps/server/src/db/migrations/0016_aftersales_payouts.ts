import { sql, type Kysely } from 'kysely';

/**
 * Money out (issue 6): price protection, compensation and supervisor approvals.
 *
 * - `payouts`: the ledger of every refund, coupon, points or store-credit grant PeakDesk makes. The row is
 *   inserted BEFORE the shop is called, and `(tenant_id, idempotency_key)` is unique: a retry, a double click
 *   or a second worker finds the existing row instead of paying again. `attempt_at` is the claim on the shop
 *   call (one caller at a time; released on a retryable failure). Points are counted in `amount` with no
 *   currency.
 * - `approval_requests`: payouts above a cap or threshold wait here for a supervisor; `payload` is what will
 *   be paid on approval. `team_id` (the ticket's team when asked) scopes supervisors to their teams.
 * - `price_protection_checks`: the calculation stored on a ticket (one per ticket, replaced when re-run).
 * - `price_protection_campaigns` + `_items`: a bulk run after a campaign price drop; items are written as
 *   they complete, so a resumed job skips them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE approval_requests (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('price_protection', 'compensation')),
      ticket_id uuid,
      team_id uuid,
      requested_by uuid,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
      amount bigint NOT NULL,
      currency text,
      reason text NOT NULL,
      payload jsonb NOT NULL,
      decided_by uuid,
      decided_at timestamptz,
      decision_note text,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX approval_requests_status_idx ON approval_requests (tenant_id, status, id)`.execute(
    db,
  );
  await sql`CREATE INDEX approval_requests_ticket_idx ON approval_requests (tenant_id, ticket_id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE payouts (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 300),
      purpose text NOT NULL CHECK (purpose IN ('price_protection', 'compensation')),
      kind text NOT NULL CHECK (kind IN ('refund', 'coupon', 'points', 'store_credit')),
      connection_id uuid NOT NULL,
      ticket_id uuid,
      order_id text,
      order_line_id text,
      customer_external_id text,
      amount bigint NOT NULL CHECK (amount > 0),
      currency text,
      reason text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
      shop_reference text,
      coupon_code text,
      error text,
      actor_type text NOT NULL CHECK (actor_type IN ('user', 'token', 'system')),
      actor_id uuid,
      approval_id uuid,
      attempt_at timestamptz,
      attempts int NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      completed_at timestamptz,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, idempotency_key)
    )`.execute(db);
  await sql`CREATE INDEX payouts_ticket_idx ON payouts (tenant_id, ticket_id, id)`.execute(db);
  // Earlier price-protection payouts of an order line, and an agent's grants of a day (the daily cap).
  await sql`CREATE INDEX payouts_line_idx ON payouts (tenant_id, connection_id, order_id, order_line_id)`.execute(
    db,
  );
  await sql`CREATE INDEX payouts_actor_idx ON payouts (tenant_id, actor_id, created_at)`.execute(db);

  await sql`
    CREATE TABLE price_protection_checks (
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      connection_id uuid NOT NULL,
      order_id text NOT NULL,
      order_number text NOT NULL,
      outcome text NOT NULL,
      payable bigint NOT NULL,
      currency text NOT NULL,
      lines jsonb NOT NULL,
      policy jsonb NOT NULL,
      approval_id uuid,
      calculated_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, ticket_id)
    )`.execute(db);

  await sql`
    CREATE TABLE price_protection_campaigns (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      connection_id uuid NOT NULL,
      skus text[] NOT NULL,
      since timestamptz NOT NULL,
      scope text NOT NULL CHECK (scope IN ('requested', 'all_affected')),
      status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
      total int,
      processed int NOT NULL DEFAULT 0,
      paid int NOT NULL DEFAULT 0,
      awaiting_approval int NOT NULL DEFAULT 0,
      failed int NOT NULL DEFAULT 0,
      error text,
      created_by uuid,
      created_at timestamptz NOT NULL,
      finished_at timestamptz,
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  await sql`
    CREATE TABLE price_protection_campaign_items (
      tenant_id uuid NOT NULL,
      campaign_id uuid NOT NULL,
      order_id text NOT NULL,
      order_number text NOT NULL,
      ticket_id uuid,
      outcome text NOT NULL,
      payable bigint NOT NULL DEFAULT 0,
      currency text,
      error text,
      completed_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, campaign_id, order_id)
    )`.execute(db);
}
