import { describe, expect, it } from 'vitest';
import { nextAfterSaleStatus, type AfterSaleAction, type AfterSaleKind } from './aftersale-machine.ts';

describe('nextAfterSaleStatus', () => {
  it.each<[AfterSaleKind, string, AfterSaleAction, string | null]>([
    ['return', 'WAIT_SELLER_AGREE', 'approve', 'WAIT_BUYER_RETURN_GOODS'],
    ['return', 'WAIT_SELLER_AGREE', 'reject', 'SELLER_REFUSE'],
    ['return', 'WAIT_BUYER_RETURN_GOODS', 'mark_return_shipped', 'WAIT_SELLER_CONFIRM_GOODS'],
    ['return', 'WAIT_SELLER_CONFIRM_GOODS', 'confirm_received', 'SELLER_RECEIVED'],
    ['return', 'SELLER_RECEIVED', 'refund', 'SUCCESS'],
    ['return', 'WAIT_SELLER_AGREE', 'confirm_received', null],
    ['return', 'WAIT_BUYER_RETURN_GOODS', 'refund', null],
    ['return', 'SELLER_RECEIVED', 'ship_exchange', null],
    ['exchange', 'SELLER_RECEIVED', 'ship_exchange', 'EXCHANGE_SENT'],
    ['exchange', 'SELLER_RECEIVED', 'refund', null],
    ['refund_only', 'WAIT_SELLER_AGREE', 'approve', 'WAIT_SELLER_REFUND'],
    ['refund_only', 'WAIT_SELLER_REFUND', 'refund', 'SUCCESS'],
    ['refund_only', 'WAIT_SELLER_AGREE', 'mark_return_shipped', null],
    ['refund_only', 'SELLER_REFUSE', 'approve', null],
    ['return', 'SUCCESS', 'reject', null],
  ])('%s in %s, %s → %s', (kind, status, action, expected) => {
    const result = nextAfterSaleStatus(kind, status, action);
    expect(result.ok ? result.status : null).toBe(expected);
  });
});
