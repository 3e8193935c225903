import { describe, expect, it } from 'vitest';
import { addMoney, cny, decimalStringToMinor } from './money.ts';

describe('decimalStringToMinor', () => {
  it.each([
    ['200.07', 20007],
    ['0.29', 29],
    ['12', 1200],
    ['12.5', 1250],
    ['-3.10', -310],
    [' 99.99 ', 9999],
  ])('reads %s as %i minor units', (input, expected) => {
    expect(decimalStringToMinor(input)).toBe(expected);
  });

  it.each(['', 'abc', '1.234', '1,00'])('rejects %j', (input) => {
    expect(() => decimalStringToMinor(input)).toThrow(RangeError);
  });
});

describe('addMoney', () => {
  it('adds the same currency and refuses to mix currencies', () => {
    expect(addMoney(cny(100), cny(250))).toEqual(cny(350));
    expect(() => addMoney(cny(1), { amountMinor: 1, currency: 'USD' })).toThrow(RangeError);
  });
});
