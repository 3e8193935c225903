import type { PricePoint } from '@peakdesk/commerce';
import { describe, expect, it } from 'vitest';
import {
  calculatePriceProtection,
  priceProtectionPayoutKey,
  type PriceProtectionInput,
  type PriceProtectionPolicy,
} from './price-protection.calculator.ts';

const PAID_AT = new Date('2026-11-01T10:00:00+08:00');
const NOW = new Date('2026-11-12T09:00:00+08:00');
const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
const point = (
  kind: PricePoint['kind'],
  amountMinor: number,
  startsAt: string,
  endsAt?: string,
  extra: Partial<PricePoint> = {},
): PricePoint => ({
  sku: 'SKU-AIRFRYER',
  kind,
  price: cny(amountMinor),
  startsAt,
  ...(endsAt ? { endsAt } : {}),
  ...extra,
});
const POLICY: PriceProtectionPolicy = { windowDays: 30, excludedKinds: ['flash_sale'] };

function input(overrides: Partial<PriceProtectionInput> = {}): PriceProtectionInput {
  return {
    line: { sku: 'SKU-AIRFRYER', quantity: 2, refundedQuantity: 0, paidUnitPrice: cny(39900) },
    paidAt: PAID_AT,
    pricePoints: [],
    policy: POLICY,
    customerTier: 'gold',
    alreadyPaidMinor: 0,
    now: NOW,
    ...overrides,
  };
}

