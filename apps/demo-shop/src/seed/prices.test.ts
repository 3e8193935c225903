import { describe, expect, it } from 'vitest';
import { priceAt, type PricePointRow } from './prices.ts';
import { cst } from './time.ts';

const points: PricePointRow[] = [
  {
    kind: 'list',
    priceFen: 10000,
    startsAt: cst(2026, 9, 1),
    endsAt: undefined,
    campaign: undefined,
    tiers: undefined,
  },
  {
    kind: 'campaign',
    priceFen: 8500,
    startsAt: cst(2026, 11, 1),
    endsAt: cst(2026, 11, 12),
    campaign: '双11',
    tiers: undefined,
  },
  {
    kind: 'flash_sale',
    priceFen: 5900,
    startsAt: cst(2026, 11, 11, 0),
    endsAt: cst(2026, 11, 11, 2),
    campaign: '秒杀',
    tiers: undefined,
  },
  {
    kind: 'member_only',
    priceFen: 7900,
    startsAt: cst(2026, 11, 1),
    endsAt: cst(2026, 11, 12),
    campaign: '会员',
    tiers: ['gold'],
  },
];

describe('priceAt', () => {
  it.each([
    ['before the campaign', cst(2026, 10, 20, 12), 'regular', false, 10000],
    ['in the campaign', cst(2026, 11, 5, 12), 'regular', false, 8500],
    ['in the campaign for a gold member', cst(2026, 11, 5, 12), 'gold', false, 7900],
    ['in the flash sale, won', cst(2026, 11, 11, 1), 'regular', true, 5900],
    ['in the flash sale, sold out', cst(2026, 11, 11, 1), 'regular', false, 8500],
    ['right when the campaign ends (end is exclusive)', cst(2026, 11, 12), 'gold', false, 10000],
  ])('%s', (_label, at, tier, won, expected) => {
    expect(priceAt(points, at, tier, won)).toBe(expected);
  });
});
