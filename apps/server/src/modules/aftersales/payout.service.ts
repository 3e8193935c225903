import { ShopError, type ShopAdapter } from '@peakdesk/commerce';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { findConnection, type ShopConnection } from '../shops/shop-connection.repository.ts';
import { defaultShopGateway, describeShopFailure } from '../shops/shop-gateway.ts';
import {
  claimPayout,
  completePayout,
  insertOrFindPayout,
  PAYOUT_LEASE_MS,
  type NewPayout,
  type PayoutRow,
} from './payout.repository.ts';

type Db = Kysely<Database>;

/** The one thing payouts need from the shop gateway (tests wrap it to count shop calls). */
export interface PayoutGateway {
  call<T>(
    connection: ShopConnection,
    fn: (adapter: ShopAdapter, signal: AbortSignal) => Promise<T>,
  ): Promise<T>;
}

/**
 * Money out, exactly once. The ledger row goes in first under its unique idempotency key; only the caller
 * holding the row's claim calls the shop, with the same key (the shop deduplicates too); the outcome is
 * recorded on the row. A retry, a double click or a second worker finds the row: succeeded or failed → that
 * answer, pending and claimed → "in progress", pending and released (the shop failed transiently) → it may
 * take the claim and call the shop again with the same key.
 */
export class PayoutService {
  constructor(
    private readonly db: Db,
    private readonly gateway: PayoutGateway = defaultShopGateway(),
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Reserve (own transaction) and execute. */
  async pay(payout: NewPayout): Promise<PayoutRow> {
    const { row, created } = await this.db
      .transaction()
      .execute((tx) => insertOrFindPayout(tx, payout, this.now()));
    return this.execute(row, created);
  }

  /**
   * Calls the shop for a reserved row. `claimed` is true when the caller created the row (insertOrFindPayout
   * gave it the claim); otherwise the claim is taken here if free. Never throws for a shop failure: a
   * definite refusal marks the row failed, a transient one leaves it pending (released) with the error.
   */
  async execute(row: PayoutRow, claimed: boolean): Promise<PayoutRow> {
    if (row.status !== 'pending') return row;
    const now = this.now();
    const mine = claimed ? row : await claimPayout(this.db, row.tenantId, row.id, now, PAYOUT_LEASE_MS);
    if (!mine) return row;
    const connection = await findConnection(this.db, row.tenantId, row.connectionId);
    if (!connection || connection.status !== 'active') {
      return completePayout(
        this.db,
        row.tenantId,
        row.id,
        { status: 'pending', error: 'shop disconnected' },
        now,
      );
    }
    try {
      const reference = await this.gateway.call(connection, (adapter) => callShop(adapter, mine));
      return completePayout(this.db, row.tenantId, row.id, { status: 'succeeded', ...reference }, this.now());
    } catch (error) {
      const failure = describeShopFailure(error);
      const definite = error instanceof ShopError && !error.isRetryable;
      return completePayout(
        this.db,
        row.tenantId,
        row.id,
        definite
          ? { status: 'failed', error: `${error.code}: ${failure.message}` }
          : { status: 'pending', error: `${failure.code}: ${failure.message}` },
        this.now(),
      );
    }
  }
}

async function callShop(
  adapter: ShopAdapter,
  row: PayoutRow,
): Promise<{ shopReference: string; couponCode?: string | undefined }> {
  const amount = Number(row.amount);
  if (row.kind === 'refund') {
    if (!row.orderId || !row.currency)
      throw new AppError('INTERNAL', 'a refund needs an order and a currency');
    const refund = await adapter.issueRefund({
      orderId: row.orderId,
      amount: { amountMinor: amount, currency: row.currency },
      reason: row.reason,
      ...(row.orderLineId ? { orderLineId: row.orderLineId } : {}),
      idempotencyKey: row.idempotencyKey,
    });
    return { shopReference: refund.externalId };
  }
  if (!row.customerExternalId) throw new AppError('INTERNAL', 'a grant needs the buyer');
  const granted = await adapter.issueCompensation({
    customerId: row.customerExternalId,
    kind: row.kind,
    ...(row.kind === 'points'
      ? { points: amount }
      : { amount: { amountMinor: amount, currency: row.currency ?? 'CNY' } }),
    reason: row.reason,
    ...(row.orderId ? { orderId: row.orderId } : {}),
    idempotencyKey: row.idempotencyKey,
  });
  return { shopReference: granted.externalId, couponCode: granted.couponCode };
}

/** The payout as the API shows it. */
export function presentPayout(row: PayoutRow) {
  return {
    id: row.id,
    idempotencyKey: row.idempotencyKey,
    purpose: row.purpose,
    kind: row.kind,
    ticketId: row.ticketId,
    orderId: row.orderId,
    orderLineId: row.orderLineId,
    amount: Number(row.amount),
    currency: row.currency,
    reason: row.reason,
    status: row.status,
    shopReference: row.shopReference,
    couponCode: row.couponCode,
    error: row.error,
    actor: { type: row.actorType, id: row.actorId },
    approvalId: row.approvalId,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt ? row.completedAt.toISOString() : null,
  };
}