describe('calculatePriceProtection', () => {
  const cases: {
    name: string;
    given: Partial<PriceProtectionInput>;
    outcome: string;
    payable: number;
    lowest?: number;
  }[] = [
    {
      name: 'the Double 11 campaign price below what was paid pays the difference per unit held',
      given: {
        pricePoints: [point('campaign', 34900, '2026-11-11T00:00:00+08:00', '2026-11-12T00:00:00+08:00')],
      },
      outcome: 'payable',
      payable: 2 * 5000,
      lowest: 34900,
    },
    {
      name: 'the lowest of several counted prices wins',
      given: {
        pricePoints: [
          point('campaign', 36900, '2026-11-03T00:00:00+08:00', '2026-11-05T00:00:00+08:00'),
          point('campaign', 35900, '2026-11-10T00:00:00+08:00'),
          point('list', 39900, '2026-10-01T00:00:00+08:00'),
        ],
      },
      outcome: 'payable',
      payable: 2 * 4000,
      lowest: 35900,
    },
    {
      name: 'flash-sale prices are excluded by policy',
      given: {
        pricePoints: [point('flash_sale', 29900, '2026-11-11T00:00:00+08:00', '2026-11-11T00:10:00+08:00')],
      },
      outcome: 'no_lower_price',
      payable: 0,
    },
    {
      name: 'flash-sale prices count when the policy does not exclude them',
      given: {
        policy: { windowDays: 30, excludedKinds: [] },
        pricePoints: [point('flash_sale', 29900, '2026-11-11T00:00:00+08:00', '2026-11-11T00:10:00+08:00')],
      },
      outcome: 'payable',
      payable: 2 * 10000,
      lowest: 29900,
    },
    {
      name: 'a price that ended before payment does not count',
      given: {
        pricePoints: [point('campaign', 30000, '2026-10-20T00:00:00+08:00', '2026-11-01T09:59:59+08:00')],
      },
      outcome: 'no_lower_price',
      payable: 0,
    },
    {
      name: 'a price still in force at the moment of payment counts (paid more than the price then)',
      given: {
        pricePoints: [point('campaign', 37900, '2026-10-20T00:00:00+08:00', '2026-11-01T12:00:00+08:00')],
      },
      outcome: 'payable',
      payable: 2 * 2000,
      lowest: 37900,
    },
    {
      name: 'a price announced for after now is not known yet',
      given: { pricePoints: [point('campaign', 30000, '2026-11-20T00:00:00+08:00')] },
      outcome: 'no_lower_price',
      payable: 0,
    },
    {
      name: 'a price after the window closes does not count',
      given: {
        now: new Date('2026-12-01T09:00:00+08:00'),
        pricePoints: [point('campaign', 30000, '2026-12-01T10:00:01+08:00')],
      },
      outcome: 'no_lower_price',
      payable: 0,
    },
    {
      name: 'a request after the window is late and pays nothing',
      given: {
        now: new Date('2026-12-02T09:00:00+08:00'),
        pricePoints: [point('campaign', 30000, '2026-11-11T00:00:00+08:00')],
      },
      outcome: 'window_expired',
      payable: 0,
      lowest: 30000,
    },
    {
      name: 'returned units are not protected',
      given: {
        line: { sku: 'SKU-AIRFRYER', quantity: 2, refundedQuantity: 1, paidUnitPrice: cny(39900) },
        pricePoints: [point('campaign', 34900, '2026-11-11T00:00:00+08:00')],
      },
      outcome: 'payable',
      payable: 5000,
      lowest: 34900,
    },
    {
      name: 'a fully returned line has nothing to protect',
      given: {
        line: { sku: 'SKU-AIRFRYER', quantity: 2, refundedQuantity: 2, paidUnitPrice: cny(39900) },
        pricePoints: [point('campaign', 34900, '2026-11-11T00:00:00+08:00')],
      },
      outcome: 'nothing_protected',
      payable: 0,
      lowest: 34900,
    },
    {
      name: 'earlier payouts are subtracted: a further drop pays only the further difference',
      given: {
        alreadyPaidMinor: 2 * 3000,
        pricePoints: [
          point('campaign', 36900, '2026-11-05T00:00:00+08:00', '2026-11-08T00:00:00+08:00'),
          point('campaign', 34900, '2026-11-11T00:00:00+08:00'),
        ],
      },
      outcome: 'payable',
      payable: 2 * 5000 - 2 * 3000,
      lowest: 34900,
    },
    {
      name: 'never negative: more already paid than the difference',
      given: {
        alreadyPaidMinor: 20000,
        pricePoints: [point('campaign', 34900, '2026-11-11T00:00:00+08:00')],
      },
      outcome: 'already_paid',
      payable: 0,
      lowest: 34900,
    },
    {
      name: 'never more than paid, even against a free (zero) price',
      given: { pricePoints: [point('campaign', 0, '2026-11-11T00:00:00+08:00')] },
      outcome: 'payable',
      payable: 2 * 39900,
      lowest: 0,
    },
    {
      name: 'member-only prices count only for the tiers they were offered to',
      given: {
        policy: { windowDays: 30, excludedKinds: [] },
        customerTier: 'regular',
        pricePoints: [
          point('member_only', 33900, '2026-11-11T00:00:00+08:00', undefined, { tiers: ['gold'] }),
        ],
      },
      outcome: 'no_lower_price',
      payable: 0,
    },
    {
      name: "member-only prices count for the buyer's tier",
      given: {
        policy: { windowDays: 30, excludedKinds: [] },
        pricePoints: [
          point('member_only', 33900, '2026-11-11T00:00:00+08:00', undefined, { tiers: ['gold'] }),
        ],
      },
      outcome: 'payable',
      payable: 2 * 6000,
      lowest: 33900,
    },
    {
      name: 'member-only prices are excluded outright when the policy says so',
      given: {
        policy: { windowDays: 30, excludedKinds: ['member_only'] },
        pricePoints: [
          point('member_only', 33900, '2026-11-11T00:00:00+08:00', undefined, { tiers: ['gold'] }),
        ],
      },
      outcome: 'no_lower_price',
      payable: 0,
    },
    {
      name: "other SKUs' and other currencies' prices are ignored",
      given: {
        pricePoints: [
          { ...point('campaign', 10000, '2026-11-11T00:00:00+08:00'), sku: 'SKU-OTHER' },
          {
            ...point('campaign', 100, '2026-11-11T00:00:00+08:00'),
            price: { amountMinor: 100, currency: 'USD' },
          },
        ],
      },
      outcome: 'no_lower_price',
      payable: 0,
    },
    {
      name: 'a higher price never pays',
      given: { pricePoints: [point('list', 45900, '2026-11-05T00:00:00+08:00')] },
      outcome: 'no_lower_price',
      payable: 0,
      lowest: 45900,
    },
  ];

  it.each(cases)('$name', ({ given, outcome, payable, lowest }) => {
    const result = calculatePriceProtection(input(given));
    expect(result.outcome).toBe(outcome);
    expect(result.payable).toEqual(cny(payable));
    expect(result.lowestPrice?.amountMinor).toBe(lowest);
    expect(result.payable.amountMinor).toBeGreaterThanOrEqual(0);
  });

  it('explains what it skipped and why', () => {
    const result = calculatePriceProtection(
      input({
        pricePoints: [
          point('flash_sale', 29900, '2026-11-11T00:00:00+08:00'),
          point('campaign', 30000, '2026-10-01T00:00:00+08:00', '2026-10-02T00:00:00+08:00'),
        ],
      }),
    );
    expect(result.skipped.map((s) => s.reason)).toEqual(['excluded_kind', 'outside_window']);
    expect(result.windowEndsAt.toISOString()).toBe('2026-12-01T02:00:00.000Z');
  });
});

describe('priceProtectionPayoutKey', () => {
  it('is the same for a retry and differs for a new, lower price point', () => {
    const first = point('campaign', 34900, '2026-11-11T00:00:00+08:00');
    const again = { ...first };
    const lower = point('campaign', 32900, '2026-11-20T00:00:00+08:00');
    expect(priceProtectionPayoutKey('t1', 'l1', first)).toBe(priceProtectionPayoutKey('t1', 'l1', again));
    expect(priceProtectionPayoutKey('t1', 'l1', first)).not.toBe(priceProtectionPayoutKey('t1', 'l1', lower));
    expect(priceProtectionPayoutKey('t1', 'l1', first)).not.toBe(priceProtectionPayoutKey('t1', 'l2', first));
  });
});
