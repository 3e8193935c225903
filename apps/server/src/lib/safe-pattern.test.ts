import { describe, expect, it } from 'vitest';
import { checkPattern, compileSafePattern, MAX_MATCH_TEXT } from './safe-pattern.ts';

describe('checkPattern', () => {
  it.each([
    ['发票|invoice'],
    ['退.*款'],
    ['^订单\\d{10,}$'],
    ['(?:退货|换货)'],
    ['(退款)?进度'],
    ['[a-z]{2,5}\\d+'],
    ['\\p{Script=Han}{2}退'],
    ['(?<order>E\\d{5})'],
    ['(?=.*refund)'],
    ['a{3}'],
    ['(ab){1,3}'],
  ])('accepts %s', (pattern) => {
    expect(checkPattern(pattern)).toBeNull();
  });

  it.each([
    ['(a+)+$', 'nested_quantifier'],
    ['(a|aa)*b', 'nested_quantifier'],
    ['(?:x?y)+', 'nested_quantifier'],
    ['((ab)*c)+', 'nested_quantifier'],
    ['(\\d{1,30})+', 'nested_quantifier'],
    ['(a)\\1', 'backreference'],
    ['(?<x>a)\\k<x>', 'backreference'],
    ['\\d+\\d+x', 'too_many_quantifiers'],
    ['.*.*x', 'too_many_quantifiers'],
    ['a{1,100}b+', 'too_many_quantifiers'],
    ['退.{0,20}.{0,20}.*款', 'too_many_quantifiers'],
    ['a{0,10}b{0,10}c{0,10}', 'too_many_quantifiers'],
    ['x'.repeat(201), 'too_long'],
    ['(unclosed', 'invalid'],
  ])('refuses %s (%s)', (pattern, problem) => {
    expect(checkPattern(pattern)?.problem).toBe(problem);
  });

  it('keeps every accepted pattern fast on the longest text it is matched against', () => {
    // The worst accepted shapes: one unbounded quantifier before a literal that never comes.
    for (const pattern of ['.*x', '\\d+x', '(?:ab){1,20}z', '退?.*款?x', '.{0,20}a{0,20}[0-9]?x']) {
      expect(checkPattern(pattern)).toBeNull();
      const re = compileSafePattern(pattern)!;
      const text = '1ab退'.repeat(MAX_MATCH_TEXT / 4);
      const started = performance.now();
      re.test(text);
      expect(performance.now() - started).toBeLessThan(200);
    }
  });
});
