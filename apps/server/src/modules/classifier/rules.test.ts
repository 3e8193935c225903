import { describe, expect, it } from 'vitest';
import { applyRules, checkRulePattern, compileRules, type ClassifierRule } from './rules.ts';

const rule = (over: Partial<ClassifierRule> & Pick<ClassifierRule, 'id' | 'pattern'>): ClassifierRule => ({
  position: 10,
  kind: 'keyword',
  category: 'other',
  enabled: true,
  ...over,
});

const RULES = compileRules([
  rule({ id: 'invoice-zh', position: 30, pattern: '发票', category: 'invoice' }),
  rule({ id: 'invoice-en', position: 40, pattern: 'Invoice', category: 'invoice' }),
  rule({
    id: 'vip-refund',
    position: 20,
    kind: 'pattern',
    pattern: '退款.{0,10}(?:急|投诉)',
    category: 'refund',
  }),
  rule({ id: 'sf', position: 50, kind: 'pattern', pattern: '\\bSF\\d{12,13}\\b', category: 'logistics' }),
  rule({ id: 'off', position: 1, pattern: '在吗', category: 'quality', enabled: false }),
  rule({ id: 'unsafe', position: 2, kind: 'pattern', pattern: '(a+)+$', category: 'stock' }),
]);

describe('applyRules', () => {
  it.each<[string, string, string, string]>([
    ['能开发票吗', 'invoice', 'invoice-zh', '发票'],
    ['Please send the INVOICE', 'invoice', 'invoice-en', 'invoice'],
    ['ｉｎｖｏｉｃｅ please', 'invoice', 'invoice-en', 'invoice'],
    ['退款还没到，急！', 'refund', 'vip-refund', '退款还没到,急'],
    // Position decides: the refund pattern (20) comes before the invoice keyword (30).
    ['发票退款要投诉', 'refund', 'vip-refund', '退款要投诉'],
    ['sf1234567890123 到哪了', 'logistics', 'sf', 'sf1234567890123'],
  ])('%s → %s by %s', (text, category, ruleId, matched) => {
    expect(applyRules(RULES, text)).toMatchObject({ category, ruleId, matched });
  });

  it.each(['在吗', '退款什么时候到', 'SF12345', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaa!'])(
    'leaves %s to the model (disabled and unsafe rules never match)',
    (text) => {
      expect(applyRules(RULES, text)).toBeNull();
    },
  );

  it('matches only the beginning of a very long text', () => {
    expect(applyRules(RULES, `${'x'.repeat(3000)}发票`)).toBeNull();
    expect(applyRules(RULES, `${'x'.repeat(1000)}发票`)?.ruleId).toBe('invoice-zh');
  });
});

describe('checkRulePattern', () => {
  it.each<[ClassifierRule['kind'], string, string | null]>([
    ['keyword', '发票', null],
    ['keyword', '   ', 'invalid'],
    ['keyword', 'x'.repeat(101), 'too_long'],
    ['pattern', '退.*款', null],
    ['pattern', '(a|aa)*b', 'nested_quantifier'],
    ['pattern', '(x)\\1', 'backreference'],
    ['pattern', '[', 'invalid'],
  ])('%s %s → %s', (kind, pattern, problem) => {
    expect(checkRulePattern(kind, pattern)?.problem ?? null).toBe(problem);
  });
});
