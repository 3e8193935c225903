import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { uuidv7, uuidv7Floor } from '../../lib/ids.ts';

type Tx = Kysely<Database>;

export interface KeyRef {
  tenantId: string;
  key: string;
}

export interface StoredKey extends KeyRef {
  requestHash: string;
  status: number | null;
  response: unknown;
}

export function keyId(ref: KeyRef): string {
  return `${ref.tenantId}\u0000${ref.key}`;
}

/** Advisory-lock namespace of intake keys (the two-int form keeps it apart from other advisory locks). */
const KEY_LOCK_CLASS = 4201;

/**
 * Serialises requests that share a key: takes a transaction-scoped advisory lock per key, in ascending
 * order (so two batches cannot deadlock on each other's keys). A batch holding a key's lock commits or
 * rolls back before the next one gets it, so the next one's lookup (a later statement, a fresh snapshot)
 * sees its stored answer and replays it instead of racing it. Two keys sharing a hash only wait for each
 * other needlessly.
 */
export async function lockKeys(tx: Tx, keys: readonly KeyRef[]): Promise<void> {
  if (keys.length === 0) return;
  await sql`
    SELECT count(pg_advisory_xact_lock(${KEY_LOCK_CLASS}, h)) FROM (
      SELECT DISTINCT hashtext(w.tenant_id || '/' || w.key) AS h
      FROM unnest(${keys.map((k) => k.tenantId)}::text[], ${keys.map((k) => k.key)}::text[]) AS w (tenant_id, key)
      ORDER BY h) AS ordered`.execute(tx);
}

/** The committed keys among `keys`, in one statement (a join on unnest: no planning cost per key). */
export async function findKeys(tx: Tx, keys: readonly KeyRef[]): Promise<Map<string, StoredKey>> {
  if (keys.length === 0) return new Map();
  const rows = await sql<StoredKey>`
    SELECT k.tenant_id AS "tenantId", k.key, k.request_hash AS "requestHash", k.status, k.response
    FROM idempotency_keys k
    JOIN unnest(${keys.map((k) => k.tenantId)}::uuid[], ${keys.map((k) => k.key)}::text[]) AS w (tenant_id, key)
      ON k.tenant_id = w.tenant_id AND k.key = w.key`.execute(tx);
  return new Map(rows.rows.map((row) => [keyId(row), row]));
}

export interface NewKey extends KeyRef {
  requestHash: string;
  ticketId: string | null;
  status: number;
  response: unknown;
}

/**
 * Stores the batch's new keys with their answers and its outbox jobs in ONE statement (two data-modifying
 * CTEs): it runs while the batch holds the tenant's ticket-counter lock, so every round trip saved there is
 * throughput for the whole tenant.
 * Returns how many keys were stored: under lockKeys no other transaction can store one of them meanwhile;
 * fewer than given would mean one did (a writer that skipped the lock), and the caller rolls back and retries,
 * then replaying that key.
 */
export async function insertKeysAndJobs(
  tx: Tx,
  keys: readonly NewKey[],
  jobs: readonly NewOutboxJob[],
  now: Date,
): Promise<number> {
  if (keys.length === 0 && jobs.length === 0) return 0;
  const keyRows = JSON.stringify(
    keys.map((k) => ({
      tenant_id: k.tenantId,
      key: k.key,
      request_hash: k.requestHash,
      ticket_id: k.ticketId,
      status: k.status,
      response: k.response,
    })),
  );
  const jobRows = JSON.stringify(
    jobs.map((job) => ({
      tenant_id: job.tenantId,
      id: uuidv7(now.getTime()),
      kind: job.kind,
      ticket_id: job.ticketId,
      payload: job.payload,
    })),
  );
  const result = await sql<{ keys: number }>`
    WITH k AS (
      INSERT INTO idempotency_keys (tenant_id, key, request_hash, ticket_id, status, response, created_at)
      SELECT v.tenant_id, v.key, v.request_hash, v.ticket_id, v.status, v.response, ${now}
      FROM jsonb_to_recordset(${keyRows}::jsonb)
        AS v (tenant_id uuid, key text, request_hash text, ticket_id uuid, status smallint, response jsonb)
      ORDER BY v.tenant_id, v.key
      ON CONFLICT DO NOTHING
      RETURNING 1
    ), j AS (
      INSERT INTO outbox_jobs (tenant_id, id, kind, ticket_id, payload, run_after, created_at)
      SELECT v.tenant_id, v.id, v.kind, v.ticket_id, v.payload, ${now}, ${now}
      FROM jsonb_to_recordset(${jobRows}::jsonb)
        AS v (tenant_id uuid, id uuid, kind text, ticket_id uuid, payload jsonb)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM k)::int AS keys, (SELECT count(*) FROM j)::int AS jobs`.execute(tx);
  return result.rows[0]!.keys;
}

