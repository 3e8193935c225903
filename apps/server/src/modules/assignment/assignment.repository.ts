import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { insertSystemEvent } from '../tickets/ticket-events.ts';

/**
 * Storage for assignment: the row locks and counts that keep agents within capacity. An agent's load is the
 * number of their tickets not yet solved or closed (tickets_assignee_queue_idx serves the count). Every query
 * is keyed by tenant.
 */
type Db = Kysely<Database>;

const OPEN = sql`status NOT IN ('solved', 'closed')`;
/** Most urgent first: the order in which waiting tickets are handed out. */
const URGENCY = sql`CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END`;
const AGENT_ROLES = sql`('agent', 'outsourced_agent', 'supervisor')`;

export interface WaitingTicket {
  id: string;
  teamId: string | null;
  category: string | null;
  language: string | null;
}

/** Locks an open, unassigned ticket; null if it is assigned, closed, or another assigner holds it now. */
export async function lockUnassignedTicket(db: Db, tenantId: string, ticketId: string) {
  const { rows } = await sql<WaitingTicket>`
    SELECT id, team_id, category, fields->>'language' AS language
    FROM tickets
    WHERE tenant_id = ${tenantId} AND id = ${ticketId} AND assignee_id IS NULL AND ${OPEN}
    FOR UPDATE SKIP LOCKED`.execute(db);
  return rows[0] ?? null;
}

const loadOf = (userId: ReturnType<typeof sql.ref>) => sql`(
  SELECT count(*)::int FROM tickets t
  WHERE t.tenant_id = u.tenant_id AND t.assignee_id = ${userId} AND t.status NOT IN ('solved', 'closed'))`;

/**
 * The best eligible agent for a ticket: active, online, an agent role, in the ticket's team (any agent when
 * it has none), below capacity as far as this snapshot knows. Skill first (the level of the category's skill
 * plus the language's `lang:<code>` skill), then least load, then the longest since their last assignment
 * (round-robin among equals). With `skipLocked`, agents another assigner holds right now are passed over.
 */
export async function findBestAgent(
  db: Db,
  tenantId: string,
  ticket: WaitingTicket,
  excluded: readonly string[],
  lock: 'skip-locked' | 'none',
): Promise<{ id: string } | null> {
  const { rows } = await sql<{ id: string }>`
    SELECT u.id,
      ${loadOf(sql.ref('u.id'))} AS load,
      coalesce((
        SELECT sum(us.level) FROM user_skills us
        JOIN skills s ON s.tenant_id = us.tenant_id AND s.id = us.skill_id
        WHERE us.tenant_id = u.tenant_id AND us.user_id = u.id AND s.is_active
          AND s.code IN (${ticket.category ?? ''}, ${`lang:${ticket.language ?? ''}`})
      ), 0) AS skill
    FROM users u
    WHERE u.tenant_id = ${tenantId} AND u.is_active AND u.presence = 'online' AND u.role IN ${AGENT_ROLES}
      AND (${ticket.teamId}::uuid IS NULL OR EXISTS (
        SELECT 1 FROM team_members m
        WHERE m.tenant_id = u.tenant_id AND m.team_id = ${ticket.teamId}::uuid AND m.user_id = u.id))
      AND NOT (u.id = ANY(${[...excluded]}::uuid[]))
      AND ${loadOf(sql.ref('u.id'))} < u.capacity
    ORDER BY skill DESC, load ASC, u.last_assigned_at ASC NULLS FIRST, u.id
    LIMIT 1
    ${lock === 'skip-locked' ? sql`FOR UPDATE OF u SKIP LOCKED` : sql``}`.execute(db);
  return rows[0] ?? null;
}

/**
 * The tenants among `tenantIds` with at least one active agent online, in one statement: with nobody online
 * every assignment attempt ends queued, so callers assigning many new tickets skip those tenants (the waiting
 * tickets are handed out when an agent comes online, and by the periodic dispatch).
 */
export async function tenantsWithOnlineAgents(db: Db, tenantIds: readonly string[]): Promise<Set<string>> {
  if (tenantIds.length === 0) return new Set();
  const { rows } = await sql<{ tenantId: string }>`
    SELECT DISTINCT u.tenant_id AS "tenantId" FROM users u
    WHERE u.tenant_id = ANY(${[...tenantIds]}::uuid[]) AND u.is_active AND u.presence = 'online'
      AND u.role IN ${AGENT_ROLES}`.execute(db);
  return new Set(rows.map((r) => r.tenantId));
}

