import { sql, type Kysely } from 'kysely';

/**
 * What the SLA sweep needs on tickets: the instant the warning is due (NULL once warned or when there is no
 * SLA) and when the breach was escalated (NULL until then; reset when a new due time is armed). Both partial
 * indexes hold only tickets still waiting for the sweep, so its cost follows the work due, not the number of
 * open tickets. Policies gain their escalation actions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE tickets ADD COLUMN sla_warning_at timestamptz, ADD COLUMN sla_breached_at timestamptz`.execute(
    db,
  );
  await sql`
    CREATE INDEX tickets_sla_warning_idx ON tickets (tenant_id, sla_warning_at)
    WHERE sla_warning_at IS NOT NULL`.execute(db);
  await sql`
    CREATE INDEX tickets_sla_breach_idx ON tickets (tenant_id, next_due_at)
    WHERE sla_breached_at IS NULL AND next_due_at IS NOT NULL AND status IN ('new', 'open')`.execute(db);
  // {"teamId": uuid?, "assigneeId": uuid?, "raisePriority": bool, "tags": [..]}
  await sql`ALTER TABLE sla_policies ADD COLUMN escalation jsonb NOT NULL DEFAULT '{}'`.execute(db);
}
