import { describe, expect, it } from 'vitest';
import {
  mapAfterSale,
  mapShipment,
  orderStatus,
  type DsAfterSale,
  type DsShipment,
} from './demo-shop.mapping.ts';
import { cny } from './money.ts';

describe('orderStatus', () => {
  it.each([
    ['WAIT_BUYER_PAY', 0, 'pending_payment'],
    ['WAIT_SELLER_SEND_GOODS', 100, 'paid'],
    ['WAIT_BUYER_CONFIRM_GOODS', 100, 'shipped'],
    ['BUYER_SIGNED', 100, 'delivered'],
    ['TRADE_FINISHED', 100, 'completed'],
    ['TRADE_CLOSED', 0, 'cancelled'],
    ['TRADE_CLOSED', 100, 'closed'],
  ])('%s with %i paid is %s', (raw, paid, expected) => {
    expect(orderStatus(raw, cny(paid))).toBe(expected);
  });
});

const shipment = (status: string, scans: string[]): DsShipment => ({
  id: 'SH1',
  orderId: 'O1',
  carrierCode: 'sf',
  carrierName: '顺丰速运',
  trackingNumber: 'SF1',
  status,
  shippedAt: '2026-11-11T00:00:00.000Z',
  deliveredAt: null,
  events: scans.map((scan, i) => ({
    seq: i + 1,
    occurredAt: '2026-11-11T00:00:00.000Z',
    status: scan,
    location: '上海市',
    description: scan,
  })),
});

describe('mapShipment', () => {
  it.each([
    [
      'SIGNED',
      ['揽收', '发往', '到达', '派送中', '已签收'],
      'delivered',
      ['picked_up', 'departed', 'arrived', 'out_for_delivery', 'delivered'],
    ],
    ['DELAYED', ['揽收', '滞留'], 'exception', ['picked_up', 'delayed']],
    ['RETURNED', ['派送中', '退回'], 'returned', ['out_for_delivery', 'returned']],
    ['LOST', ['到达', '丢件'], 'lost', ['arrived', 'lost']],
    ['SOMETHING_NEW', ['新状态'], 'in_transit', ['other']],
  ])('%s → %s, keeping raw scans', (raw, scans, status, kinds) => {
    const mapped = mapShipment(shipment(raw, scans));
    expect(mapped.status).toBe(status);
    expect(mapped.rawStatus).toBe(raw);
    expect(mapped.events.map((e) => e.kind)).toEqual(kinds);
    expect(mapped.events.map((e) => e.rawStatus)).toEqual(scans);
  });
});

describe('mapAfterSale', () => {
  const base: DsAfterSale = {
    id: 'AS1',
    orderId: 'O1',
    kind: 'return',
    status: '',
    reason: '尺码不合适',
    lines: [{ orderLineId: 'O1-1', quantity: 1 }],
    requestedAmount: cny(100),
    returnShipment: null,
    createdAt: '2026-11-12T00:00:00.000Z',
    updatedAt: '2026-11-12T00:00:00.000Z',
  };
  it.each([
    ['WAIT_SELLER_AGREE', 'requested'],
    ['WAIT_BUYER_RETURN_GOODS', 'approved'],
    ['WAIT_SELLER_REFUND', 'approved'],
    ['WAIT_SELLER_CONFIRM_GOODS', 'return_shipped'],
    ['SELLER_RECEIVED', 'received'],
    ['SUCCESS', 'refunded'],
    ['EXCHANGE_SENT', 'exchange_shipped'],
    ['SELLER_REFUSE', 'rejected'],
  ])('%s → %s', (raw, expected) => {
    const mapped = mapAfterSale({ ...base, status: raw });
    expect(mapped.status).toBe(expected);
    expect(mapped.rawStatus).toBe(raw);
  });
});
