import { describe, expect, it } from 'vitest';
import { heldUnits, stepsOf, type TicketReturn } from './useReturns.ts';

const ret = (status: string, lineId: string, quantity: number) =>
  ({ status, lines: [{ lineId, quantity }] }) as TicketReturn;

describe('heldUnits', () => {
  it('takes away refunded units and those in open returns, not rejected or refunded ones', () => {
    const held = heldUnits(
      [
        { externalId: 'L1', quantity: 3, refundedQuantity: 1 },
        { externalId: 'L2', quantity: 1, refundedQuantity: 0 },
      ],
      [ret('approved', 'L1', 1), ret('rejected', 'L1', 2), ret('refunded', 'L2', 1)],
    );
    expect(held.get('L1')).toBe(1);
    expect(held.get('L2')).toBe(1);
  });
});

describe('stepsOf', () => {
  it.each([
    ['return', 'shop_return', ['approved', 'return_shipped', 'received', 'refunded']],
    ['exchange', 'shop_return', ['approved', 'return_shipped', 'received', 'exchange_shipped']],
    ['return', 'cancel_refund', ['refunded']],
  ] as const)('%s via %s', (kind, mode, steps) => expect(stepsOf(kind, mode)).toEqual(steps));
});
