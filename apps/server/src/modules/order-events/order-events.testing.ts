import type { Order, OrderSummary, ShopAdapter } from '@peakdesk/commerce';
import { DemoShopAdapter } from '@peakdesk/commerce/demo-shop';
import { registerAdapterKind } from '../shops/adapter-registry.ts';
import { StubShop } from '../shops/stub-shop.testing.ts';

/**
 * The adapter kind `test-events` for order-event tests: it verifies deliveries exactly as the demo shop signs
 * them (DemoShopAdapter.parseWebhook, the real code) and answers getOrder and listChangedOrders from an
 * in-memory StubShop, because these tests move one order through chosen states (the real demo shop is
 * exercised by its own adapter tests). One StubShop per connection, selected by the connection's base URL.
 */
export const eventShops = new Map<string, StubShop>();
let seq = 0;

export function createEventShop(): StubShop {
  const stub = new StubShop(`http://events-${++seq}-${process.pid}.test`);
  eventShops.set(stub.baseUrl, stub);
  return stub;
}

function summaryOf(o: Order): OrderSummary {
  return {
    externalId: o.externalId,
    orderNumber: o.orderNumber,
    status: o.status,
    rawStatus: o.rawStatus,
    total: o.totals.total,
    customerId: o.customer.externalId,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    version: o.version,
  };
}

registerAdapterKind('test-events', (connection, secrets) => {
  const stub = eventShops.get(connection.baseUrl);
  if (!stub) throw new Error(`no event shop for ${connection.baseUrl}`);
  const verifier = new DemoShopAdapter({
    baseUrl: connection.baseUrl,
    apiKey: '',
    webhookSecret: secrets.webhookSecret ?? '',
  });
  const adapter: Partial<ShopAdapter> = {
    platform: 'test-events',
    getOrder: (ref) => stub.getOrder(ref),
    listChangedOrders: (since, cursor, limit = 50) => {
      const all = [...stub.orders.values()]
        .filter((o) => o.updatedAt >= since)
        .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
        .map(summaryOf);
      const start = cursor ? Number(cursor) : 0;
      const next = start + limit;
      return Promise.resolve({
        items: all.slice(start, next),
        ...(next < all.length ? { nextCursor: String(next) } : {}),
      });
    },
    parseWebhook: (request) => verifier.parseWebhook(request),
  };
  return adapter as ShopAdapter;
});
