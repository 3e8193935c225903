import { sql, type Kysely } from 'kysely';

/** Indexes for the directory: the expiry sweep, customer lookup by prefix, the audit log by actor. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Only accounts that can still expire: temporary staff, a small slice of users, so the sweep stays cheap.
  await sql`
    CREATE INDEX users_expiring_idx ON users (tenant_id, expires_at)
    WHERE is_active AND expires_at IS NOT NULL`.execute(db);
  // Prefix search (`q`) over customers' name, email and phone; text_pattern_ops serves LIKE 'abc%'.
  await sql`CREATE INDEX customers_name_prefix_idx ON customers (tenant_id, lower(name) text_pattern_ops)`.execute(
    db,
  );
  await sql`CREATE INDEX customers_email_prefix_idx ON customers (tenant_id, email text_pattern_ops)`.execute(
    db,
  );
  await sql`CREATE INDEX customers_phone_prefix_idx ON customers (tenant_id, phone text_pattern_ops)`.execute(
    db,
  );
  await sql`CREATE INDEX audit_log_actor_idx ON audit_log (tenant_id, actor_id, id)`.execute(db);
}
