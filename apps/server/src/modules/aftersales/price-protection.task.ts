import type { Order } from '@peakdesk/commerce';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import type { JobContext } from '../../jobs/task.ts';
import { detectLanguage } from '../classifier/language.ts';
import { MemoryOrderCache } from '../shops/order-cache.ts';
import { OrderLookup } from '../shops/order-lookup.ts';
import {
  findConnection,
  findDefaultConnectionId,
  type ShopConnection,
} from '../shops/shop-connection.repository.ts';
import { defaultShopGateway, type ShopGateway } from '../shops/shop-gateway.ts';
import { insertSystemEvent } from '../tickets/ticket-events.ts';
import { loadAftersalesSettings } from './aftersales-settings.ts';
import { insertApproval } from './approval.repository.ts';
import { settlePriceProtection } from './approval.service.ts';
import type { PayoutGateway } from './payout.service.ts';
import { calculateOrder, plannedPayouts } from './price-protection.service.ts';

type Db = Kysely<Database>;

export const PRICE_PROTECTION_TASK = 'aftersales.price-protection';
export const PRICE_PROTECTION_CATEGORY = 'price_protection';
const PLATFORM_NOTE = {
  platform:
    '价保由平台处理：请引导买家在平台订单页申请价保，PeakDesk 不会重复支付。 / The platform runs price protection for this shop: point the buyer to the order page on the platform; PeakDesk pays nothing itself.',
  unsupported:
    '该店铺不提供价格历史，无法自动计算价保，请人工核实。 / This shop gives no price history, so PeakDesk cannot calculate price protection: check it by hand.',
};

/** Outcomes after which a re-run of the job changes nothing. */
const SETTLED = ['paid', 'awaiting_approval', 'rejected', 'platform', 'unsupported', 'nothing_payable'];
/** Outcomes a campaign run looks at again: a new, lower price may make them (further) payable. */
const REVISITED = ['paid', 'nothing_payable'];

/**
 * Enqueues the calculation for a ticket that asks for price protection and has an order, in the caller's
 * transaction (the enrichment job once it linked the order, a PATCH that changed the category). One job per
 * ticket at a time (job key).
 */
export async function enqueuePriceProtection(
  tx: Db,
  ticket: { tenantId: string; id: string; category: string | null; orderNumber: string | null },
): Promise<boolean> {
  if (ticket.category !== PRICE_PROTECTION_CATEGORY || !ticket.orderNumber) return false;
  await enqueueJob(
    tx,
    PRICE_PROTECTION_TASK,
    { tenantId: ticket.tenantId, ticketId: ticket.id },
    { jobKey: `${PRICE_PROTECTION_TASK}:${ticket.tenantId}:${ticket.id}`, maxAttempts: 10 },
  );
  return true;
}

export interface PriceProtectionDeps {
  db: Db;
  gateway: PayoutGateway;
  now: () => Date;
  /** How orders are fetched (cache, coalescing, snapshot); a fresh lookup on the gateway by default. */
  fetchOrder?: (connection: ShopConnection, orderNumber: string) => Promise<Order | null>;
}

export type TicketOutcome =
  | 'not_price_protection'
  | 'no_order'
  | 'no_shop'
  | 'order_not_found'
  | 'already_settled'
  | 'platform'
  | 'unsupported'
  | 'nothing_payable'
  | 'awaiting_approval'
  | 'paid'
  | 'payout_pending'
  | 'payout_failed';

/**
 * The job's work for one ticket: fetch the order, calculate, store the calculation on the ticket with a
 * timeline entry, then pay at once below the tenant's threshold (answer + solve) or ask a supervisor above it.
 * Run twice it does nothing more: the ticket row lock orders concurrent runs, a settled check ends the job,
 * and payouts meet on their ledger keys.
 */
