import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';
import type { KnownSnapshot, OpenTicketsByNumber } from './event-plan.ts';

/**
 * Storage of order-event ingestion; every statement is keyed by tenant and connection and takes a whole
 * batch (arrays through unnest), so a batch costs the same handful of statements whatever its size.
 */
type Db = Kysely<Database>;

export interface BatchProbe {
  /** Event ids inserted now; the others were seen before (duplicates). */
  inserted: Set<string>;
  snapshots: KnownSnapshot[];
  /** Open tickets (not solved or closed, not merged) by order number. */
  openTickets: OpenTicketsByNumber;
}

/**
 * One statement per batch for what most events need: insert the ids (duplicates drop out by the primary key),
 * probe the snapshots of the batch's orders (primary key and order-number index, one index lookup each) and the
 * open tickets of those orders on this connection — or on none, tickets from before the shop was connected
 * (tickets_order_idx). A batch of events on orders nobody asked about costs this statement and its commit.
 *
 * Sent as a named prepared statement: PostgreSQL parses and plans it once per connection instead of once per
 * batch (planning this statement cost ~2 ms, three times its execution, on a batch of 10 events).
 */
const PROBE_SQL = `
  WITH ins AS (
    INSERT INTO shop_events (tenant_id, connection_id, event_id, received_at)
    SELECT $1, $2, e, $3 FROM unnest($4::text[]) AS e
    ON CONFLICT DO NOTHING
    RETURNING event_id
  ), snap AS (
    SELECT order_id, order_number, version FROM order_snapshots
     WHERE tenant_id = $1 AND connection_id = $2 AND order_id = ANY($5::text[])
    UNION
    SELECT order_id, order_number, version FROM order_snapshots
     WHERE tenant_id = $1 AND connection_id = $2 AND order_number = ANY($6::text[])
  ), tix AS (
    SELECT t.id, t.order_number FROM tickets t
     WHERE t.tenant_id = $1
       AND t.order_number = ANY($6::text[] || ARRAY(SELECT order_number FROM snap))
       AND t.status IN ('new', 'open', 'pending', 'on_hold') AND t.merged_into_id IS NULL
       AND (t.shop_connection_id = $2 OR t.shop_connection_id IS NULL)
  )
  SELECT 'e' AS kind, event_id AS a, NULL AS b, NULL::bigint AS v FROM ins
  UNION ALL SELECT 's', order_id, order_number, version FROM snap
  UNION ALL SELECT 't', id::text, order_number, NULL FROM tix ORDER BY 1, 2`;

export async function probeBatch(
  db: Db,
  tenantId: string,
  connectionId: string,
  batch: { eventIds: readonly string[]; orderIds: readonly string[]; orderNumbers: readonly string[] },
  now: Date,
): Promise<BatchProbe> {
  const { rows } = await db.executeQuery<{
    kind: 'e' | 's' | 't';
    a: string;
    b: string | null;
    v: string | null;
  }>(
    preparedQuery('peakdesk_order_events_probe', PROBE_SQL, [
      tenantId,
      connectionId,
      now,
      batch.eventIds,
      batch.orderIds,
      batch.orderNumbers,
    ]),
  );
  const inserted = new Set<string>();
  const snapshots: KnownSnapshot[] = [];
  const openTickets = new Map<string, string[]>();
  for (const row of rows) {
    if (row.kind === 'e') inserted.add(row.a);
    else if (row.kind === 's')
      snapshots.push({ orderId: row.a, orderNumber: row.b!, version: Number(row.v) });
    else {
      const list = openTickets.get(row.b!) ?? [];
      list.push(row.a);
      openTickets.set(row.b!, list);
    }
  }
  return { inserted, snapshots, openTickets };
}

export interface TimelineEntry {
  ticketId: string;
  action: string;
  changes: unknown;
}

/** Appends system history events (the tickets' timelines) in one multi-row insert. */
export async function insertTimelineEntries(
  db: Db,
  tenantId: string,
  entries: readonly TimelineEntry[],
  now: Date,
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('ticketEvents')
    .values(
      entries.map((e) => ({
        tenantId,
        id: uuidv7(now.getTime()),
        ticketId: e.ticketId,
        actorType: 'system' as const,
        actorId: null,
        action: e.action,
        changes: JSON.stringify(e.changes),
        createdAt: now,
      })),
    )
    .execute();
}

/** Marks held snapshots stale (an event announced a newer state), so the next reader asks the shop. */
export async function markSnapshotsStale(
  db: Db,
  tenantId: string,
  connectionId: string,
  orderIds: readonly string[],
  now: Date,
): Promise<void> {
  if (orderIds.length === 0) return;
  await db
    .updateTable('orderSnapshots')
    .set({ isStale: true, updatedAt: now })
    .where('tenantId', '=', tenantId)
    .where('connectionId', '=', connectionId)
    .where('orderId', 'in', [...orderIds])
    .where('isStale', '=', false)
    .execute();
}

/**
 * Adds durable jobs in one statement: `graphile_worker.add_jobs`, which `add_job` (what `enqueueJob` in
 * src/jobs/queue.ts calls) itself calls with a one-element array in its default job-key mode ('replace': a
 * pending job with the same key is replaced, a running one keeps running and a new one is added). So this is
 * the same as one `enqueueJob` per item with `{ jobKey, maxAttempts }`, for keys that are unique in the call
 * (add_jobs cannot update one row twice; a repeated key keeps its last payload, as sequential calls would).
 */
export async function enqueueRefetchJobs(
  db: Db,
  task: string,
  jobs: readonly { payload: object; jobKey: string }[],
  maxAttempts: number,
): Promise<void> {
  if (jobs.length === 0) return;
  const byKey = new Map(jobs.map((j) => [j.jobKey, JSON.stringify(j.payload)]));
  await sql`
    SELECT count(*) FROM graphile_worker.add_jobs(ARRAY(
      SELECT ROW(${task}::text, s.p, NULL, NULL, ${maxAttempts}::int, s.k, NULL, NULL)::graphile_worker.job_spec
        FROM unnest(${[...byKey.values()]}::json[], ${[...byKey.keys()]}::text[]) AS s(p, k)))`.execute(db);
}

/** Deletes event ids older than `before`, at most `limit` rows (the purge job loops). Returns the count. */
export async function purgeEventIds(db: Db, tenantId: string, before: Date, limit: number): Promise<number> {
  const result = await sql`
    DELETE FROM shop_events WHERE (tenant_id, connection_id, event_id) IN (
      SELECT tenant_id, connection_id, event_id FROM shop_events
       WHERE tenant_id = ${tenantId} AND received_at < ${before} LIMIT ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * A named prepared statement through Kysely: its Postgres driver hands `sql` to pg's `client.query` as is, and
 * pg takes a `{ name, text }` config there, parsing the statement once per connection and binding it after.
 * For hot statements of fixed text only (pg refuses a name reused with another text).
 */
function preparedQuery(name: string, text: string, parameters: readonly unknown[]): CompiledQuery {
  const compiled = CompiledQuery.raw(text, [...parameters]);
  return { ...compiled, sql: { name, text } as unknown as string };
}
