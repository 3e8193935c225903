import { describe, expect, it } from 'vitest';
import { describeConditions, toCondition, toConditionText } from './rule-values.ts';

describe('routing rule values in the form', () => {
  it.each([
    [
      { field: 'category', op: 'eq', value: ' refund ' },
      { field: 'category', op: 'eq', value: 'refund' },
    ],
    [
      { field: 'orderAmount', op: 'gte', value: '50000' },
      { field: 'orderAmount', op: 'gte', value: 50000 },
    ],
    [
      { field: 'channel', op: 'in', value: 'web, email，im' },
      { field: 'channel', op: 'in', value: ['web', 'email', 'im'] },
    ],
    [
      { field: 'weekday', op: 'in', value: '0,6' },
      { field: 'weekday', op: 'in', value: [0, 6] },
    ],
    [
      { field: 'text', op: 'contains', value: '退款' },
      { field: 'text', op: 'contains', value: '退款' },
    ],
  ] as const)('turns %j into %j and back', (text, condition) => {
    expect(toCondition(text)).toEqual(condition);
    expect(toCondition(toConditionText(toCondition(text)))).toEqual(condition);
  });

  it('summarises all and any conditions on one line', () => {
    expect(
      describeConditions({
        all: [{ field: 'category', op: 'eq', value: 'refund' }],
        any: [
          { field: 'customerTier', op: 'gte', value: 3 },
          { field: 'tags', op: 'contains', value: 'vip' },
        ],
      }),
    ).toBe('category = refund ∧ (customerTier ≥ 3 ∨ tags ∋ vip)');
    expect(describeConditions({})).toBe('*');
  });
});