/**
 * Locks an agent's row (waiting for another assigner to finish with it) and returns their capacity and load
 * counted after the lock: a fresh statement sees every assignment committed by whoever held the lock before.
 */
export async function lockAgentAndCountLoad(db: Db, tenantId: string, userId: string) {
  const { rows } = await sql<{ capacity: number; load: number; presence: string; isActive: boolean }>`
    SELECT capacity, presence, is_active FROM users
    WHERE tenant_id = ${tenantId} AND id = ${userId} FOR UPDATE`.execute(db);
  const agent = rows[0];
  if (!agent) return null;
  const load = await countLoad(db, tenantId, userId);
  return { ...agent, load };
}

export async function countLoad(db: Db, tenantId: string, userId: string): Promise<number> {
  const { rows } = await sql<{ load: number }>`
    SELECT count(*)::int AS load FROM tickets
    WHERE tenant_id = ${tenantId} AND assignee_id = ${userId} AND ${OPEN}`.execute(db);
  return rows[0]!.load;
}

/** The most urgent, then oldest, waiting ticket an agent may take (their teams' or team-less), locked. */
export async function lockNextWaitingFor(db: Db, tenantId: string, userId: string) {
  const { rows } = await sql<WaitingTicket>`
    SELECT id, team_id, category, fields->>'language' AS language
    FROM tickets t
    WHERE tenant_id = ${tenantId} AND assignee_id IS NULL AND ${OPEN}
      AND (team_id IS NULL OR team_id IN (
        SELECT team_id FROM team_members WHERE tenant_id = ${tenantId} AND user_id = ${userId}))
    ORDER BY ${URGENCY}, created_at, id
    LIMIT 1
    FOR UPDATE SKIP LOCKED`.execute(db);
  return rows[0] ?? null;
}

/** Waiting tickets in hand-out order (most urgent, oldest), at most `limit`, without locks. */
export async function findWaiting(db: Db, tenantId: string, limit: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM tickets
    WHERE tenant_id = ${tenantId} AND assignee_id IS NULL AND ${OPEN}
    ORDER BY ${URGENCY}, created_at, id
    LIMIT ${limit}`.execute(db);
  return rows.map((r) => r.id);
}

/** Writes the assignment, the agent's round-robin stamp and the history event. */
export async function claim(db: Db, tenantId: string, ticketId: string, agentId: string, now: Date) {
  await db
    .updateTable('tickets')
    .set({ assigneeId: agentId, updatedAt: now, version: sql`version + 1` })
    .where('tenantId', '=', tenantId)
    .where('id', '=', ticketId)
    .execute();
  await db
    .updateTable('users')
    .set({ lastAssignedAt: now })
    .where('tenantId', '=', tenantId)
    .where('id', '=', agentId)
    .execute();
  await insertEvent(db, tenantId, ticketId, 'assigned', { before: null, after: agentId }, now);
}

/**
 * Takes back an agent's untouched tickets (open, and no public or internal message by that agent yet) and
 * returns them (id and team). Tickets the agent already worked on stay with them.
 */
export async function releaseUntouched(
  db: Db,
  tenantId: string,
  agentId: string,
  now: Date,
): Promise<Array<{ id: string; teamId: string | null }>> {
  const { rows } = await sql<{ id: string; teamId: string | null }>`
    UPDATE tickets t SET assignee_id = NULL, updated_at = ${now}, version = version + 1
    WHERE t.tenant_id = ${tenantId} AND t.assignee_id = ${agentId} AND t.status NOT IN ('solved', 'closed')
      AND NOT EXISTS (
        SELECT 1 FROM ticket_messages m
        WHERE m.tenant_id = t.tenant_id AND m.ticket_id = t.id AND m.author_type = 'agent' AND m.author_id = ${agentId})
    RETURNING t.id, t.team_id`.execute(db);
  for (const r of rows)
    await insertEvent(db, tenantId, r.id, 'unassigned', { before: agentId, after: null }, now);
  return rows;
}

async function insertEvent(
  db: Db,
  tenantId: string,
  ticketId: string,
  action: string,
  change: { before: string | null; after: string | null },
  now: Date,
) {
  await insertSystemEvent(db, tenantId, ticketId, action, [{ field: 'assigneeId', ...change }], now);
}
