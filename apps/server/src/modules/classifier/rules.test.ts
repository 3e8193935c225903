import { describe, expect, it } from 'vitest';
import { applyRules, validateRule, type OverrideRule } from './rules.ts';

const RULES: OverrideRule[] = [
  { id: 'invoice-words', pattern: { keywords: ['发票', 'invoice'] }, category: 'invoice', priority: 10 },
  { id: 'vip-refund', pattern: { regex: '退款.*(急|投诉)' }, category: 'refund', priority: 20 },
  {
    id: 'sf-tracking',
    pattern: { regex: '\\bSF\\d{12,13}\\b', flags: 'i' },
    category: 'logistics',
    priority: 5,
  },
  { id: 'low-invoice', pattern: { keywords: ['开票'] }, category: 'other', priority: 10 },
];

describe('applyRules', () => {
  it.each<[string, string, string | null]>([
    ['能开发票吗', 'invoice', 'invoice-words'],
    ['Please send the INVOICE', 'invoice', 'invoice-words'],
    ['ｉｎｖｏｉｃｅ please', 'invoice', 'invoice-words'],
    ['退款还没到，急！', 'refund', 'vip-refund'],
    ['发票退款急', 'refund', 'vip-refund'],
    ['sf1234567890123 到哪了', 'logistics', 'sf-tracking'],
    ['开票', 'other', 'low-invoice'],
    ['发票开票', 'invoice', 'invoice-words'],
  ])('%s → %s by %s', (text, category, ruleId) => {
    expect(applyRules(RULES, text)).toEqual({ category, ruleId });
  });

  it.each(['在吗', '退款什么时候到', 'SF12345'])('leaves %s to the model', (text) => {
    expect(applyRules(RULES, text)).toBeNull();
  });

  it('returns null with no rules', () => {
    expect(applyRules([], '发票')).toBeNull();
  });

  it('ignores empty keywords and invalid regexes instead of matching everything or throwing', () => {
    const rules: OverrideRule[] = [
      { id: 'empty', pattern: { keywords: ['', '  '] }, category: 'other', priority: 1 },
      { id: 'broken', pattern: { regex: '(' }, category: 'other', priority: 1 },
    ];
    expect(applyRules(rules, 'anything')).toBeNull();
  });
});

describe('validateRule', () => {
  it.each<[OverrideRule['pattern'], string | null]>([
    [{ keywords: ['价保'] }, null],
    [{ keywords: [' '] }, 'A keyword rule needs at least one keyword'],
    [{ regex: '价保|保价' }, null],
    [{ regex: '(' }, 'Invalid regular expression'],
    [{ regex: 'a', flags: 'g' }, 'Only the i and u regex flags are allowed'],
  ])('%j', (pattern, problem) => {
    const result = validateRule({ id: 'r', pattern, category: 'other', priority: 0 });
    if (problem === null) expect(result).toBeNull();
    else expect(result).toContain(problem);
  });
});
