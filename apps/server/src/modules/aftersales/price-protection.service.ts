import type { Capabilities, MemberTier, Order, PricePoint } from '@peakdesk/commerce';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import type { ShopConnection } from '../shops/shop-connection.repository.ts';
import {
  autoPayLimit,
  choosePayoutMethod,
  minorToPoints,
  type AftersalesSettings,
  type PayoutKind,
} from './aftersales-settings.ts';
import type { PlannedPayout } from './approval.repository.ts';
import { sumLinePayouts } from './payout.repository.ts';
import type { PayoutGateway } from './payout.service.ts';
import { calculatePriceProtection, type PriceProtectionOutcome } from './price-protection.calculator.ts';

type Db = Kysely<Database>;
const DAY_MS = 86_400_000;

export interface LineCalculation {
  lineId: string;
  sku: string;
  title: string;
  quantity: number;
  paidUnitPrice: number;
  lowestPrice: number | null;
  lowestPriceKind: string | null;
  lowestPriceStartsAt: string | null;
  protectedQuantity: number;
  alreadyPaid: number;
  payable: number;
  outcome: PriceProtectionOutcome;
  skipped: number;
  /** The ledger key a payout of this line against its lowest price uses. */
  payoutKey: string | null;
}

export type OrderCalculation =
  | { mode: 'platform' | 'unsupported'; lines: []; payable: 0; currency: string; tier?: MemberTier }
  | {
      mode: 'calculated';
      lines: LineCalculation[];
      payable: number;
      currency: string;
      tier?: MemberTier;
      method: PayoutKind | undefined;
      autoPayLimit: number;
    };

/**
 * The payout key of an order line against one price point. It names the connection and order line rather
 * than the ticket, so two tickets about one order, and a campaign run, all meet on the same ledger row: the
 * same price point is never paid twice for a line, and a later lower point pays only the further difference.
 */
export function orderLinePayoutKey(
  connectionId: string,
  orderId: string,
  lineId: string,
  point: PricePoint,
): string {
  return `pp:${connectionId}:${orderId}:${lineId}:${point.kind}:${point.startsAt}:${point.price.amountMinor}`;
}

/**
 * Price protection for an order, line by line, through the adapter: capabilities first (a platform that runs
 * price protection itself gets an explanation only), the SKUs' price history over the window, what the ledger
 * already paid for each line, and the pure calculator. `skus` narrows it to a campaign's SKUs.
 */
export async function calculateOrder(
  deps: { db: Db; gateway: PayoutGateway },
  connection: ShopConnection,
  order: Order,
  settings: AftersalesSettings,
  now: Date,
  skus?: readonly string[],
): Promise<OrderCalculation> {
  const { gateway } = deps;
  const caps: Capabilities = await gateway.call(connection, (a) => a.capabilities());
  const tier = order.customer.tier ?? (await memberTier(deps.gateway, connection, order, caps));
  const base = { currency: order.currency, ...(tier ? { tier } : {}) };
  if (caps.platformPriceProtection) return { mode: 'platform', lines: [], payable: 0, ...base };
  if (!caps.priceHistory) return { mode: 'unsupported', lines: [], payable: 0, ...base };
  const policy = {
    windowDays: settings.priceProtection.windowDays,
    excludedKinds: settings.priceProtection.excludedKinds,
  };
  const paidAt = new Date(order.paidAt ?? order.createdAt);
  const windowEnd = new Date(paidAt.getTime() + policy.windowDays * DAY_MS);
  const to = new Date(Math.min(now.getTime(), windowEnd.getTime()));
  const lines: LineCalculation[] = [];
  for (const line of order.lines) {
    if (skus && !skus.includes(line.sku)) continue;
    const points =
      to > paidAt
        ? await gateway.call(connection, (a) =>
            a.getPriceHistory({ sku: line.sku, from: paidAt.toISOString(), to: to.toISOString() }),
          )
        : [];
    const { paid } = await sumLinePayouts(
      deps.db,
      connection.tenantId,
      connection.id,
      order.externalId,
      line.externalId,
      settings.priceProtection.pointsPerYuan,
    );
    const result = calculatePriceProtection({
      line: {
        sku: line.sku,
        quantity: line.quantity,
        refundedQuantity: line.refundedQuantity,
        paidUnitPrice: line.paidUnitPrice,
      },
      paidAt,
      pricePoints: points,
      policy,
      ...(tier ? { customerTier: tier } : {}),
      alreadyPaidMinor: paid,
      now,
    });
    const point = result.lowestPricePoint;
    lines.push({
      lineId: line.externalId,
      sku: line.sku,
      title: line.title,
      quantity: line.quantity,
      paidUnitPrice: line.paidUnitPrice.amountMinor,
      lowestPrice: result.lowestPrice?.amountMinor ?? null,
      lowestPriceKind: point?.kind ?? null,
      lowestPriceStartsAt: point?.startsAt ?? null,
      protectedQuantity: result.protectedQuantity,
      alreadyPaid: result.alreadyPaid.amountMinor,
      payable: result.payable.amountMinor,
      outcome: result.outcome,
      skipped: result.skipped.length,
      payoutKey:
        result.outcome === 'payable' && point
          ? orderLinePayoutKey(connection.id, order.externalId, line.externalId, point)
          : null,
    });
  }
  return {
    mode: 'calculated',
    lines,
    payable: lines.reduce((sum, l) => sum + l.payable, 0),
    ...base,
    method: choosePayoutMethod(settings, caps),
    autoPayLimit: autoPayLimit(settings, tier),
  };
}

async function memberTier(
  gateway: PayoutGateway,
  connection: ShopConnection,
  order: Order,
  caps: Capabilities,
): Promise<MemberTier | undefined> {
  if (!order.customer.externalId || !(caps.points || caps.coupons)) return undefined;
  try {
    const member = await gateway.call(connection, (a) => a.getMember(order.customer.externalId));
    return member?.tier;
  } catch {
    // A member system that cannot answer leaves the buyer at the base limit; it never blocks the calculation.
    return undefined;
  }
}

/** The payouts a calculation makes with the chosen method, one per payable line (pure). */
export function plannedPayouts(
  calculation: Extract<OrderCalculation, { mode: 'calculated' }>,
  settings: AftersalesSettings,
  order: Order,
  connectionId: string,
  ticketId: string | null,
): PlannedPayout[] {
  const method = calculation.method;
  if (!method) return [];
  return calculation.lines
    .filter((line) => line.payable > 0 && line.payoutKey)
    .map((line) => ({
      idempotencyKey: line.payoutKey!,
      purpose: 'price_protection' as const,
      kind: method,
      connectionId,
      ticketId,
      orderId: order.externalId,
      orderLineId: line.lineId,
      customerExternalId: order.customer.externalId || null,
      amount: method === 'points' ? minorToPoints(settings, line.payable) : line.payable,
      currency: method === 'points' ? null : calculation.currency,
      reason: `价保 price protection ${order.orderNumber} ${line.sku}: ${line.paidUnitPrice} → ${line.lowestPrice ?? '?'} × ${line.protectedQuantity}`,
    }));
}
