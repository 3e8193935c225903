import type { MemberTier, Money, PriceKind, PricePoint } from '@peakdesk/commerce';

/** A tenant's price-protection (价保) policy. */
export interface PriceProtectionPolicy {
  /** Days from payment during which a lower price is refunded (e.g. 30). */
  windowDays: number;
  /** Price kinds that never count as "the lower price", e.g. flash sales (秒杀) and member-only prices. */
  excludedKinds: PriceKind[];
  /**
   * When member-only prices are not excluded, count them only for buyers of those tiers (the buyer could have
   * had that price). Default true.
   */
  memberPricesOnlyForTheirTiers?: boolean;
}

export interface ProtectedLine {
  sku: string;
  quantity: number;
  /** Units already returned or refunded: they are not protected. */
  refundedQuantity: number;
  /** What the buyer paid per unit after every discount. */
  paidUnitPrice: Money;
}

export interface PriceProtectionInput {
  line: ProtectedLine;
  paidAt: Date;
  /** The SKU's price history from the shop's marketing system; other SKUs' points are ignored. */
  pricePoints: PricePoint[];
  policy: PriceProtectionPolicy;
  customerTier?: MemberTier;
  /** What earlier price-protection refunds for this line already paid (minor units, same currency). */
  alreadyPaidMinor: number;
  /** When the request is made: prices after it are not known yet, and a request after the window is late. */
  now: Date;
}

export type PriceProtectionOutcome =
  'payable' | 'no_lower_price' | 'already_paid' | 'window_expired' | 'nothing_protected';

export interface PriceProtectionResult {
  outcome: PriceProtectionOutcome;
  /** The end of the protection window (payment + windowDays). */
  windowEndsAt: Date;
  paidUnitPrice: Money;
  /** The lowest counted price in the window, and the price point it came from; absent when none counts. */
  lowestPrice?: Money;
  lowestPricePoint?: PricePoint;
  protectedQuantity: number;
  /** (paid − lowest) × protected quantity, before what was already paid. */
  grossDifference: Money;
  alreadyPaid: Money;
  /** What to pay now: never negative, never more than the protected units' paid amount minus earlier payouts. */
  payable: Money;
  /** Price points skipped, with why: shown to the agent so the number can be checked by hand. */
  skipped: { point: PricePoint; reason: 'excluded_kind' | 'outside_window' | 'other_currency' | 'tier' }[];
}

const DAY_MS = 86_400_000;

function counts(
  point: PricePoint,
  input: PriceProtectionInput,
  windowEnd: Date,
): PriceProtectionResult['skipped'][number]['reason'] | null {
  const { policy, paidAt, line, customerTier } = input;
  if (point.price.currency !== line.paidUnitPrice.currency) return 'other_currency';
  if (policy.excludedKinds.includes(point.kind)) return 'excluded_kind';
  const startsAt = Date.parse(point.startsAt);
  const endsAt = point.endsAt === undefined ? Infinity : Date.parse(point.endsAt);
  // A price counts if it was in force at some moment after payment, inside the window, and not in the future.
  const until = Math.min(windowEnd.getTime(), input.now.getTime());
  if (!(startsAt <= until && endsAt > paidAt.getTime())) return 'outside_window';
  if (point.kind === 'member_only' && (policy.memberPricesOnlyForTheirTiers ?? true)) {
    if (!point.tiers?.length || !customerTier || !point.tiers.includes(customerTier)) return 'tier';
  }
  return null;
}

/**
 * Price protection for one order line: the paid unit price after discounts against the lowest price the same
 * SKU had in the policy's window, times the units still held, minus earlier payouts — never negative and never
 * more than was paid. Pure: the caller supplies the price history and the time.
 */
export function calculatePriceProtection(input: PriceProtectionInput): PriceProtectionResult {
  const { line, policy, paidAt, now } = input;
  const currency = line.paidUnitPrice.currency;
  const money = (amountMinor: number): Money => ({ amountMinor, currency });
  const windowEndsAt = new Date(paidAt.getTime() + policy.windowDays * DAY_MS);
  const protectedQuantity = Math.max(0, line.quantity - line.refundedQuantity);
  const alreadyPaidMinor = Math.max(0, input.alreadyPaidMinor);
  const skipped: PriceProtectionResult['skipped'] = [];

  let lowest: PricePoint | undefined;
  for (const point of input.pricePoints) {
    if (point.sku !== line.sku) continue;
    const reason = counts(point, input, windowEndsAt);
    if (reason) {
      skipped.push({ point, reason });
      continue;
    }
    if (!lowest || point.price.amountMinor < lowest.price.amountMinor) lowest = point;
  }

  const perUnit = lowest ? Math.max(0, line.paidUnitPrice.amountMinor - lowest.price.amountMinor) : 0;
  const gross = perUnit * protectedQuantity;
  const ceiling = Math.max(0, line.paidUnitPrice.amountMinor * protectedQuantity - alreadyPaidMinor);
  const payable = Math.min(Math.max(0, gross - alreadyPaidMinor), ceiling);

  let outcome: PriceProtectionOutcome;
  if (now.getTime() > windowEndsAt.getTime()) outcome = 'window_expired';
  else if (protectedQuantity === 0) outcome = 'nothing_protected';
  else if (perUnit === 0) outcome = 'no_lower_price';
  else if (payable === 0) outcome = 'already_paid';
  else outcome = 'payable';

  return {
    outcome,
    windowEndsAt,
    paidUnitPrice: line.paidUnitPrice,
    ...(lowest ? { lowestPrice: lowest.price, lowestPricePoint: lowest } : {}),
    protectedQuantity,
    grossDifference: money(gross),
    alreadyPaid: money(alreadyPaidMinor),
    payable: money(outcome === 'window_expired' ? 0 : payable),
    skipped,
  };
}

/**
 * The idempotency key of a payout: ticket, order line and the price point paid against. A retry, a double
 * click or a second worker derives the same key, so the shop (and PeakDesk's own ledger) pays once; a later,
 * lower price point is a new key and pays only the further difference (the calculator subtracts what was paid).
 */
export function priceProtectionPayoutKey(ticketId: string, lineId: string, point: PricePoint): string {
  return `pp:${ticketId}:${lineId}:${point.sku}:${point.kind}:${point.startsAt}:${point.price.amountMinor}`;
}
