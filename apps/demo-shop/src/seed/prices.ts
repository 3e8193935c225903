import type { Prng } from './prng.ts';
import { cst, DOUBLE11, ENCORE } from './time.ts';

export type PriceKind = 'list' | 'campaign' | 'flash_sale' | 'member_only';

export interface PricePointRow {
  kind: PriceKind;
  priceFen: number;
  startsAt: number;
  endsAt: number | undefined;
  campaign: string | undefined;
  tiers: string[] | undefined;
}

const LIST_SINCE = cst(2026, 9, 1);

/** Rounds a discounted price to a retail-looking one (…9 yuan or …90 fen). */
function retail(fen: number): number {
  if (fen >= 10000) return Math.floor(fen / 1000) * 1000 - 100;
  return Math.max(90, Math.floor(fen / 100) * 100 - 10);
}

/**
 * A SKU's marketing price history: the list price, the Double 11 campaign price, 秒杀 flash sales at midnight
 * of 11-11, member-only prices for 金卡/黑钻, and for some SKUs a later 返场 price drop below what Double 11
 * buyers paid — the case price protection (价保) exists for.
 */
export function buildPriceHistory(prng: Prng, listFen: number): PricePointRow[] {
  const points: PricePointRow[] = [
    {
      kind: 'list',
      priceFen: listFen,
      startsAt: LIST_SINCE,
      endsAt: undefined,
      campaign: undefined,
      tiers: undefined,
    },
  ];
  const campaignFen = retail(listFen * (prng.int(80, 90) / 100));
  points.push({
    kind: 'campaign',
    priceFen: campaignFen,
    startsAt: DOUBLE11.startsAt,
    endsAt: DOUBLE11.endsAt,
    campaign: DOUBLE11.name,
    tiers: undefined,
  });
  if (prng.chance(0.35)) {
    points.push({
      kind: 'flash_sale',
      priceFen: retail(listFen * (prng.int(50, 65) / 100)),
      startsAt: DOUBLE11.flashStartsAt,
      endsAt: DOUBLE11.flashEndsAt,
      campaign: `${DOUBLE11.name}秒杀`,
      tiers: undefined,
    });
  }
  if (prng.chance(0.3)) {
    points.push({
      kind: 'member_only',
      priceFen: retail(campaignFen * 0.95),
      startsAt: DOUBLE11.startsAt,
      endsAt: DOUBLE11.endsAt,
      campaign: `${DOUBLE11.name}会员专享`,
      tiers: ['gold', 'black_diamond'],
    });
  }
  if (prng.chance(0.25)) {
    points.push({
      kind: 'campaign',
      priceFen: retail(campaignFen * (prng.int(85, 95) / 100)),
      startsAt: ENCORE.startsAt,
      endsAt: ENCORE.endsAt,
      campaign: ENCORE.name,
      tiers: undefined,
    });
  }
  return points;
}

/**
 * The price a buyer of `tier` pays at `at`: the lowest price in force. A flash sale counts only when the buyer
 * won it (`wonFlashSale`), as real 秒杀 stock runs out in seconds.
 */
export function priceAt(
  points: readonly PricePointRow[],
  at: number,
  tier: string,
  wonFlashSale: boolean,
): number {
  let best = Number.POSITIVE_INFINITY;
  for (const point of points) {
    if (point.startsAt > at || (point.endsAt !== undefined && point.endsAt <= at)) continue;
    if (point.kind === 'flash_sale' && !wonFlashSale) continue;
    if (point.tiers && !point.tiers.includes(tier)) continue;
    best = Math.min(best, point.priceFen);
  }
  return best;
}
