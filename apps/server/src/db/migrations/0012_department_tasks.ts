import { sql, type Kysely } from 'kysely';

/**
 * Department tasks: a ticket asks the warehouse, logistics or purchasing (or any department an admin adds) for
 * something, and the department answers in the task's own thread, against its own internal due time (OLA).
 * Members are explicit rows (collaborators, but any user may belong); the lead receives escalations.
 * The sweep's partial index holds only tasks that are still open and not yet escalated, so its cost follows
 * the overdue work, not the number of tasks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE departments (
      tenant_id uuid NOT NULL REFERENCES tenants (id),
      id uuid NOT NULL,
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('warehouse', 'logistics', 'purchasing', 'other')),
      lead_id uuid,
      -- Internal due time of a new task, in business minutes of the calendar (24/7 in the tenant's zone without one).
      ola_minutes integer NOT NULL DEFAULT 240 CHECK (ola_minutes > 0),
      calendar_id uuid,
      -- What closing a ticket's last open task does to the ticket: nothing, an internal note, or reopen it.
      on_last_task_closed text NOT NULL DEFAULT 'note' CHECK (on_last_task_closed IN ('none', 'note', 'reopen')),
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, lead_id) REFERENCES users (tenant_id, id),
      FOREIGN KEY (tenant_id, calendar_id) REFERENCES business_calendars (tenant_id, id)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX departments_name_key ON departments (tenant_id, lower(name))`.execute(db);

  await sql`
    CREATE TABLE department_members (
      tenant_id uuid NOT NULL,
      department_id uuid NOT NULL,
      user_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, department_id, user_id),
      FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX department_members_user_idx ON department_members (tenant_id, user_id)`.execute(db);

  await sql`
    CREATE TABLE tasks (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      department_id uuid NOT NULL,
      title text NOT NULL,
      description text NOT NULL DEFAULT '',
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
      owner_id uuid,
      created_by uuid,
      due_at timestamptz NOT NULL,
      escalated_at timestamptz,
      closed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id),
      FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id),
      FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id)
    )`.execute(db);
  // A department's queue (newest first by UUIDv7 id), a ticket's tasks, an owner's open tasks.
  await sql`CREATE INDEX tasks_department_idx ON tasks (tenant_id, department_id, status, id)`.execute(db);
  await sql`CREATE INDEX tasks_ticket_idx ON tasks (tenant_id, ticket_id, id)`.execute(db);
  await sql`
    CREATE INDEX tasks_owner_idx ON tasks (tenant_id, owner_id, id)
    WHERE status IN ('open', 'in_progress')`.execute(db);
  await sql`
    CREATE INDEX tasks_ola_due_idx ON tasks (tenant_id, due_at)
    WHERE escalated_at IS NULL AND status IN ('open', 'in_progress')`.execute(db);

  await sql`
    CREATE TABLE task_messages (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      task_id uuid NOT NULL,
      author_type text NOT NULL CHECK (author_type IN ('user', 'token', 'system')),
      author_id uuid,
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, task_id) REFERENCES tasks (tenant_id, id)
    )`.execute(db);
  await sql`CREATE INDEX task_messages_task_idx ON task_messages (tenant_id, task_id, id)`.execute(db);
}
