import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeChangeCursor, pageOfChanges } from './vendure.changes.ts';
import { couponCodeFor } from './vendure.coupons.ts';
import {
  carrierCode,
  idempotencyKeyOf,
  mapSummary,
  orderStatus,
  orderVersion,
  withIdempotencyKey,
  withoutIdempotencyKey,
  type VSummary,
} from './vendure.mapping.ts';
import { parseVendureWebhook, vendureEventType } from './vendure.webhook.ts';

describe('Vendure mapping', () => {
  it.each([
    ['ArrangingPayment', false, 'pending_payment'],
    ['PaymentAuthorized', true, 'paid'],
    ['PaymentSettled', true, 'paid'],
    ['PartiallyShipped', true, 'partially_shipped'],
    ['Shipped', true, 'shipped'],
    ['PartiallyDelivered', true, 'shipped'],
    ['Delivered', true, 'delivered'],
    ['Cancelled', true, 'cancelled'],
    ['AwaitingPickup', true, 'paid'],
    ['AwaitingQuote', false, 'pending_payment'],
  ] as const)('maps order state %s (placed: %s) to %s', (state, placed, expected) => {
    expect(orderStatus(state, placed)).toBe(expected);
  });

  it.each([
    ['SF Express', 'sf'],
    ['DHL Express', 'dhl'],
    [' UPS ', 'ups'],
    ['Royal Mail', 'royalmail'],
    ['Österreichische Post', 'sterreichische-post'],
    ['???', 'unknown'],
  ])('derives carrier code %s → %s', (method, code) => {
    expect(carrierCode(method)).toBe(code);
  });

  it('records an idempotency key at the end of a text and reads it back', () => {
    const text = withIdempotencyKey('Late delivery', 'ticket:42:refund[1]');
    expect(idempotencyKeyOf(text)).toBe('ticket:42:refund_1_');
    expect(withoutIdempotencyKey(text)).toBe('Late delivery');
    expect(idempotencyKeyOf('Late delivery')).toBeUndefined();
    expect(withoutIdempotencyKey(null)).toBe('');
  });

  it('versions an order by its newest history entry', () => {
    const history = (ids: string[]) => ({
      updatedAt: '2026-11-11T00:00:00.000Z',
      history: { items: ids.map((id) => ({ id, createdAt: '', type: 'ORDER_NOTE', data: {} })) },
    });
    expect(orderVersion(history(['3', '17', '9']))).toBe(17);
    expect(orderVersion(history([]))).toBe(Date.parse('2026-11-11T00:00:00.000Z'));
  });

  it('versions a summary like its order, so reconciliation knows a change it has seen', () => {
    const summary = {
      id: '5',
      code: 'ABC',
      state: 'Shipped',
      createdAt: '2026-11-11T00:00:00.000Z',
      updatedAt: '2026-11-11T00:00:05.000Z',
      orderPlacedAt: '2026-11-11T00:00:00.000Z',
      currencyCode: 'USD',
      totalWithTax: 100,
      customer: { id: '1' },
      history: { items: [{ id: '77' }] },
    };
    expect(mapSummary(summary).version).toBe(77);
  });

  it('derives a stable coupon code per key', () => {
    expect(couponCodeFor('t:1:coupon')).toBe(couponCodeFor('t:1:coupon'));
    expect(couponCodeFor('t:1:coupon')).not.toBe(couponCodeFor('t:2:coupon'));
    expect(couponCodeFor('t:1:coupon')).toMatch(/^PD-[0-9A-F]{12}$/);
  });
});

