import { sql, type Kysely } from 'kysely';
import { startPeriodic } from '../lib/periodic.ts';
import type { Database } from './tables.ts';

/**
 * Keeps planner statistics of PeakDesk's tables from lagging behind a fresh table's first surge.
 *
 * PostgreSQL's foreign-key checks (`SELECT 1 FROM tickets WHERE tenant_id = $1 AND id = $2 FOR KEY SHARE`)
 * are prepared once per connection and, after five runs, kept as a generic plan for the life of that
 * connection, until the table's statistics change. Planned while `tickets` is empty or never analysed, every
 * index leading with `tenant_id` costs the same as the primary key, and PostgreSQL may keep e.g.
 * `tickets_requester_idx` with `id = $2` as a filter: every ticket message then reads all of its tenant's
 * tickets (measured by `npm run bench:intake-cost`: the messages → tickets check took 0.46 ms per row after
 * 20,000 tickets, PostgreSQL's CPU per ticket went from 0.3 to 3–4 ms, and which runs hit it depended on
 * the plan each connection happened to cache). Autovacuum's ANALYZE would replace the plan, but it waits for
 * its naptime (60 s by default) and may be switched off; at surge rates a table grows by tens of thousands
 * of rows in that time.
 *
 * So every node checks, about every second, for small tables that grew several-fold since their statistics
 * were taken, and analyses them (which also invalidates the cached plans on every connection). Above
 * `maxRows` a table's plans no longer flip with its size, and autovacuum is left to do its usual work.
 */
export interface StatsSnapshot {
  table: string;
  /** pg_class.reltuples: -1 when the table was never analysed. */
  analysedRows: number;
  /** pg_stat_user_tables.n_live_tup: the live rows now (updated as transactions commit). */
  liveRows: number;
}

export interface StatsGuardPolicy {
  /** Below this many live rows any plan is cheap: leave the table alone. */
  minRows: number;
  /** Analyse again once the table holds this many times the rows it was analysed with. */
  growth: number;
  /** Tables analysed with at least this many rows are left to autovacuum. */
  maxRows: number;
}

export const DEFAULT_STATS_POLICY: StatsGuardPolicy = { minRows: 100, growth: 4, maxRows: 100_000 };

/** The tables whose statistics are stale enough to mislead the planner, by the rules above. */
export function tablesToAnalyze(
  snapshots: readonly StatsSnapshot[],
  policy: StatsGuardPolicy = DEFAULT_STATS_POLICY,
): string[] {
  return snapshots
    .filter(({ analysedRows, liveRows }) => {
      if (liveRows < policy.minRows || analysedRows >= policy.maxRows) return false;
      return analysedRows < 0 || liveRows >= policy.growth * Math.max(analysedRows, 1);
    })
    .map((s) => s.table);
}

/** Lock key of the guard's pass, so that of several nodes one analyses and the others skip. */
const GUARD_LOCK = 0x70645f73; // 'pd_s'

/** One pass: reads the statistics of the public schema's tables and analyses those that need it. */
export async function guardStatistics(
  db: Kysely<Database>,
  policy: StatsGuardPolicy = DEFAULT_STATS_POLICY,
): Promise<string[]> {
  const { rows } = await sql<{ table: string; analysedRows: number; liveRows: string }>`
    SELECT c.relname AS "table", c.reltuples::float8 AS "analysedRows", s.n_live_tup::text AS "liveRows"
    FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
    WHERE s.schemaname = 'public' AND c.relkind = 'r' AND c.reltuples < ${policy.maxRows}`.execute(db);
  const due = tablesToAnalyze(
    rows.map((r) => ({ table: r.table, analysedRows: r.analysedRows, liveRows: Number(r.liveRows) })),
    policy,
  );
  if (due.length === 0) return [];
  return db.transaction().execute(async (tx) => {
    const { rows: lock } = await sql<{ locked: boolean }>`
      SELECT pg_try_advisory_xact_lock(${GUARD_LOCK}) AS locked`.execute(tx);
    if (!lock[0]?.locked) return [];
    // Names come from pg_class, quoted as identifiers.
    await sql`ANALYZE ${sql.join(due.map((table) => sql.id(table)))}`.execute(tx);
    return due;
  });
}

export function startStatsGuard(
  db: Kysely<Database>,
  options: { intervalMs?: number; log: (message: string, error?: unknown) => void },
): () => Promise<void> {
  return startPeriodic(
    async () => {
      await guardStatistics(db);
    },
    options.intervalMs ?? 1_000,
    (error) => options.log('statistics guard failed', error),
  );
}
