import type { Capabilities, OrderLine } from '@peakdesk/commerce';
import { describe, expect, it } from 'vitest';
import {
  advanceStatus,
  checkReturnLines,
  customerMessageFor,
  DEFAULT_RETURN_SETTINGS,
  returnIdempotencyKey,
  returnSettingsFrom,
  solvesTicket,
  unitsInReturns,
  type ReturnStatus,
} from './returns-progress.ts';
import { returnMode } from './returns.service.ts';

describe('advanceStatus', () => {
  const cases: [ReturnStatus, ReturnStatus, ReturnStatus | null][] = [
    ['pending', 'requested', 'requested'],
    ['requested', 'approved', 'approved'],
    ['approved', 'received', 'received'],
    ['received', 'approved', null],
    ['received', 'return_shipped', null],
    ['received', 'received', null],
    ['received', 'refunded', 'refunded'],
    ['received', 'exchange_shipped', 'exchange_shipped'],
    ['refunded', 'received', null],
    ['refunded', 'closed', null],
    ['rejected', 'approved', null],
    ['requested', 'rejected', 'rejected'],
  ];
  it.each(cases)('%s + %s → %s', (current, incoming, expected) => {
    expect(advanceStatus(current, incoming)).toBe(expected);
  });
});

describe('returnIdempotencyKey', () => {
  it('is the same for the same lines in any order and differs by kind, lines and ticket', () => {
    const a = returnIdempotencyKey('t1', 'return', [
      { lineId: 'L1', quantity: 1 },
      { lineId: 'L2', quantity: 2 },
    ]);
    const b = returnIdempotencyKey('t1', 'return', [
      { lineId: 'L2', quantity: 2 },
      { lineId: 'L1', quantity: 1 },
    ]);
    expect(a).toBe(b);
    expect(returnIdempotencyKey('t1', 'exchange', [{ lineId: 'L1', quantity: 1 }])).not.toBe(
      returnIdempotencyKey('t1', 'return', [{ lineId: 'L1', quantity: 1 }]),
    );
    expect(returnIdempotencyKey('t2', 'return', [{ lineId: 'L1', quantity: 1 }])).not.toBe(
      returnIdempotencyKey('t1', 'return', [{ lineId: 'L1', quantity: 1 }]),
    );
    expect(a.length).toBeLessThanOrEqual(200);
  });
});

describe('checkReturnLines', () => {
  const line = (externalId: string, quantity: number, refundedQuantity: number) =>
    ({ externalId, quantity, refundedQuantity }) as OrderLine;
  const order = { lines: [line('L1', 3, 1), line('L2', 1, 0)] };
  it.each([
    ['within held units', [{ lineId: 'L1', quantity: 2 }], new Map(), []],
    [
      'above held units',
      [{ lineId: 'L1', quantity: 3 }],
      new Map(),
      [{ lineId: 'L1', problem: 'too_many', held: 2 }],
    ],
    [
      'units already in another return',
      [{ lineId: 'L1', quantity: 2 }],
      new Map([['L1', 1]]),
      [{ lineId: 'L1', problem: 'too_many', held: 1 }],
    ],
    ['unknown line', [{ lineId: 'L9', quantity: 1 }], new Map(), [{ lineId: 'L9', problem: 'unknown_line' }]],
    [
      'a line twice',
      [
        { lineId: 'L2', quantity: 1 },
        { lineId: 'L2', quantity: 1 },
      ],
      new Map(),
      [{ lineId: 'L2', problem: 'duplicate_line' }],
    ],
  ])('%s', (_name, lines, others, expected) => {
    expect(checkReturnLines(order, lines, others)).toEqual(expected);
  });

  it('counts units of open returns only (refunded units are in refundedQuantity)', () => {
    const units = unitsInReturns([
      { status: 'approved', lines: [{ lineId: 'L1', quantity: 1 }] },
      { status: 'rejected', lines: [{ lineId: 'L1', quantity: 5 }] },
      { status: 'refunded', lines: [{ lineId: 'L1', quantity: 1 }] },
    ]);
    expect(units.get('L1')).toBe(1);
  });
});

describe('customer messages and settings', () => {
  it('speaks the ticket language for the chosen steps only', () => {
    const s = DEFAULT_RETURN_SETTINGS;
    expect(customerMessageFor('approved', 'return', 'DS1', 'zh', s)).toMatch(/DS1.*退货申请已通过/);
    expect(customerMessageFor('approved', 'exchange', 'DS1', 'en', s)).toMatch(
      /your exchange for order DS1 is approved/,
    );
    expect(customerMessageFor('return_shipped', 'return', 'DS1', 'zh', s)).toBeNull();
    expect(customerMessageFor('refunded', 'return', 'DS1', null, s)).toMatch(/退款/);
  });

  it('reads tenant settings with defaults and drops unknown steps', () => {
    expect(returnSettingsFrom({})).toEqual(DEFAULT_RETURN_SETTINGS);
    expect(
      returnSettingsFrom({ returns: { customerMessageSteps: ['received', 'bogus'], solveWhenDone: false } }),
    ).toEqual({
      customerMessageSteps: ['received'],
      solveWhenDone: false,
    });
    expect(solvesTicket('refunded', DEFAULT_RETURN_SETTINGS)).toBe(true);
    expect(solvesTicket('received', DEFAULT_RETURN_SETTINGS)).toBe(false);
  });
});

describe('returnMode', () => {
  const caps = (over: Partial<Capabilities>) =>
    ({
      sellerInitiatedReturn: false,
      exchange: false,
      sellerInitiatedRefund: false,
      ...over,
    }) as Capabilities;
  it('uses the shop return where there is one, else line cancellation + refund, by capabilities', () => {
    expect(returnMode(caps({ sellerInitiatedReturn: true }), 'return')).toBe('shop_return');
    expect(returnMode(caps({ sellerInitiatedRefund: true }), 'return')).toBe('cancel_refund');
    expect(returnMode(caps({ sellerInitiatedReturn: true, exchange: true }), 'exchange')).toBe('shop_return');
    expect(() => returnMode(caps({ sellerInitiatedRefund: true }), 'exchange')).toThrow(/exchange/);
    expect(() => returnMode(caps({}), 'return')).toThrow();
  });
});
