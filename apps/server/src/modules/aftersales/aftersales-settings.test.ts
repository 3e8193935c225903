import type { Capabilities } from '@peakdesk/commerce';
import { describe, expect, it } from 'vitest';
import {
  autoPayLimit,
  choosePayoutMethod,
  DEFAULT_AFTERSALES_SETTINGS,
  minorToPoints,
  resolveSettings,
} from './aftersales-settings.ts';
import { formatPayout, priceProtectionReply } from './ticket-answer.ts';

const caps = (overrides: Partial<Capabilities>): Capabilities => ({
  sellerInitiatedRefund: false,
  partialAmountRefund: false,
  sellerInitiatedReturn: false,
  exchange: false,
  afterSaleResponses: false,
  coupons: false,
  points: false,
  storeCredit: false,
  tracking: false,
  orderNotes: false,
  priceHistory: true,
  platformPriceProtection: false,
  inboundEvents: [],
  piiMasked: false,
  currencies: ['CNY'],
  ...overrides,
});

describe('choosePayoutMethod: refund → coupon → points, as far as the shop can', () => {
  it.each([
    [
      'a shop that refunds any amount',
      { sellerInitiatedRefund: true, partialAmountRefund: true, coupons: true },
      'refund',
    ],
    [
      'whole-line refunds only, with coupons',
      { sellerInitiatedRefund: true, coupons: true, points: true },
      'coupon',
    ],
    ['points only', { points: true }, 'points'],
    ['store credit is not in the default preference', { storeCredit: true }, undefined],
    ['nothing', {}, undefined],
  ] as const)('%s → %s', (_name, shop, expected) => {
    expect(choosePayoutMethod(DEFAULT_AFTERSALES_SETTINGS, caps(shop))).toBe(expected);
  });
});

describe('autoPayLimit', () => {
  it.each([
    [undefined, 5000],
    ['regular', 5000],
    ['gold', 10000],
    ['black_diamond', 20000],
  ] as const)('tier %s pays at once up to %i fen', (tier, limit) => {
    expect(autoPayLimit(DEFAULT_AFTERSALES_SETTINGS, tier)).toBe(limit);
  });
});

describe('resolveSettings', () => {
  it('fills what a stored policy leaves out from the defaults', () => {
    const settings = resolveSettings({ priceProtection: { windowDays: 15 } });
    expect(settings.priceProtection.windowDays).toBe(15);
    expect(settings.priceProtection.payoutMethods).toEqual(['refund', 'coupon', 'points']);
    expect(settings.compensationCaps.agent?.perAction.coupon).toBe(2000);
  });

  it('is the defaults for nothing stored', () => {
    expect(resolveSettings(undefined)).toEqual(DEFAULT_AFTERSALES_SETTINGS);
  });
});

describe('money as points and in answers', () => {
  it.each([
    [100, 10],
    [1, 1],
    [1234, 124],
  ])('%i fen is %i points at 10 points a yuan (rounded up)', (fen, points) => {
    expect(minorToPoints(DEFAULT_AFTERSALES_SETTINGS, fen)).toBe(points);
  });

  it.each([
    ['refund', 5000, 'CNY', 'zh', '¥50.00'],
    ['points', 120, null, 'zh', '120 积分'],
    ['points', 120, null, 'en', '120 points'],
    ['coupon', 199, 'USD', 'en', '1.99 USD'],
  ] as const)('%s %i %s in %s reads %s', (kind, amount, currency, language, text) => {
    expect(formatPayout(kind, amount, currency, language)).toBe(text);
  });

  it('answers in the customer’s language with the order and the total', () => {
    const payouts = [
      { kind: 'refund', amount: 3000, currency: 'CNY' },
      { kind: 'refund', amount: 2000, currency: 'CNY' },
    ];
    expect(priceProtectionReply('zh', 'DS1', payouts)).toContain(
      'DS1 已完成价保，差价 ¥50.00 已通过原路退款',
    );
    expect(priceProtectionReply('en', 'DS1', payouts)).toContain(
      'the difference of ¥50.00 has been paid back',
    );
  });
});