describe('Vendure webhooks', () => {
  it.each([
    ['ORDER_STATE_TRANSITION', { to: 'ArrangingPayment' }, 'order.created'],
    ['ORDER_STATE_TRANSITION', { to: 'PaymentSettled' }, 'order.paid'],
    ['ORDER_STATE_TRANSITION', { to: 'Shipped' }, 'order.shipped'],
    ['ORDER_STATE_TRANSITION', { to: 'Delivered' }, 'shipment.updated'],
    ['ORDER_STATE_TRANSITION', { to: 'Cancelled' }, 'order.cancelled'],
    ['ORDER_STATE_TRANSITION', { to: 'Modifying' }, 'order.updated'],
    ['ORDER_FULFILLMENT_TRANSITION', { to: 'Shipped' }, 'shipment.updated'],
    ['ORDER_REFUND_TRANSITION', { to: 'Settled' }, 'refund.succeeded'],
    ['ORDER_REFUND_TRANSITION', { to: 'Pending' }, 'order.updated'],
    ['ORDER_NOTE', { note: 'x' }, 'order.updated'],
  ] as const)('normalises %s %j as %s', (topic, data, type) => {
    expect(vendureEventType(topic, data)).toBe(type);
  });

  const secret = 'unit-secret';
  const now = new Date('2026-11-11T00:00:10Z');
  const body = JSON.stringify({
    id: 'vendure-history-77',
    topic: 'ORDER_FULFILLMENT_TRANSITION',
    occurredAt: '2026-11-11T00:00:05.000Z',
    order: { id: '5', code: 'ABC', state: 'Shipped', updatedAt: '2026-11-11T00:00:05.000Z', version: 77 },
    data: {
      fulfillmentId: 3,
      from: 'Pending',
      to: 'Shipped',
      fulfillment: { id: '3', method: 'UPS', trackingCode: '1Z9' },
    },
  });
  const signed = (raw: string, timestamp = Math.floor(now.getTime() / 1000), key = secret) => ({
    'x-peakdesk-timestamp': String(timestamp),
    'x-peakdesk-signature': `sha256=${createHmac('sha256', key).update(`${timestamp}.${raw}`).digest('hex')}`,
  });

  it('accepts a correctly signed event and carries the parcel hint', () => {
    const [event] = parseVendureWebhook(
      { headers: signed(body), rawBody: Buffer.from(body), now },
      secret,
      300,
    );
    expect(event).toMatchObject({
      eventId: 'vendure-history-77',
      type: 'shipment.updated',
      orderId: '5',
      orderNumber: 'ABC',
      orderVersion: 77,
      shipment: { shipmentId: '3', carrierCode: 'ups', trackingNumber: '1Z9', status: 'in_transit' },
    });
  });

  it.each([
    ['a tampered body', { headers: signed(body), rawBody: body.replace('1Z9', '1Z8') }],
    ['another secret', { headers: signed(body, undefined, 'other'), rawBody: body }],
    [
      'no signature',
      { headers: { 'x-peakdesk-timestamp': signed(body)['x-peakdesk-timestamp'] }, rawBody: body },
    ],
    ['an old timestamp', { headers: signed(body, Math.floor(now.getTime() / 1000) - 301), rawBody: body }],
  ])('rejects %s as a bad signature', (_case, request) => {
    expect(() => parseVendureWebhook({ ...request, now }, secret, 300)).toThrow(
      expect.objectContaining({ code: 'BAD_SIGNATURE' }) as Error,
    );
  });
});

describe('Vendure change paging', () => {
  const orders: VSummary[] = ['1', '2', '3', '4', '5'].map((id, i) => ({
    id,
    code: `C${id}`,
    state: 'Delivered',
    createdAt: '2026-11-11T00:00:00.000Z',
    // Three orders share one second, as Vendure's one-second timestamps make common.
    updatedAt: i < 3 ? '2026-11-11T00:00:01.000Z' : `2026-11-11T00:00:0${i}.000Z`,
    orderPlacedAt: '2026-11-11T00:00:00.000Z',
    currencyCode: 'USD',
    totalWithTax: 100,
    customer: { id: '1' },
    history: { items: [{ id: String(40 + i) }] },
  }));
  const fetchChanges = async (after: string, take: number) => {
    const matching = orders.filter((o) => o.updatedAt > after);
    return { items: matching.slice(0, take), totalItems: matching.length };
  };

  it('pages through ties at one second without repeating or skipping an order', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await pageOfChanges('2026-11-11T00:00:01.400Z', cursor, 2, fetchChanges);
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['1', '2', '3', '4', '5']);
  });

  it('refuses a cursor it did not make', async () => {
    await expect(pageOfChanges('2026-11-11T00:00:00Z', 'bm9wZQ', 2, fetchChanges)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(() => decodeChangeCursor('e30')).toThrow();
  });
});
