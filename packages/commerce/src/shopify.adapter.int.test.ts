import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeShopAdapterContract } from './contract/shop-adapter.contract.ts';
import { ShopifyAdapter } from './shopify.adapter.ts';
import { startShopifyStub, type ShopifyStub } from './shopify.stub.ts';

/**
 * Shopify cannot be reached from here: these tests run the adapter against a local stub (shopify.stub.ts)
 * serving recorded payloads written from Shopify's documented shapes, and asserting every request.
 */
let stub: ShopifyStub;
let adapter: ShopifyAdapter;

beforeAll(async () => {
  stub = await startShopifyStub({ orders: 60 });
  adapter = new ShopifyAdapter({
    baseUrl: stub.url,
    accessToken: stub.token,
    webhookSecret: 's',
    timeoutMs: 5000,
  });
});
afterAll(async () => {
  expect(stub.failures).toEqual([]);
  await stub.close();
});

describe('ShopifyAdapter against the recorded-payload stub', () => {
  it('finds an order by the number the buyer quotes, with or without #', async () => {
    const a = await adapter.getOrder({ orderNumber: '#1001' });
    const b = await adapter.getOrder({ orderNumber: '1001' });
    expect(a?.externalId).toBe('gid://shopify/Order/5712345678901');
    expect(b).toEqual(a);
    expect(stub.requests.at(-1)).toMatchObject({
      operation: 'PeakDeskOrderByName',
      variables: { query: 'name:"#1001"' },
    });
  });

  it("finds a customer's orders by email", async () => {
    const page = await adapter.searchOrders({ email: 'customer3@example.com', limit: 5 });
    expect(page.items.length).toBe(5);
    expect(new Set(page.items.map((s) => s.customerId))).toEqual(
      new Set(['gid://shopify/Customer/7012345678904']),
    );
    expect(page.nextCursor).toBeDefined();
  });

  it('tracks a shipment through its order', async () => {
    const order = (await adapter.getOrder({ orderNumber: '#1001' }))!;
    const { shipment } = await adapter.trackShipment({
      orderId: order.externalId,
      trackingNumber: 'SF1402837465012',
    });
    expect(shipment.carrierCode).toBe('sf');
    await expect(adapter.trackShipment({ trackingNumber: 'SF1402837465012' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
  });

  it('says what it cannot do instead of pretending', async () => {
    const capabilities = await adapter.capabilities();
    expect(capabilities).toMatchObject({
      sellerInitiatedRefund: true,
      sellerInitiatedReturn: false,
      points: false,
    });
    await expect(adapter.listAfterSales('gid://shopify/Order/5712345678901')).rejects.toMatchObject({
      code: 'UNSUPPORTED',
    });
  });

  it('maps a wrong access token to UNAUTHORIZED', async () => {
    const wrong = new ShopifyAdapter({ baseUrl: stub.url, accessToken: 'shpat_wrong', webhookSecret: 's' });
    await expect(wrong.getOrder({ orderNumber: '#1001' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      isRetryable: false,
    });
  });

  it('maps an unreachable shop to a retryable error', async () => {
    const down = new ShopifyAdapter({
      baseUrl: 'http://127.0.0.1:9',
      accessToken: 'x',
      webhookSecret: 's',
      timeoutMs: 500,
    });
    await expect(down.getOrder({ orderNumber: '#1001' })).rejects.toMatchObject({ isRetryable: true });
  });
});

// Shopify finds parcels only through their order, and this adapter maps no returns (capabilities say so).
describeShopAdapterContract('shopify (recorded payloads)', () => adapter, '2026-11-01T00:00:00Z', {
  skip: [
    'tracks a shipment by its tracking number',
    'opens a return once per key and moves it through approval states',
  ],
});