export async function processPriceProtectionTicket(
  deps: PriceProtectionDeps,
  tenantId: string,
  ticketId: string,
  options: { revisit?: boolean } = {},
): Promise<TicketOutcome> {
  const { db } = deps;
  const isSettled = (outcome: string) =>
    SETTLED.includes(outcome) && !(options.revisit && REVISITED.includes(outcome));
  const ticket = await db
    .selectFrom('tickets')
    .select(['id', 'category', 'orderNumber', 'shopConnectionId', 'teamId', 'subject'])
    .where('tenantId', '=', tenantId)
    .where('id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket || ticket.category !== PRICE_PROTECTION_CATEGORY) return 'not_price_protection';
  if (!ticket.orderNumber) return 'no_order';
  const existing = await db
    .selectFrom('priceProtectionChecks')
    .select('outcome')
    .where('tenantId', '=', tenantId)
    .where('ticketId', '=', ticketId)
    .executeTakeFirst();
  if (existing && isSettled(existing.outcome)) return 'already_settled';
  if (existing && (existing.outcome === 'paying' || existing.outcome === 'payout_pending')) {
    return resumePayouts(deps, tenantId, ticketId);
  }
  const connection = await connectionOf(db, tenantId, ticket.shopConnectionId);
  if (!connection) return 'no_shop';
  const order = await fetchOrder(deps, connection, ticket.orderNumber);
  if (!order) return 'order_not_found';

  const settings = await loadAftersalesSettings(db, tenantId);
  const now = deps.now();
  const calculation = await calculateOrder(deps, connection, order, settings, now);
  const planned =
    calculation.mode === 'calculated'
      ? plannedPayouts(calculation, settings, order, connection.id, ticketId)
      : [];
  const total = planned.reduce((sum, p) => sum + (p.currency ? p.amount : 0), 0) || calculation.payable;
  const outcome =
    calculation.mode !== 'calculated'
      ? calculation.mode
      : planned.length === 0
        ? 'nothing_payable'
        : calculation.payable <= calculation.autoPayLimit
          ? 'paying'
          : 'awaiting_approval';
  const first = await db
    .selectFrom('ticketMessages')
    .select('body')
    .where('tenantId', '=', tenantId)
    .where('ticketId', '=', ticketId)
    .where('authorType', '=', 'customer')
    .orderBy('createdAt')
    .limit(1)
    .executeTakeFirst();
  const language = detectLanguage(`${ticket.subject} ${first?.body ?? ''}`) === 'en' ? 'en' : 'zh';

  const decided = await db.transaction().execute(async (tx) => {
    await tx
      .selectFrom('tickets')
      .select('id')
      .where('tenantId', '=', tenantId)
      .where('id', '=', ticketId)
      .forUpdate()
      .execute();
    const again = await tx
      .selectFrom('priceProtectionChecks')
      .select('outcome')
      .where('tenantId', '=', tenantId)
      .where('ticketId', '=', ticketId)
      .executeTakeFirst();
    if (again && isSettled(again.outcome)) return null;
    const approval =
      outcome === 'awaiting_approval'
        ? await insertApproval(
            tx,
            {
              tenantId,
              kind: 'price_protection',
              ticketId,
              teamId: ticket.teamId,
              requestedBy: null,
              amount: total,
              currency: calculation.currency,
              reason: `价保 price protection ${order.orderNumber}`,
              payload: { payouts: planned, language, orderNumber: order.orderNumber },
            },
            now,
          )
        : undefined;
    const row = {
      connectionId: connection.id,
      orderId: order.externalId,
      orderNumber: order.orderNumber,
      outcome,
      payable: calculation.payable,
      currency: calculation.currency,
      lines: JSON.stringify(calculation.lines),
      policy: JSON.stringify({ ...settings.priceProtection, tier: calculation.tier ?? null, language }),
      approvalId: approval?.id ?? null,
      calculatedAt: now,
    };
    await tx
      .insertInto('priceProtectionChecks')
      .values({ tenantId, ticketId, ...row })
      .onConflict((oc) => oc.columns(['tenantId', 'ticketId']).doUpdateSet(row))
      .execute();
    await insertSystemEvent(
      tx,
      tenantId,
      ticketId,
      'price_protection.calculated',
      [
        {
          field: 'priceProtection',
          before: null,
          after: {
            outcome,
            payable: calculation.payable,
            currency: calculation.currency,
            approvalId: approval?.id ?? null,
          },
        },
      ],
      now,
    );
    if (outcome === 'platform' || outcome === 'unsupported') {
      // Nothing for PeakDesk to pay: the agent gets the why, in both languages, as an internal note.
      await tx
        .insertInto('ticketMessages')
        .values({
          tenantId,
          id: uuidv7(now.getTime()),
          ticketId,
          authorType: 'system',
          authorId: null,
          visibility: 'internal',
          body: PLATFORM_NOTE[outcome],
          createdAt: now,
        })
        .execute();
    }
    return { approval };
  });
  if (!decided) return 'already_settled';
  if (outcome !== 'paying') return outcome;
  return settlePriceProtection(deps, {
    tenantId,
    ticketId,
    payouts: planned,
    actor: { type: 'system', id: null },
    approvalId: null,
    language,
    orderNumber: order.orderNumber,
    solve: settings.priceProtection.solveTicket,
  });
}

/**
 * A run (automatic or approved) that stopped after its ledger rows went in: pay the same rows (same keys; settled
 * ones are returned as they are), then answer.
 */
async function resumePayouts(
  deps: PriceProtectionDeps,
  tenantId: string,
  ticketId: string,
): Promise<TicketOutcome> {
  const rows = await deps.db
    .selectFrom('payouts')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('ticketId', '=', ticketId)
    .where('purpose', '=', 'price_protection')
    .orderBy('id')
    .execute();
  const check = await deps.db
    .selectFrom('priceProtectionChecks')
    .select(['orderNumber', 'policy'])
    .where('tenantId', '=', tenantId)
    .where('ticketId', '=', ticketId)
    .executeTakeFirstOrThrow();
  const settings = await loadAftersalesSettings(deps.db, tenantId);
  return settlePriceProtection(deps, {
    tenantId,
    ticketId,
    payouts: rows.map((r) => ({
      idempotencyKey: r.idempotencyKey,
      purpose: r.purpose,
      kind: r.kind,
      connectionId: r.connectionId,
      ticketId: r.ticketId,
      orderId: r.orderId,
      orderLineId: r.orderLineId,
      customerExternalId: r.customerExternalId,
      amount: Number(r.amount),
      currency: r.currency,
      reason: r.reason,
    })),
    actor: { type: 'system', id: null },
    approvalId: null,
    language: (check.policy as { language?: 'zh' | 'en' }).language ?? 'zh',
    orderNumber: check.orderNumber,
    solve: settings.priceProtection.solveTicket,
  });
}

async function fetchOrder(deps: PriceProtectionDeps, connection: ShopConnection, orderNumber: string) {
  if (deps.fetchOrder) return deps.fetchOrder(connection, orderNumber);
  const lookup = new OrderLookup({
    db: deps.db,
    gateway: deps.gateway as ShopGateway,
    cache: new MemoryOrderCache(1),
    now: deps.now,
  });
  return (await lookup.fetch(connection, { orderNumber })).order;
}

export async function connectionOf(
  db: Db,
  tenantId: string,
  linkedId: string | null,
): Promise<ShopConnection | undefined> {
  const id = linkedId ?? (await findDefaultConnectionId(db, tenantId));
  const connection = id ? await findConnection(db, tenantId, id) : undefined;
  return connection?.status === 'active' ? connection : undefined;
}

/** The graphile-worker task: throws while a payout waits on a shop that failed transiently (retried). */
export async function priceProtectionTask(payload: unknown, ctx: JobContext): Promise<void> {
  const p = payload as { tenantId?: unknown; ticketId?: unknown } | null;
  if (typeof p?.tenantId !== 'string' || typeof p.ticketId !== 'string') return;
  const outcome = await processPriceProtectionTicket(
    { db: ctx.db, gateway: defaultShopGateway(), now: () => ctx.now() },
    p.tenantId,
    p.ticketId,
  );
  if (outcome === 'payout_pending') throw new Error('a price-protection payout waits on the shop');
  ctx.log.debug({ outcome }, 'price protection');
}
