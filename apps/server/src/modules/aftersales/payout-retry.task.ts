import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import type { JobContext } from '../../jobs/task.ts';
import { defaultShopGateway } from '../shops/shop-gateway.ts';
import type { PayoutRow } from './payout.repository.ts';
import { PayoutService, type PayoutGateway } from './payout.service.ts';
import { PRICE_PROTECTION_TASK } from './price-protection.task.ts';

/**
 * `aftersales.retry-payout`, enqueued with every ledger row (runs after the claim's lease): a payout still
 * pending is taken over and sent again with its key; one that is settled ends the job quietly. While the shop
 * keeps failing it throws, so graphile-worker backs off and retries. A price-protection payout that now
 * succeeded hands its ticket back to `aftersales.price-protection`, which answers the customer once all are paid.
 */
export async function retryPayout(
  deps: { db: Kysely<Database>; gateway: PayoutGateway; now: () => Date },
  tenantId: string,
  payoutId: string,
): Promise<PayoutRow | undefined> {
  const row = await deps.db
    .selectFrom('payouts')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', payoutId)
    .executeTakeFirst();
  if (!row || row.status !== 'pending') return row;
  const done = await new PayoutService(deps.db, deps.gateway, deps.now).execute(row, false);
  if (done.status === 'pending')
    throw new Error(`payout ${payoutId} still pending: ${done.error ?? 'claimed'}`);
  if (done.purpose === 'price_protection' && done.ticketId) {
    await enqueueJob(
      deps.db,
      PRICE_PROTECTION_TASK,
      { tenantId, ticketId: done.ticketId },
      { jobKey: `${PRICE_PROTECTION_TASK}:${tenantId}:${done.ticketId}`, maxAttempts: 10 },
    );
  }
  return done;
}

export async function retryPayoutTask(payload: unknown, ctx: JobContext): Promise<void> {
  const p = payload as { tenantId?: unknown; payoutId?: unknown } | null;
  if (typeof p?.tenantId !== 'string' || typeof p.payoutId !== 'string') return;
  await retryPayout(
    { db: ctx.db, gateway: defaultShopGateway(), now: () => ctx.now() },
    p.tenantId,
    p.payoutId,
  );
}
