import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, PayoutsTable } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import type { PayoutKind } from './aftersales-settings.ts';

type Db = Kysely<Database>;
export type PayoutRow = Selectable<PayoutsTable>;

export interface NewPayout {
  tenantId: string;
  idempotencyKey: string;
  purpose: 'price_protection' | 'compensation';
  kind: PayoutKind;
  connectionId: string;
  ticketId?: string | null;
  orderId?: string | null;
  orderLineId?: string | null;
  customerExternalId?: string | null;
  /** Minor units of `currency`, or a count of points (currency null). */
  amount: number;
  currency: string | null;
  reason: string;
  actorType: 'user' | 'token' | 'system';
  actorId: string | null;
  approvalId?: string | null;
}

export const RETRY_PAYOUT_TASK = 'aftersales.retry-payout';
/** How long a claim on a payout's shop call lasts before another caller may take it over (it crashed). */
export const PAYOUT_LEASE_MS = 5 * 60_000;
const RETRY_AFTER_MS = PAYOUT_LEASE_MS + 30_000;

/**
 * Inserts the ledger row, or finds the one already there for the key: `created` tells whether this caller
 * made it (and so holds the claim on the shop call, `attempt_at`). Concurrent callers with one key wait on the
 * unique index and then read the winner's row. Pass a transaction: the row and its retry job go in together.
 */
export async function insertOrFindPayout(
  db: Db,
  payout: NewPayout,
  now: Date,
): Promise<{ row: PayoutRow; created: boolean }> {
  const inserted = await db
    .insertInto('payouts')
    .values({
      ...payout,
      id: uuidv7(now.getTime()),
      ticketId: payout.ticketId ?? null,
      orderId: payout.orderId ?? null,
      orderLineId: payout.orderLineId ?? null,
      customerExternalId: payout.customerExternalId ?? null,
      approvalId: payout.approvalId ?? null,
      attemptAt: now,
      attempts: 1,
      createdAt: now,
    })
    .onConflict((oc) => oc.columns(['tenantId', 'idempotencyKey']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) {
    // The safety net, durable with the row: if nobody records an outcome (the caller crashed, the shop kept
    // failing), this job takes the claim once the lease has run out and calls the shop with the same key.
    await enqueueJob(
      db,
      RETRY_PAYOUT_TASK,
      { tenantId: inserted.tenantId, payoutId: inserted.id },
      {
        jobKey: `${RETRY_PAYOUT_TASK}:${inserted.tenantId}:${inserted.id}`,
        runAt: new Date(now.getTime() + RETRY_AFTER_MS),
        maxAttempts: 20,
      },
    );
    return { row: inserted, created: true };
  }
  const existing = await findPayoutByKey(db, payout.tenantId, payout.idempotencyKey);
  if (!existing) throw new Error('payout vanished after a key conflict');
  return { row: existing, created: false };
}

export function findPayoutByKey(db: Db, tenantId: string, key: string): Promise<PayoutRow | undefined> {
  return db
    .selectFrom('payouts')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('idempotencyKey', '=', key)
    .executeTakeFirst();
}

/**
 * Takes the claim on a pending payout's shop call when nobody holds it (released after a retryable failure)
 * or the holder's lease ran out (it crashed). Only one caller gets the row back.
 */
export function claimPayout(
  db: Db,
  tenantId: string,
  id: string,
  now: Date,
  leaseMs: number,
): Promise<PayoutRow | undefined> {
  return db
    .updateTable('payouts')
    .set({ attemptAt: now, attempts: sql`attempts + 1` })
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([eb('attemptAt', 'is', null), eb('attemptAt', '<', new Date(now.getTime() - leaseMs))]),
    )
    .returningAll()
    .executeTakeFirst();
}

export function completePayout(
  db: Db,
  tenantId: string,
  id: string,
  outcome:
    | { status: 'succeeded'; shopReference: string; couponCode?: string | undefined }
    | { status: 'failed'; error: string }
    | { status: 'pending'; error: string },
  now: Date,
): Promise<PayoutRow> {
  const set =
    outcome.status === 'succeeded'
      ? {
          status: 'succeeded' as const,
          shopReference: outcome.shopReference,
          couponCode: outcome.couponCode ?? null,
          error: null,
          completedAt: now,
          attemptAt: null,
        }
      : outcome.status === 'failed'
        ? { status: 'failed' as const, error: outcome.error, completedAt: now, attemptAt: null }
        : { error: outcome.error, attemptAt: null };
  return db
    .updateTable('payouts')
    .set(set)
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** What price-protection payouts of an order line already paid or are paying (minor units). */
export async function sumLinePayouts(
  db: Db,
  tenantId: string,
  connectionId: string,
  orderId: string,
  orderLineId: string,
  pointsPerYuan: number,
): Promise<{ paid: number; keys: Set<string> }> {
  const rows = await db
    .selectFrom('payouts')
    .select(['idempotencyKey', 'amount', 'kind', 'currency'])
    .where('tenantId', '=', tenantId)
    .where('connectionId', '=', connectionId)
    .where('orderId', '=', orderId)
    .where('orderLineId', '=', orderLineId)
    .where('purpose', '=', 'price_protection')
    .where('status', 'in', ['pending', 'succeeded'])
    .execute();
  return {
    // Points stand for the money they replaced, at the tenant's rate.
    paid: rows.reduce(
      (sum, r) =>
        sum + (r.kind === 'points' ? Math.floor((Number(r.amount) * 100) / pointsPerYuan) : Number(r.amount)),
      0,
    ),
    keys: new Set(rows.map((r) => r.idempotencyKey)),
  };
}

/**
 * An actor's compensation grants (pending or succeeded) since `from`: money (coupons + store credit) and
 * points. Called inside the transaction that holds the actor's cap lock.
 */
export async function sumActorGrantsSince(
  db: Db,
  tenantId: string,
  actorId: string,
  from: Date,
): Promise<{ money: number; points: number }> {
  const rows = await db
    .selectFrom('payouts')
    .select(['kind', sql<string>`sum(amount)`.as('total')])
    .where('tenantId', '=', tenantId)
    .where('actorId', '=', actorId)
    .where('purpose', '=', 'compensation')
    .where('status', 'in', ['pending', 'succeeded'])
    .where('createdAt', '>=', from)
    // Grants a supervisor approved are theirs to answer for, not the agent's own allowance.
    .where('approvalId', 'is', null)
    .groupBy('kind')
    .execute();
  let money = 0;
  let points = 0;
  for (const row of rows) {
    if (row.kind === 'points') points += Number(row.total);
    else money += Number(row.total);
  }
  return { money, points };
}

export function listTicketPayouts(db: Db, tenantId: string, ticketId: string): Promise<PayoutRow[]> {
  return db
    .selectFrom('payouts')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('ticketId', '=', ticketId)
    .orderBy('id')
    .execute();
}
