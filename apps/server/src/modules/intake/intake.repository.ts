import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';

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

/**
 * Claims keys with one multi-row INSERT … ON CONFLICT DO NOTHING and returns the ids of those this
 * transaction won. A key held by a concurrent, uncommitted transaction makes this statement wait for it: if
 * it commits, the key is not won (the caller replays it); if it rolls back, the key is won here. The rows
 * are sorted so that two batches claiming overlapping keys lock them in the same order (no deadlock).
 */
export async function claimKeys(
  tx: Tx,
  keys: readonly (KeyRef & { requestHash: string })[],
  now: Date,
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const sorted = [...keys].sort((a, b) => (keyId(a) < keyId(b) ? -1 : keyId(a) > keyId(b) ? 1 : 0));
  const won = await tx
    .insertInto('idempotencyKeys')
    .values(sorted.map((k) => ({ ...k, ticketId: null, status: null, response: null, createdAt: now })))
    .onConflict((oc) => oc.doNothing())
    .returning(['tenantId', 'key'])
    .execute();
  return new Set(won.map(keyId));
}

export async function findKeys(tx: Tx, keys: readonly KeyRef[]): Promise<Map<string, StoredKey>> {
  if (keys.length === 0) return new Map();
  const rows = await tx
    .selectFrom('idempotencyKeys')
    .select(['tenantId', 'key', 'requestHash', 'status', 'response'])
    .where((eb) =>
      eb(
        eb.refTuple('tenantId', 'key'),
        'in',
        keys.map((k) => eb.tuple(k.tenantId, k.key)),
      ),
    )
    .execute();
  return new Map(rows.map((row) => [keyId(row), row]));
}

/** Records the answer of every claimed key in one UPDATE (the rows travel as one JSON parameter). */
export async function storeResponses(
  tx: Tx,
  rows: readonly (KeyRef & { ticketId: string | null; status: number; response: unknown })[],
): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(
    rows.map((r) => ({
      tenant_id: r.tenantId,
      key: r.key,
      ticket_id: r.ticketId,
      status: r.status,
      response: r.response,
    })),
  );
  await sql`
    UPDATE idempotency_keys AS k
    SET ticket_id = v.ticket_id, status = v.status, response = v.response
    FROM jsonb_to_recordset(${json}::jsonb)
      AS v (tenant_id uuid, key text, ticket_id uuid, status smallint, response jsonb)
    WHERE k.tenant_id = v.tenant_id AND k.key = v.key`.execute(tx);
}

export interface NewOutboxJob {
  tenantId: string;
  kind: string;
  ticketId: string | null;
  payload: Record<string, unknown>;
}

export async function insertOutboxJobs(tx: Tx, jobs: readonly NewOutboxJob[], now: Date): Promise<void> {
  if (jobs.length === 0) return;
  await tx
    .insertInto('outboxJobs')
    .values(
      jobs.map((job) => ({
        tenantId: job.tenantId,
        id: uuidv7(now.getTime()),
        kind: job.kind,
        ticketId: job.ticketId,
        payload: JSON.stringify(job.payload),
        runAfter: now,
        lastError: null,
        result: null,
        doneAt: null,
        createdAt: now,
      })),
    )
    .execute();
}

/**
 * Deletes keys created before `before`, at most `limit` per tenant per call, so one sweep never holds long
 * locks; rows another sweeper is deleting are skipped. Returns how many were deleted.
 */
export async function purgeKeys(db: Tx, before: Date, limit: number): Promise<number> {
  const tenants = await db.selectFrom('tenants').select('id').execute();
  let deleted = 0;
  for (const { id: tenantId } of tenants) {
    const result = await sql`
      DELETE FROM idempotency_keys
      WHERE tenant_id = ${tenantId} AND key IN (
        SELECT key FROM idempotency_keys
        WHERE tenant_id = ${tenantId} AND created_at < ${before}
        ORDER BY created_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)`.execute(db);
    deleted += Number(result.numAffectedRows ?? 0);
  }
  return deleted;
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
export async function claimDueJobs(tx: Tx, now: Date, limit: number): Promise<DueJob[]> {
  return tx
    .selectFrom('outboxJobs')
    .select(['tenantId', 'id', 'kind', 'ticketId', 'payload', 'attempts'])
    .where('doneAt', 'is', null)
    .where('runAfter', '<=', now)
    .orderBy('runAfter')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
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
