import { describe, expect, it } from 'vitest';
import { findOrderNumber } from './order-number.ts';

describe('findOrderNumber', () => {
  it.each([
    ['我的订单 DS202611110000123 还没发货', 'DS202611110000123'],
    ['订单号ds202611110000123，麻烦查一下', 'DS202611110000123'],
    ['全角 ＤＳ２０２６１１１１００００１２３ 也行', 'DS202611110000123'],
    ['淘宝订单 3726159048271635281 退款', '3726159048271635281'],
    ['订单E20241111093021887催一下', 'E20241111093021887'],
    ['Order #1001 not shipped', '#1001'],
    // The demo shop's format wins over a bare long number elsewhere in the text.
    ['3726159048271635281 和 DS202611110000123', 'DS202611110000123'],
  ])('finds the order number in %s', (text, expected) => {
    expect(findOrderNumber(text)).toBe(expected);
  });

  it.each([
    ['快递 SF1234567890123 三天没动了'],
    ['手机 13800000001'],
    ['DS20261111000012 (one digit short)'],
    ['XDS202611110000123 (glued to a letter)'],
    ['没有订单号'],
  ])('finds none in %s', (text) => {
    expect(findOrderNumber(text)).toBeNull();
  });
});
