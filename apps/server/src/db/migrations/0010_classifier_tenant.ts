import { sql, type Kysely } from 'kysely';

/**
 * The classifier per tenant: admins' override rules, agents' corrections (training examples) and the tenant
 * model layers retrained from them. The base model stays a file shipped with the code; a tenant layer is a
 * small delta over it (see classifier/tenant-layer.ts), so the table holds kilobytes per tenant, not a copy.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE classifier_rules (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      position integer NOT NULL,
      kind text NOT NULL CHECK (kind IN ('keyword', 'pattern')),
      pattern text NOT NULL,
      category text NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX classifier_rules_position_idx ON classifier_rules (tenant_id, position, id)`.execute(
    db,
  );

  // One row per category change by a person; ids are UUIDv7, so "newer than the last retrain" is an id range.
  await sql`
    CREATE TABLE classifier_examples (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      text text NOT NULL,
      old_category text,
      new_category text NOT NULL,
      actor_type text NOT NULL,
      actor_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX classifier_examples_ticket_idx ON classifier_examples (tenant_id, ticket_id, id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE classifier_tenant_models (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      version integer NOT NULL,
      feature_spec text NOT NULL,
      model jsonb NOT NULL,
      examples integer NOT NULL,
      last_example_id uuid,
      metrics jsonb NOT NULL,
      trained_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, version)
    )`.execute(db);
}
