import { sql, type Kysely } from 'kysely';

/**
 * The foundation schema. Every tenant-owned table carries `tenant_id` and it leads every primary key and
 * index, so that tenants can later be distributed by `tenant_id` (Citus). `tenants` and `login_directory`
 * are the two global lookup tables (Citus reference tables).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS btree_gin`.execute(db);

  await sql`
    CREATE FUNCTION peakdesk_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
    END $$`.execute(db);

  await sql`
    CREATE TABLE tenants (
      id uuid PRIMARY KEY,
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      name text NOT NULL,
      settings jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  // Login takes an email alone; this maps it to the tenants where it has an account.
  await sql`
    CREATE TABLE login_directory (
      email text NOT NULL,
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      user_id uuid NOT NULL,
      PRIMARY KEY (email, tenant_id)
    )`.execute(db);

  await sql`
    CREATE TABLE tenant_counters (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      name text NOT NULL,
      value bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, name)
    )`.execute(db);

  await sql`
    CREATE TABLE users (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      email text NOT NULL CHECK (email = lower(email)),
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin', 'supervisor', 'agent', 'outsourced_agent', 'collaborator')),
      department text CHECK (department IN ('warehouse', 'logistics', 'purchasing')),
      password_hash text,
      capacity integer NOT NULL DEFAULT 20 CHECK (capacity BETWEEN 0 AND 1000),
      presence text NOT NULL DEFAULT 'offline' CHECK (presence IN ('online', 'away', 'offline')),
      is_active boolean NOT NULL DEFAULT true,
      expires_at timestamptz,
      deactivated_at timestamptz,
      last_login_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, email),
      CHECK ((role = 'collaborator') = (department IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX users_tenant_role_idx ON users (tenant_id, role, name)`.execute(db);

  await sql`
    CREATE TABLE teams (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX teams_tenant_name_key ON teams (tenant_id, lower(name))`.execute(db);

  await sql`
    CREATE TABLE team_members (
      tenant_id uuid NOT NULL,
      team_id uuid NOT NULL,
      user_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, team_id, user_id),
      FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id),
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX team_members_user_idx ON team_members (tenant_id, user_id)`.execute(db);

  await sql`
    CREATE TABLE skills (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      code text NOT NULL CHECK (code ~ '^[a-z0-9_.:-]{1,64}$'),
      name text NOT NULL,
      kind text NOT NULL DEFAULT 'other' CHECK (kind IN ('category', 'language', 'vip', 'channel', 'other')),
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, code)
    )`.execute(db);

  await sql`
    CREATE TABLE user_skills (
      tenant_id uuid NOT NULL,
      user_id uuid NOT NULL,
      skill_id uuid NOT NULL,
      level smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
      PRIMARY KEY (tenant_id, user_id, skill_id),
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
      FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX user_skills_skill_idx ON user_skills (tenant_id, skill_id, level)`.execute(db);

  await sql`
    CREATE TABLE customers (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      name text NOT NULL DEFAULT '',
      email text,
      phone text,
      tier smallint NOT NULL DEFAULT 0 CHECK (tier BETWEEN 0 AND 10),
      address jsonb,
      notes text NOT NULL DEFAULT '',
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX customers_tenant_created_idx ON customers (tenant_id, created_at DESC, id DESC)`.execute(
    db,
  );

  // One row per way of recognising a customer; the primary key makes find-or-create safe under concurrency.
  await sql`
    CREATE TABLE customer_identities (
      tenant_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('platform', 'email', 'phone')),
      value text NOT NULL,
      customer_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, kind, value),
      -- Deferred: find-or-create claims the identity first and inserts the customer only if it won.
      FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE INITIALLY DEFERRED
    )`.execute(db);
  await sql`CREATE INDEX customer_identities_customer_idx ON customer_identities (tenant_id, customer_id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE tickets (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      number bigint NOT NULL,
      subject text NOT NULL,
      status text NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
      priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
      category text,
      category_confidence real,
      channel text NOT NULL CHECK (channel IN ('web', 'email', 'api', 'im', 'phone', 'platform')),
      tags text[] NOT NULL DEFAULT '{}',
      fields jsonb NOT NULL DEFAULT '{}',
      order_number text,
      requester_id uuid NOT NULL,
      assignee_id uuid,
      team_id uuid,
      sla_policy_id uuid,
      first_response_due_at timestamptz,
      next_response_due_at timestamptz,
      resolution_due_at timestamptz,
      -- The earliest SLA target still open: queues sort on it.
      next_due_at timestamptz,
      first_responded_at timestamptz,
      solved_at timestamptz,
      closed_at timestamptz,
      merged_into_id uuid,
      search_vector tsvector NOT NULL DEFAULT ''::tsvector,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, number),
      FOREIGN KEY (tenant_id, requester_id) REFERENCES customers (tenant_id, id),
      FOREIGN KEY (tenant_id, assignee_id) REFERENCES users (tenant_id, id),
      FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX tickets_created_idx ON tickets (tenant_id, created_at DESC, id DESC)`.execute(db);
  await sql`
    CREATE INDEX tickets_assignee_queue_idx ON tickets (tenant_id, assignee_id, next_due_at, id)
    WHERE status NOT IN ('solved', 'closed')`.execute(db);
  await sql`
    CREATE INDEX tickets_team_queue_idx ON tickets (tenant_id, team_id, next_due_at, id)
    WHERE status NOT IN ('solved', 'closed')`.execute(db);
  await sql`CREATE INDEX tickets_status_idx ON tickets (tenant_id, status, created_at DESC, id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX tickets_requester_idx ON tickets (tenant_id, requester_id, created_at DESC)`.execute(
    db,
  );
  await sql`
    CREATE INDEX tickets_order_idx ON tickets (tenant_id, order_number) WHERE order_number IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX tickets_search_idx ON tickets USING gin (tenant_id, search_vector)`.execute(db);
  await sql`CREATE INDEX tickets_tags_idx ON tickets USING gin (tenant_id, tags)`.execute(db);

  await sql`
    CREATE TABLE ticket_messages (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      author_type text NOT NULL CHECK (author_type IN ('customer', 'agent', 'system')),
      author_id uuid,
      visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX ticket_messages_ticket_idx ON ticket_messages (tenant_id, ticket_id, created_at, id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE ticket_events (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      actor_type text NOT NULL CHECK (actor_type IN ('user', 'token', 'customer', 'system')),
      actor_id uuid,
      action text NOT NULL,
      changes jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX ticket_events_ticket_idx ON ticket_events (tenant_id, ticket_id, id)`.execute(db);
  await sql`
    CREATE TRIGGER ticket_events_append_only BEFORE UPDATE OR DELETE ON ticket_events
    FOR EACH ROW EXECUTE FUNCTION peakdesk_forbid_change()`.execute(db);

  await sql`
    CREATE TABLE ticket_shares (
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      department text NOT NULL CHECK (department IN ('warehouse', 'logistics', 'purchasing')),
      shared_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, ticket_id, department),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX ticket_shares_department_idx ON ticket_shares (tenant_id, department, ticket_id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE audit_log (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      actor_type text NOT NULL CHECK (actor_type IN ('user', 'token', 'system', 'anonymous')),
      actor_id uuid,
      action text NOT NULL,
      target_type text,
      target_id text,
      ip text,
      details jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX audit_log_action_idx ON audit_log (tenant_id, action, id)`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION peakdesk_forbid_change()`.execute(db);

  await sql`
    CREATE TABLE sessions (
      tenant_id uuid NOT NULL,
      id_hash text NOT NULL,
      user_id uuid NOT NULL,
      csrf_token text NOT NULL,
      ip text,
      user_agent text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, id_hash),
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX sessions_user_idx ON sessions (tenant_id, user_id)`.execute(db);

  await sql`
    CREATE TABLE api_tokens (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      name text NOT NULL,
      role text NOT NULL
        CHECK (role IN ('admin', 'supervisor', 'agent', 'outsourced_agent', 'collaborator', 'integration')),
      department text CHECK (department IN ('warehouse', 'logistics', 'purchasing')),
      -- A token may act for one user (inheriting that user's teams and expiry) or stand alone.
      user_id uuid,
      token_hash text NOT NULL,
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, token_hash),
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
    )`.execute(db);
}
