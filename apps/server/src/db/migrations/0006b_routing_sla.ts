import { sql, type Kysely } from 'kysely';

/**
 * Routing rules, SLA policies and business calendars (per tenant), and what assignment needs: the moment an
 * agent last received a ticket (round-robin among equals) and an index over each team's waiting queue.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE business_calendars (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      name text NOT NULL,
      time_zone text NOT NULL,
      -- "always" (24/7) or {"1": [{"start": "09:00", "end": "18:00"}], …} by weekday 0 (Sunday)–6.
      hours jsonb NOT NULL,
      holidays text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX business_calendars_name_key ON business_calendars (tenant_id, lower(name))`.execute(
    db,
  );

  await sql`
    CREATE TABLE sla_policies (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      name text NOT NULL,
      calendar_id uuid,
      warning_ratio real NOT NULL DEFAULT 0.8 CHECK (warning_ratio > 0 AND warning_ratio < 1),
      -- [{priority, minTier, firstResponseMinutes, nextResponseMinutes, resolutionMinutes}]
      targets jsonb NOT NULL DEFAULT '[]',
      is_default boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, calendar_id) REFERENCES business_calendars (tenant_id, id)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX sla_policies_name_key ON sla_policies (tenant_id, lower(name))`.execute(db);
  // At most one default policy per tenant: the one a ticket gets when no rule names a policy.
  await sql`CREATE UNIQUE INDEX sla_policies_default_key ON sla_policies (tenant_id) WHERE is_default`.execute(
    db,
  );

  await sql`
    CREATE TABLE routing_rules (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      name text NOT NULL,
      position integer NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      stop_processing boolean NOT NULL DEFAULT false,
      conditions jsonb NOT NULL DEFAULT '{}',
      actions jsonb NOT NULL DEFAULT '{}',
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX routing_rules_position_idx ON routing_rules (tenant_id, position, id)`.execute(db);

  await sql`ALTER TABLE users ADD COLUMN last_assigned_at timestamptz`.execute(db);
  // Each team's waiting tickets (no assignee yet): the queue that assignment hands out from.
  await sql`
    CREATE INDEX tickets_waiting_idx ON tickets (tenant_id, team_id, created_at, id)
    WHERE assignee_id IS NULL AND status NOT IN ('solved', 'closed')`.execute(db);
}
