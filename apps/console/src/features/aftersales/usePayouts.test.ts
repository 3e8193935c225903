import { describe, expect, it } from 'vitest';
import { compensationAmount, formatPayoutAmount } from './usePayouts.ts';

describe('compensation amounts', () => {
  it.each([
    ['coupon', 12.5, 1250],
    ['store_credit', 0.01, 1],
    ['points', 120, 120],
  ] as const)('%s entered as %d is sent as %d', (kind, entered, sent) =>
    expect(compensationAmount(kind, entered)).toBe(sent),
  );

  it.each([
    ['coupon', 1250, 'CNY', '¥12.50'],
    ['refund', 99, null, '¥0.99'],
    ['points', 120, null, '120 积分'],
    ['coupon', 500, 'USD', '5.00 USD'],
  ])('shows %s %d %s as %s', (kind, amount, currency, text) =>
    expect(formatPayoutAmount(kind, amount, currency, '积分')).toBe(text),
  );
});
