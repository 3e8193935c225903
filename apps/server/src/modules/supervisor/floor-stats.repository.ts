import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';

type Db = Kysely<Database>;

export interface ArrivalRow {
  minute: Date;
  category: string | null;
  count: number;
}

/** Tickets created since `since`, per minute and category (tickets_created_idx: a recent, hot range). */
export async function countArrivals(db: Db, tenantId: string, since: Date): Promise<ArrivalRow[]> {
  const { rows } = await sql<ArrivalRow>`
    SELECT date_trunc('minute', created_at) AS minute, category, count(*)::int AS count
    FROM tickets
    WHERE tenant_id = ${tenantId} AND created_at >= ${since}
    GROUP BY 1, 2`.execute(db);
  return rows;
}

export interface OpenTicketGroup {
  /** 'team' rows carry teamId (null: no team); 'agent' rows carry assigneeId. */
  kind: 'team' | 'agent';
  teamId: string | null;
  assigneeId: string | null;
  open: number;
  unassigned: number;
  waiting: number;
  atRisk: number;
  breached: number;
}

/**
 * Every unfinished ticket counted once, grouped two ways in the same scan: by team (backlog, SLA) and by
 * assignee (load). Reads only tickets_floor_idx (0014), whose size is the backlog. The SLA conditions are
 * slaDisplayState's (sla-lifecycle.ts) in SQL: breached once escalated or due; at risk once warned.
 */
export async function countOpenTickets(db: Db, tenantId: string, now: Date): Promise<OpenTicketGroup[]> {
  const { rows } = await sql<OpenTicketGroup>`
    WITH open AS (
      SELECT team_id, assignee_id, status,
        (status IN ('new', 'open') AND sla_policy_id IS NOT NULL AND next_due_at IS NOT NULL) AS timed,
        (sla_breached_at IS NOT NULL OR next_due_at <= ${now}) AS overdue,
        (sla_warning_at IS NULL OR sla_warning_at <= ${now}) AS warned
      FROM tickets
      WHERE tenant_id = ${tenantId} AND status NOT IN ('solved', 'closed'))
    SELECT CASE WHEN grouping(team_id) = 0 THEN 'team' ELSE 'agent' END AS kind, team_id, assignee_id,
      count(*)::int AS open,
      count(*) FILTER (WHERE assignee_id IS NULL)::int AS unassigned,
      count(*) FILTER (WHERE status IN ('pending', 'on_hold'))::int AS waiting,
      count(*) FILTER (WHERE timed AND NOT overdue AND warned)::int AS at_risk,
      count(*) FILTER (WHERE timed AND overdue)::int AS breached
    FROM open
    GROUP BY GROUPING SETS ((team_id), (assignee_id))`.execute(db);
  return rows.filter((r) => r.kind === 'team' || r.assigneeId !== null);
}

export interface DurationStats {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/**
 * Median and 90th percentile of (column − created_at) for tickets whose `column` falls in [from, to): first
 * responses or resolutions of a day, from their partial indexes (0014).
 */
export async function durationsSince(
  db: Db,
  tenantId: string,
  column: 'first_responded_at' | 'solved_at',
  from: Date,
): Promise<DurationStats> {
  const ref = sql.ref(column);
  const { rows } = await sql<{ count: number; p50: number | null; p90: number | null }>`
    SELECT count(*)::int AS count,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ${ref} - created_at)) AS p50,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM ${ref} - created_at)) AS p90
    FROM tickets
    WHERE tenant_id = ${tenantId} AND ${ref} IS NOT NULL AND ${ref} >= ${from}`.execute(db);
  const row = rows[0]!;
  const round = (v: number | null) => (v === null ? null : Math.round(Number(v)));
  return { count: row.count, medianSeconds: round(row.p50), p90Seconds: round(row.p90) };
}

/** The instant the calendar day containing `now` began in `timeZone` (IANA). */
export async function startOfDay(db: Db, now: Date, timeZone: string): Promise<Date> {
  const { rows } = await sql<{ start: Date }>`
    SELECT (date_trunc('day', ${now}::timestamptz AT TIME ZONE ${timeZone}) AT TIME ZONE ${timeZone}) AS start`.execute(
    db,
  );
  return rows[0]!.start;
}

export interface FloorAgentRow {
  id: string;
  name: string;
  role: string;
  presence: string;
  capacity: number;
}

/** Active staff who take tickets (at most 1,000, online first). */
export async function listFloorAgents(db: Db, tenantId: string): Promise<FloorAgentRow[]> {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'presence', 'capacity'])
    .where('tenantId', '=', tenantId)
    .where('isActive', '=', true)
    .where('role', 'in', ['agent', 'outsourced_agent', 'supervisor'])
    .orderBy(sql`CASE presence WHEN 'online' THEN 0 WHEN 'away' THEN 1 ELSE 2 END`)
    .orderBy('name')
    .limit(1000)
    .execute();
}

export async function listTeamNames(db: Db, tenantId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('teams').select(['id', 'name']).where('tenantId', '=', tenantId).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
