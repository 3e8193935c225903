import { describe, expect, it } from 'vitest';
import {
  evaluateRules,
  validateRule,
  type Condition,
  type RoutingRule,
  type RoutingTicket,
} from './rule-engine.ts';

const ticket = (extra: Partial<RoutingTicket> = {}): RoutingTicket => ({
  category: 'refund',
  channel: 'im',
  platform: 'tmall',
  language: 'zh',
  priority: 'normal',
  customerTier: 3,
  orderAmount: 500_000,
  tags: ['double11', 'vip'],
  subject: '退款还没到账',
  body: '订单 TB123 申请退款三天了，Refund still pending',
  fields: { storeId: 'sh-01', giftWrap: true },
  ...extra,
});
// 2026-11-11 is a Wednesday; 10:30 in Shanghai.
const context = { now: new Date('2026-11-11T02:30:00Z'), timeZone: 'Asia/Shanghai' };

const rule = (id: string, position: number, extra: Partial<RoutingRule>): RoutingRule => ({
  id,
  name: `rule ${id}`,
  position,
  enabled: true,
  stopProcessing: false,
  conditions: {},
  actions: { addTags: [id] },
  ...extra,
});

describe('conditions', () => {
  const cases: [string, Condition, boolean, RegExp?][] = [
    ['category eq', { field: 'category', op: 'eq', value: 'refund' }, true],
    ['category eq other', { field: 'category', op: 'eq', value: 'logistics' }, false],
    ['category in', { field: 'category', op: 'in', value: ['refund', 'return_exchange'] }, true],
    ['channel in (miss)', { field: 'channel', op: 'in', value: ['email', 'web'] }, false],
    ['platform eq ignores case', { field: 'platform', op: 'eq', value: 'TMALL' }, true],
    ['tier gte', { field: 'customerTier', op: 'gte', value: 3 }, true],
    ['tier gte (miss)', { field: 'customerTier', op: 'gte', value: 4 }, false],
    ['amount ≥ ¥5,000 in fen', { field: 'orderAmount', op: 'gte', value: 500_000 }, true],
    ['amount lte', { field: 'orderAmount', op: 'lte', value: 499_999 }, false],
    ['a string never compares with a number', { field: 'customerTier', op: 'gte', value: '3' }, false],
    ['tags contain an element', { field: 'tags', op: 'eq', value: 'vip' }, true, /element "?vip/],
    ['tags in', { field: 'tags', op: 'in', value: ['presale', 'double11'] }, true],
    ['tags miss', { field: 'tags', op: 'eq', value: 'presale' }, false],
    ['keyword in Chinese', { field: 'text', op: 'contains', value: ['投诉', '到账'] }, true, /found 到账/],
    ['keyword in English ignores case', { field: 'body', op: 'contains', value: 'REFUND' }, true],
    [
      'keyword only in the body is not in the subject',
      { field: 'subject', op: 'contains', value: 'TB123' },
      false,
    ],
    ['pattern', { field: 'text', op: 'matches', value: 'TB\\d{3}' }, true, /matched TB123/],
    ['pattern miss', { field: 'text', op: 'matches', value: '^refund' }, false],
    // Stored before the ReDoS guard (or by hand): skipped, never run.
    ['unsafe stored pattern', { field: 'text', op: 'matches', value: '(.*)+TB' }, false, /unsafe pattern/],
    ['time of day after 09:00', { field: 'timeOfDay', op: 'gte', value: '09:00' }, true, /10:30/],
    ['time of day before 10:00', { field: 'timeOfDay', op: 'lte', value: '10:00' }, false],
    ['weekday is Wednesday', { field: 'weekday', op: 'eq', value: 3 }, true],
    ['custom field', { field: 'fields.storeId', op: 'eq', value: 'sh-01' }, true],
    ['custom boolean field', { field: 'fields.giftWrap', op: 'eq', value: true }, true],
    ['missing custom field', { field: 'fields.nothing', op: 'eq', value: 'x' }, false, /no value/],
  ];
  it.each(cases)('%s', (_name, condition, passed, reason) => {
    const { trace } = evaluateRules([rule('r', 1, { conditions: { all: [condition] } })], ticket(), context);
    expect(trace[0]!.matched).toBe(passed);
    expect(trace[0]!.conditions[0]!.passed).toBe(passed);
    if (reason) expect(trace[0]!.conditions[0]!.reason).toMatch(reason);
  });

  it('needs a value: a ticket without an order amount never passes an amount rule', () => {
    const { trace } = evaluateRules(
      [rule('r', 1, { conditions: { all: [{ field: 'orderAmount', op: 'lte', value: 100 }] } })],
      ticket({ orderAmount: null }),
      context,
    );
    expect(trace[0]!.matched).toBe(false);
  });
});

describe('all / any', () => {
  const yes: Condition = { field: 'category', op: 'eq', value: 'refund' };
  const no: Condition = { field: 'channel', op: 'eq', value: 'email' };
  const cases: [string, RoutingRule['conditions'], boolean][] = [
    ['no conditions: a catch-all', {}, true],
    ['all pass', { all: [yes, yes] }, true],
    ['one of all fails', { all: [yes, no] }, false],
    ['any: one passes', { any: [no, yes] }, true],
    ['any: none passes', { any: [no, no] }, false],
    ['all and any both needed', { all: [yes], any: [no] }, false],
    ['all and any both pass', { all: [yes], any: [no, yes] }, true],
  ];
  it.each(cases)('%s', (_name, conditions, matched) => {
    expect(evaluateRules([rule('r', 1, { conditions })], ticket(), context).trace[0]!.matched).toBe(matched);
  });
});

describe('ordering and actions', () => {
  const vip = rule('vip', 1, {
    conditions: { all: [{ field: 'orderAmount', op: 'gte', value: 500_000 }] },
    actions: { teamId: 'team-vip', priority: 'urgent', addTags: ['big-order'], slaPolicyId: 'sla-vip' },
  });
  const refund = rule('refund', 2, {
    conditions: { all: [{ field: 'category', op: 'eq', value: 'refund' }] },
    actions: { teamId: 'team-refund', addTags: ['refund', 'big-order'] },
  });
  const catchAll = rule('default', 3, { actions: { teamId: 'team-general' } });

  it('applies every match in position order; later teams override, tags accumulate once', () => {
    // Given out of order: position decides.
    const { decision, trace } = evaluateRules([catchAll, refund, vip], ticket(), context);
    expect(trace.map((t) => t.ruleId)).toEqual(['vip', 'refund', 'default']);
    expect(decision).toEqual({
      teamId: 'team-general',
      priority: 'urgent',
      addTags: ['big-order', 'refund'],
      slaPolicyId: 'sla-vip',
      assigneeId: null,
    });
  });

  it('stops after a matching rule that says stopProcessing', () => {
    const { decision, trace } = evaluateRules(
      [{ ...vip, stopProcessing: true }, refund, catchAll],
      ticket(),
      context,
    );
    expect(decision.teamId).toBe('team-vip');
    expect(trace.map((t) => [t.ruleId, t.matched, t.skipped])).toEqual([
      ['vip', true, null],
      ['refund', false, 'stopped'],
      ['default', false, 'stopped'],
    ]);
  });

  it('a non-matching stopProcessing rule does not stop', () => {
    const { decision } = evaluateRules(
      [{ ...vip, stopProcessing: true }, refund],
      ticket({ orderAmount: 100 }),
      context,
    );
    expect(decision.teamId).toBe('team-refund');
    expect(decision.priority).toBeNull();
  });

  it('skips disabled rules and says so', () => {
    const { decision, trace } = evaluateRules([{ ...vip, enabled: false }, refund], ticket(), context);
    expect(trace[0]!.skipped).toBe('disabled');
    expect(decision.priority).toBeNull();
    expect(decision.teamId).toBe('team-refund');
  });

  it('with no rules decides nothing', () => {
    expect(evaluateRules([], ticket(), context).decision).toEqual({
      teamId: null,
      priority: null,
      addTags: [],
      slaPolicyId: null,
      assigneeId: null,
    });
  });

  it('assigns to an agent', () => {
    const { decision } = evaluateRules([rule('a', 1, { actions: { assigneeId: 'u-1' } })], ticket(), context);
    expect(decision.assigneeId).toBe('u-1');
  });
});

describe('validateRule', () => {
  const ok = { teamId: 't' };
  const cases: [string, Pick<RoutingRule, 'conditions' | 'actions'>, RegExp | null][] = [
    ['valid', { conditions: { all: [{ field: 'category', op: 'eq', value: 'refund' }] }, actions: ok }, null],
    [
      'custom field',
      { conditions: { any: [{ field: 'fields.store', op: 'in', value: ['a'] }] }, actions: ok },
      null,
    ],
    [
      'unknown field',
      { conditions: { all: [{ field: 'colour', op: 'eq', value: 'x' }] }, actions: ok },
      /unknown field/,
    ],
    [
      'in without a list',
      { conditions: { all: [{ field: 'category', op: 'in', value: 'x' }] }, actions: ok },
      /needs a list/,
    ],
    [
      'amount compared with text',
      { conditions: { all: [{ field: 'orderAmount', op: 'gte', value: '5000' }] }, actions: ok },
      /needs a number/,
    ],
    [
      'bad time',
      { conditions: { all: [{ field: 'timeOfDay', op: 'gte', value: '9am' }] }, actions: ok },
      /HH:MM/,
    ],
    [
      'bad pattern',
      { conditions: { all: [{ field: 'text', op: 'matches', value: '(' }] }, actions: ok },
      /Invalid regular expression/,
    ],
    [
      'catastrophic pattern (ReDoS)',
      { conditions: { all: [{ field: 'text', op: 'matches', value: '(a+)+$' }] }, actions: ok },
      /repeated group may not contain a quantifier/,
    ],
    [
      'long pattern',
      { conditions: { all: [{ field: 'text', op: 'matches', value: 'a'.repeat(201) }] }, actions: ok },
      /at most/,
    ],
    ['no action', { conditions: {}, actions: {} }, /no action/],
  ];
  it.each(cases)('%s', (_name, r, problem) => {
    const problems = validateRule(r);
    if (problem) expect(problems.join('; ')).toMatch(problem);
    else expect(problems).toEqual([]);
  });
});
