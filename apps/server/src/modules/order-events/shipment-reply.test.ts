import type { Order, Shipment } from '@peakdesk/commerce';
import { describe, expect, it } from 'vitest';
import { decideShipmentReply, shipmentStateOf, type ReplyTicket } from './shipment-reply.ts';

const shipment = (patch: Partial<Shipment> = {}): Shipment => ({
  externalId: 'SH1',
  orderId: 'O1',
  carrierCode: 'sf',
  carrierName: '顺丰速运',
  trackingNumber: 'SF1402837465012',
  status: 'in_transit',
  rawStatus: 'IN_TRANSIT',
  shippedAt: '2026-11-11T10:00:00.000Z',
  events: [],
  ...patch,
});
const order = (shipments: Shipment[]): Order =>
  ({ externalId: 'O1', orderNumber: 'DS2026111100012', shipments }) as unknown as Order;
const ticket = (patch: Partial<ReplyTicket> = {}): ReplyTicket => ({
  status: 'open',
  category: 'shipping_eta',
  language: 'zh',
  ...patch,
});

describe('shipmentStateOf', () => {
  it.each([
    [[], null],
    [[shipment({ status: 'pending' })], null],
    [[shipment({ status: 'exception' })], null],
    [[shipment()], 'shipped'],
    [[shipment({ status: 'out_for_delivery' })], 'shipped'],
    [[shipment({ status: 'delivered' })], 'delivered'],
    [
      [
        shipment({ status: 'delivered' }),
        shipment({ externalId: 'SH2', shippedAt: '2026-11-12T00:00:00.000Z' }),
      ],
      'shipped',
    ],
  ] as const)('%j → %s', (shipments, state) => {
    expect(shipmentStateOf(order([...shipments]))?.state ?? null).toBe(state);
  });
});

describe('decideShipmentReply', () => {
  it.each([
    ['off for the tenant', ticket(), [shipment()], false, null],
    ['another category', ticket({ category: 'refund' }), [shipment()], true, null],
    ['no category', ticket({ category: null }), [shipment()], true, null],
    ['a solved ticket', ticket({ status: 'solved' }), [shipment()], true, null],
    ['not shipped yet', ticket(), [], true, null],
    ['shipped', ticket(), [shipment()], true, { key: 'SH1:shipped', nextStatus: 'pending', locale: 'zh-CN' }],
    [
      'delivered, logistics, English',
      ticket({ category: 'logistics', language: 'en', status: 'pending' }),
      [shipment({ status: 'delivered', carrierName: 'SF Express' })],
      true,
      { key: 'SH1:delivered', nextStatus: 'solved', locale: 'en-US' },
    ],
  ] as const)('%s', (_name, t, shipments, enabled, want) => {
    const reply = decideShipmentReply(t, order([...shipments]), enabled);
    if (want === null) expect(reply).toBeNull();
    else expect(reply).toMatchObject(want);
  });

  it('names the carrier and tracking number in the customer’s language', () => {
    const zh = decideShipmentReply(ticket(), order([shipment()]), true)!;
    expect(zh.body).toContain('顺丰速运');
    expect(zh.body).toContain('SF1402837465012');
    expect(zh.body).toContain('已发货');
    const en = decideShipmentReply(
      ticket({ language: 'en' }),
      order([shipment({ status: 'delivered', carrierName: 'SF Express' })]),
      true,
    )!;
    expect(en.body).toMatch(
      /SF Express reports your order DS2026111100012 as delivered \(tracking number SF1402837465012\)/,
    );
  });
});