export interface NewOutboxJob {
  tenantId: string;
  kind: string;
  ticketId: string | null;
  payload: Record<string, unknown>;
}

/** The tenants a purge goes over: the ones given, else every tenant (one query). */
export async function purgeTenants(db: Tx, tenantIds?: readonly string[]): Promise<readonly string[]> {
  return tenantIds ?? (await db.selectFrom('tenants').select('id').execute()).map((t) => t.id);
}

/** Runs one bounded DELETE per tenant and adds up the rows it deleted. */
async function deletePerTenant(
  db: Tx,
  tenantIds: readonly string[] | undefined,
  statement: (tenantId: string) => RawBuilder<unknown>,
): Promise<number> {
  let deleted = 0;
  for (const tenantId of await purgeTenants(db, tenantIds)) {
    const result = await statement(tenantId).execute(db);
    deleted += Number(result.numAffectedRows ?? 0);
  }
  return deleted;
}

/**
 * Deletes keys created before `before`, at most `limit` per tenant per call, so one sweep never holds long
 * locks; rows another sweeper is deleting are skipped. Returns how many were deleted.
 */
export function purgeKeys(
  db: Tx,
  before: Date,
  limit: number,
  tenantIds?: readonly string[],
): Promise<number> {
  return deletePerTenant(
    db,
    tenantIds,
    (tenantId) => sql`
      DELETE FROM idempotency_keys
      WHERE tenant_id = ${tenantId} AND key IN (
        SELECT key FROM idempotency_keys
        WHERE tenant_id = ${tenantId} AND created_at < ${before}
        ORDER BY created_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)`,
  );
}

/**
 * Deletes follow-up jobs completed and created before `before` (their UUIDv7 ids are time-ordered, so the
 * primary key finds them without an index of its own), at most `limit` per tenant per call; jobs still due
 * or failing stay whatever their age. Returns how many were deleted.
 */
export function purgeDoneJobs(
  db: Tx,
  before: Date,
  limit: number,
  tenantIds?: readonly string[],
): Promise<number> {
  const floor = uuidv7Floor(before.getTime());
  return deletePerTenant(
    db,
    tenantIds,
    (tenantId) => sql`
      DELETE FROM outbox_jobs
      WHERE tenant_id = ${tenantId} AND id IN (
        SELECT id FROM outbox_jobs
        WHERE tenant_id = ${tenantId} AND id < ${floor}::uuid AND done_at IS NOT NULL
        ORDER BY id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)`,
  );
}

export interface DueJob {
  tenantId: string;
  id: string;
  kind: string;
  ticketId: string | null;
  payload: Record<string, unknown>;
  attempts: number;
}

/** Claims up to `limit` due jobs inside the caller's transaction; a second sweeper skips them. */
export async function claimDueJobs(tx: Tx, now: Date, limit: number, tenantId?: string): Promise<DueJob[]> {
  let q = tx
    .selectFrom('outboxJobs')
    .select(['tenantId', 'id', 'kind', 'ticketId', 'payload', 'attempts'])
    .where('doneAt', 'is', null)
    .where('runAfter', '<=', now);
  if (tenantId) q = q.where('tenantId', '=', tenantId);
  return q.orderBy('runAfter').limit(limit).forUpdate().skipLocked().execute();
}

export async function markJobDone(
  tx: Tx,
  job: Pick<DueJob, 'tenantId' | 'id'>,
  result: Record<string, unknown>,
  now: Date,
): Promise<void> {
  await tx
    .updateTable('outboxJobs')
    .set({ doneAt: now, result: JSON.stringify(result), attempts: sql`attempts + 1` })
    .where('tenantId', '=', job.tenantId)
    .where('id', '=', job.id)
    .execute();
}

export async function markJobFailed(
  tx: Tx,
  job: Pick<DueJob, 'tenantId' | 'id' | 'attempts'>,
  error: string,
  retryAt: Date,
): Promise<void> {
  await tx
    .updateTable('outboxJobs')
    .set({ lastError: error.slice(0, 2000), runAfter: retryAt, attempts: job.attempts + 1 })
    .where('tenantId', '=', job.tenantId)
    .where('id', '=', job.id)
    .execute();
}
