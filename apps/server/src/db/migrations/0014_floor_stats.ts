import { sql, type Kysely } from 'kysely';

/**
 * The supervisor's floor view (GET /stats/floor) reads every open ticket's team, status, assignee and SLA
 * marks, and today's first responses and resolutions. These indexes let each of those be one index-only
 * range scan per tenant: the open-ticket index holds only unfinished tickets (its size follows the
 * backlog, not the million solved ones), the two time indexes only tickets that have the time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX tickets_floor_idx ON tickets (tenant_id, team_id)
    INCLUDE (status, assignee_id, sla_policy_id, next_due_at, sla_warning_at, sla_breached_at)
    WHERE status NOT IN ('solved', 'closed')`.execute(db);
  await sql`
    CREATE INDEX tickets_first_response_idx ON tickets (tenant_id, first_responded_at) INCLUDE (created_at)
    WHERE first_responded_at IS NOT NULL`.execute(db);
  await sql`
    CREATE INDEX tickets_solved_at_idx ON tickets (tenant_id, solved_at) INCLUDE (created_at)
    WHERE solved_at IS NOT NULL`.execute(db);
}
