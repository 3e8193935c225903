import {
  ShopError,
  type Order,
  type OrderRef,
  type OrderSummary,
  type ShopAdapter,
} from '@peakdesk/commerce';
import { registerAdapterKind } from './adapter-registry.ts';

/**
 * A controllable shop for tests of PeakDesk's own resilience (cache, coalescing, timeouts, breaker): the real
 * demo shop cannot be made to hang on exactly the third call, so these tests use this one, registered as the
 * adapter kind `test-stub`. One controller per connection, keyed by the connection's base URL.
 */
export class StubShop {
  calls = 0;
  mode: 'ok' | 'hang' | 'fail' | 'gate' = 'ok';
  orders = new Map<string, Order>();
  private gate: { promise: Promise<void>; open: () => void } | undefined;
  private readonly hanging: (() => void)[] = [];

  constructor(readonly baseUrl: string) {}

  /** Holds every getOrder until `release()`. */
  hold(): void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
    this.mode = 'gate';
  }

  release(): void {
    this.mode = 'ok';
    this.gate?.open();
  }

  /** Lets calls that were left hanging finish (test teardown). */
  unhang(): void {
    for (const done of this.hanging.splice(0)) done();
  }

  async getOrder(ref: OrderRef): Promise<Order | null> {
    this.calls += 1;
    if (this.mode === 'fail') throw new ShopError('UNAVAILABLE', 'stub shop is down');
    if (this.mode === 'hang') await new Promise<void>((resolve) => this.hanging.push(resolve));
    if (this.mode === 'gate') await this.gate!.promise;
    const found =
      'orderId' in ref
        ? this.orders.get(ref.orderId)
        : [...this.orders.values()].find((o) => o.orderNumber === ref.orderNumber);
    return found ?? null;
  }

  searchOrders(customerId: string): OrderSummary[] {
    return [...this.orders.values()]
      .filter((o) => o.customer.externalId === customerId)
      .map((o) => ({
        externalId: o.externalId,
        orderNumber: o.orderNumber,
        status: o.status,
        rawStatus: o.rawStatus,
        total: o.totals.total,
        customerId,
        createdAt: o.createdAt,
        updatedAt: o.updatedAt,
        version: o.version,
      }));
  }
}

const stubs = new Map<string, StubShop>();
let counter = 0;

/** A new stub and the base URL that selects it (`http://stub-N.test`; never contacted). */
export function createStubShop(): StubShop {
  const stub = new StubShop(`http://stub-${++counter}-${process.pid}.test`);
  stubs.set(stub.baseUrl, stub);
  return stub;
}

function unsupported(): never {
  throw new ShopError('UNSUPPORTED', 'not in the stub');
}

registerAdapterKind('test-stub', (connection) => {
  const stub = stubs.get(connection.baseUrl);
  if (!stub) throw new Error(`no stub shop for ${connection.baseUrl}`);
  const adapter: ShopAdapter = {
    platform: 'test-stub',
    capabilities: () => unsupported(),
    getOrder: (ref) => stub.getOrder(ref),
    searchOrders: (input) => Promise.resolve({ items: stub.searchOrders(input.customerId ?? '') }),
    listChangedOrders: () => unsupported(),
    trackShipment: () => unsupported(),
    listAfterSales: () => unsupported(),
    createReturn: () => unsupported(),
    respondToAfterSale: () => unsupported(),
    issueRefund: () => unsupported(),
    issueCompensation: () => unsupported(),
    addOrderNote: () => unsupported(),
    getPriceHistory: () => unsupported(),
    getMember: () => unsupported(),
    parseWebhook: () => unsupported(),
  };
  return adapter;
});

/** A complete normalised order with one shipment and its tracking events. */
export function stubOrder(overrides: Partial<Order> = {}): Order {
  const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
  return {
    externalId: 'ord-1',
    orderNumber: 'DS202611110000001',
    status: 'shipped',
    rawStatus: 'WAIT_BUYER_CONFIRM_GOODS',
    currency: 'CNY',
    createdAt: '2026-11-11T00:05:00.000Z',
    updatedAt: '2026-11-11T09:00:00.000Z',
    paidAt: '2026-11-11T00:06:00.000Z',
    customer: {
      externalId: 'M1001',
      displayName: '王小明',
      phone: { value: '13800000001', masked: false },
      email: { value: 'wang@example.cn', masked: false },
    },
    shippingAddress: {
      name: { value: '王小明', masked: false },
      phone: { value: '13800000001', masked: false },
      province: '上海市',
      city: '上海市',
      district: '浦东新区',
      street: { value: '世纪大道 100 号', masked: false },
      countryCode: 'CN',
    },
    lines: [
      {
        externalId: 'l1',
        sku: 'SKU-1',
        title: '羽绒服',
        quantity: 1,
        listUnitPrice: cny(59900),
        paidUnitPrice: cny(49900),
        discount: cny(10000),
        total: cny(49900),
        refundedQuantity: 0,
      },
    ],
    totals: {
      subtotal: cny(59900),
      discount: cny(10000),
      shipping: cny(0),
      total: cny(49900),
      paid: cny(49900),
      refunded: cny(0),
    },
    payments: [],
    shipments: [
      {
        externalId: 's1',
        orderId: 'ord-1',
        carrierCode: 'sf',
        carrierName: '顺丰速运',
        trackingNumber: 'SF1234567890123',
        status: 'in_transit',
        rawStatus: 'TRANSIT',
        events: [
          {
            occurredAt: '2026-11-11T08:00:00.000Z',
            kind: 'picked_up',
            description: '已揽收',
            rawStatus: 'PICKUP',
          },
        ],
      },
    ],
    afterSales: [],
    couponCodes: [],
    version: 4,
    ...overrides,
  };
}
