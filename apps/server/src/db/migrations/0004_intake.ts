import { sql, type Kysely } from 'kysely';

/**
 * Peak intake: idempotency keys and the outbox of follow-up jobs. Both are written in the same transaction
 * as the tickets they belong to, so an acknowledged ticket always has its key (a retry replays it) and its
 * follow-up work (never lost when the process dies after the commit).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // status/response stay NULL only inside the transaction that claimed the key; committed rows have both.
  await sql`
    CREATE TABLE idempotency_keys (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      key text NOT NULL,
      request_hash text NOT NULL,
      ticket_id uuid,
      status smallint,
      response jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, key)
    )`.execute(db);
  // The purge walks each tenant's oldest keys.
  await sql`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (tenant_id, created_at)`.execute(
    db,
  );

  await sql`
    CREATE TABLE outbox_jobs (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      kind text NOT NULL,
      ticket_id uuid,
      payload jsonb NOT NULL DEFAULT '{}',
      run_after timestamptz NOT NULL DEFAULT now(),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      result jsonb,
      done_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  // Only pending jobs are indexed, so the sweep's scan stays small however many jobs are done.
  await sql`
    CREATE INDEX outbox_jobs_due_idx ON outbox_jobs (tenant_id, run_after) WHERE done_at IS NULL`.execute(db);
}
