import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ShopifyAdapter } from './shopify.adapter.ts';
import { carrierCode, mapOrder, orderStatus, type ShOrder } from './shopify.mapping.ts';
import { shopifyFixture } from './shopify.stub.ts';

/** Recorded payloads written from Shopify's documented shapes (fixtures/shopify); no shop is called. */
const order = () => JSON.parse(shopifyFixture('order-1001.graphql.json')) as ShOrder;

describe('Shopify order mapping', () => {
  it('converts decimal-string money to minor units and keeps Shopify ids and statuses', () => {
    const mapped = mapOrder(order());
    expect(mapped.externalId).toBe('gid://shopify/Order/5712345678901');
    expect(mapped.orderNumber).toBe('#1001');
    expect(mapped.rawStatus).toBe('PAID/FULFILLED');
    expect(mapped.status).toBe('shipped');
    expect(mapped.totals.total).toEqual({ amountMinor: 87900, currency: 'CNY' });
    expect(mapped.totals.discount.amountMinor).toBe(10980);
    expect(mapped.lines.map((l) => [l.paidUnitPrice.amountMinor, l.total.amountMinor])).toEqual([
      [79900, 79900],
      [3500, 7000],
    ]);
    expect(
      mapped.lines.reduce((s, l) => s + l.total.amountMinor, 0) + mapped.totals.shipping.amountMinor,
    ).toBe(mapped.totals.total.amountMinor);
    expect(mapped.version).toBe(Date.parse('2026-11-12T09:41:07Z'));
  });

  it('maps a fulfillment to a shipment with carrier, tracking number and events oldest first', () => {
    const [shipment] = mapOrder(order()).shipments;
    expect(shipment).toMatchObject({
      carrierCode: 'sf',
      carrierName: 'SF Express',
      trackingNumber: 'SF1402837465012',
      status: 'in_transit',
      rawStatus: 'IN_TRANSIT',
    });
    expect(shipment!.events.map((e) => e.kind)).toEqual(['picked_up', 'departed']);
    expect(shipment!.events[0]!.location).toBe('浙江 杭州');
  });

  it.each([
    [{ cancelledAt: '2026-11-12T00:00:00Z' }, 'cancelled'],
    [{ displayFinancialStatus: 'PENDING', displayFulfillmentStatus: 'UNFULFILLED' }, 'pending_payment'],
    [{ displayFinancialStatus: 'PAID', displayFulfillmentStatus: 'UNFULFILLED' }, 'paid'],
    [{ displayFulfillmentStatus: 'PARTIALLY_FULFILLED' }, 'partially_shipped'],
    [{ closedAt: '2026-11-20T00:00:00Z' }, 'completed'],
    [{ displayFinancialStatus: 'REFUNDED' }, 'closed'],
  ] as const)("derives one status from Shopify's two: %j → %s", (patch, expected) => {
    expect(orderStatus({ ...order(), ...patch })).toBe(expected);
  });

  it('calls an order delivered only when every live fulfillment is delivered', () => {
    const o = order();
    o.fulfillments[0]!.deliveredAt = '2026-11-13T07:02:44Z';
    expect(mapOrder(o).status).toBe('delivered');
    o.fulfillments.push({
      ...o.fulfillments[0]!,
      id: 'gid://shopify/Fulfillment/2',
      deliveredAt: null,
      displayStatus: 'IN_TRANSIT',
    });
    expect(mapOrder(o).status).toBe('shipped');
  });

  it.each([
    ['SF Express', 'sf'],
    ['ZTO Express', 'zto'],
    ['Some Local Courier', 'some-local-courier'],
    [null, 'unknown'],
  ])('carrier %s → %s', (company, code) => {
    expect(carrierCode(company)).toBe(code);
  });
});

describe('Shopify webhooks', () => {
  const secret = 'shopify-app-client-secret';
  const adapter = new ShopifyAdapter({
    baseUrl: 'http://127.0.0.1:9',
    accessToken: 'x',
    webhookSecret: secret,
  });
  const sign = (body: string) => createHmac('sha256', secret).update(body).digest('base64');
  const request = (
    topic: string,
    body: string,
    hmac = sign(body),
    id = 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
  ) => ({
    headers: {
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': hmac,
      'x-shopify-webhook-id': id,
      'x-shopify-triggered-at': '2026-11-12T09:41:08.123Z',
    },
    rawBody: Buffer.from(body),
  });

  it.each([
    ['orders/updated', 'webhook-orders-updated.json', 'order.updated', Date.parse('2026-11-12T09:41:07Z')],
    ['fulfillments/update', 'webhook-fulfillments-update.json', 'shipment.updated', undefined],
    ['refunds/create', 'webhook-refunds-create.json', 'refund.succeeded', undefined],
  ])('verifies and normalises %s', (topic, file, type, version) => {
    const [event] = adapter.parseWebhook(request(topic, shopifyFixture(file)));
    expect(event).toMatchObject({
      eventId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      type,
      rawType: topic,
      orderId: 'gid://shopify/Order/5712345678901',
      occurredAt: '2026-11-12T09:41:08.123Z',
    });
    expect(event!.orderVersion).toBe(version);
  });

  it('reads the parcel hint of a fulfillment webhook', () => {
    const [event] = adapter.parseWebhook(
      request('fulfillments/update', shopifyFixture('webhook-fulfillments-update.json')),
    );
    expect(event!.shipment).toEqual({
      shipmentId: 'gid://shopify/Fulfillment/4412345678901',
      carrierCode: 'sf',
      trackingNumber: 'SF1402837465012',
      status: 'delivered',
      rawStatus: 'delivered',
    });
  });

  it('refuses a tampered body, a wrong secret and a missing signature', () => {
    const body = shopifyFixture('webhook-orders-updated.json');
    const tampered = body.replace('"879.00"', '"1.00"');
    expect(() => adapter.parseWebhook(request('orders/updated', tampered, sign(body)))).toThrow(/HMAC/);
    const wrong = createHmac('sha256', 'other').update(body).digest('base64');
    expect(() => adapter.parseWebhook(request('orders/updated', body, wrong))).toThrow(/HMAC/);
    expect(() => adapter.parseWebhook(request('orders/updated', body, ''))).toThrow(/HMAC/);
  });

  it('refuses a topic it does not know rather than guessing', () => {
    const body = '{"id":1}';
    expect(() => adapter.parseWebhook(request('products/update', body))).toThrow(/unsupported webhook topic/);
  });
});
