import { describe, expect, it } from 'vitest';
import en from './order.en-US.json';
import zh from './order.zh-CN.json';
import { formatAge, formatMoney } from './useOrder.ts';

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key));
}

describe('order and after-sales translations', () => {
  it('have the same keys in zh-CN and en-US, only under order.* and aftersales.*', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(zh).sort());
    expect(Object.keys(en).sort()).toEqual(['aftersales', 'order']);
  });
});

describe('formatting', () => {
  it.each([
    [{ amountMinor: 12345, currency: 'CNY' }, '¥123.45'],
    [{ amountMinor: 5, currency: 'USD' }, '0.05 USD'],
  ])('formats %o as %s', (money, text) => expect(formatMoney(money)).toBe(text));

  it.each([
    [30, { unit: 'minutes', count: 1 }],
    [600, { unit: 'minutes', count: 10 }],
    [7200, { unit: 'hours', count: 2 }],
    [172_800, { unit: 'days', count: 2 }],
  ])('says %d s as %o', (seconds, age) => expect(formatAge(seconds)).toEqual(age));
});
