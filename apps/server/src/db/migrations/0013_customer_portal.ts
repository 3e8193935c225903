import { sql, type Kysely } from 'kysely';

/**
 * The customer portal: customers have no account, so they reach their tickets through access links. A link
 * is an unguessable secret (stored as its SHA-256 only) scoped to one customer and, when it was handed out
 * by opening a ticket, to that one ticket. `portal_access_requests` records "send me a link to my tickets"
 * for a mailer to deliver (there is no mail transport yet).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE portal_links (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      customer_id uuid NOT NULL,
      ticket_id uuid,
      secret_hash text NOT NULL,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      last_used_at timestamptz,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX portal_links_customer_idx ON portal_links (tenant_id, customer_id)`.execute(db);
  await sql`
    CREATE TABLE portal_access_requests (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      customer_id uuid NOT NULL,
      email text NOT NULL,
      created_at timestamptz NOT NULL,
      sent_at timestamptz,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
    )`.execute(db);
  await sql`
    CREATE INDEX portal_access_requests_unsent_idx ON portal_access_requests (tenant_id, created_at)
    WHERE sent_at IS NULL`.execute(db);
}
