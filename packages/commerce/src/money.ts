import type { Money } from './types.ts';

/** ¥ amounts as minor units; the demo shop and Douyin already speak fen. */
export function cny(amountMinor: number): Money {
  return { amountMinor, currency: 'CNY' };
}

/**
 * "200.07" (Taobao, JD, Youzan, Shopify decimal strings) → 20007, exactly: parsed as text, never through a
 * float, so "0.29" stays 29 and not 28.999….
 */
export function decimalStringToMinor(value: string, fractionDigits = 2): number {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new RangeError(`not a decimal amount: "${value}"`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > fractionDigits) throw new RangeError(`too many decimals in "${value}"`);
  const minor = Number(whole) * 10 ** fractionDigits + Number(fraction.padEnd(fractionDigits, '0'));
  return sign === '-' ? -minor : minor;
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new RangeError(`cannot add ${a.currency} and ${b.currency}`);
  return { amountMinor: a.amountMinor + b.amountMinor, currency: a.currency };
}
