import { describe, expect, it } from 'vitest';
import { tokenize, toTsqueryLiteral, toTsvectorLiteral } from './cjk-tokenizer.ts';

describe('tokenize', () => {
  it.each([
    ['催发货', ['催发', '发货']],
    ['价保', ['价保']],
    ['退', ['退']],
    ['Where is my ORDER #A1001?', ['where', 'is', 'my', 'order', 'a1001']],
    ['订单E20261111001还没发货', ['订单', 'e20261111001', '还没', '没发', '发货']],
    ['ＡＢＣ１２３ 全角', ['abc123', '全角']],
    ['', []],
    ['!!! ……', []],
  ])('%j → %j', (text, tokens) => expect(tokenize(text)).toEqual(tokens));
});

describe('toTsvectorLiteral', () => {
  it('gives positions, repeats and a gap between runs', () => {
    expect(toTsvectorLiteral('发货 发货')).toBe("'发货':1,3");
    expect(toTsvectorLiteral('催发货 ok')).toBe("'催发':1 '发货':2 'ok':4");
  });
  it('escapes quotes and backslashes', () => {
    expect(toTsvectorLiteral("it's a\\b")).toBe("'it':1 's':3 'a':5 'b':7");
  });
});

describe('toTsqueryLiteral', () => {
  it.each([
    ['发货', "'发货'"],
    ['价格保护', "('价格' <-> '格保' <-> '保护')"],
    ['退', "'退':*"],
    ['refund 退款', "'refund':* & '退款'"],
    ["o'neil", "'o':* & 'neil':*"],
    ['   ', null],
  ])('%j → %j', (query, literal) => expect(toTsqueryLiteral(query)).toBe(literal));
});
