import { createHmac, timingSafeEqual } from 'node:crypto';
import type {
  AddOrderNoteInput,
  Capabilities,
  IssueRefundInput,
  OrderRef,
  SearchOrdersInput,
  ShopAdapter,
  ShopEvent,
  TrackShipmentInput,
  WebhookRequest,
} from './adapter.ts';
import { ShopError, type ShopErrorCode } from './errors.ts';
import { decimalStringToMinor } from './money.ts';
import {
  M_NOTE,
  M_REFUND,
  Q_CUSTOMER,
  Q_NOTE,
  Q_ORDER,
  Q_ORDER_BY_NAME,
  Q_ORDERS,
  SHOPIFY_API_VERSION,
} from './shopify.graphql.ts';
import {
  legacyId,
  mapOrder,
  mapRefund,
  mapSummary,
  toGid,
  type ShOrder,
  type ShOrderSummary,
  type ShRefund,
} from './shopify.mapping.ts';
import { fulfillmentHint, WEBHOOK_TOPICS, webhookOrderRef, type ShWebhookBody } from './shopify.webhook.ts';
import type {
  AfterSale,
  Compensation,
  Member,
  Order,
  OrderNote,
  OrderSummary,
  Page,
  PricePoint,
  Refund,
} from './types.ts';

export { SHOPIFY_API_VERSION } from './shopify.graphql.ts';

/**
 * PeakDesk's adapter for Shopify: the Admin GraphQL API (orders, fulfillments with tracking, refunds, the
 * order note) and webhooks signed with `X-Shopify-Hmac-Sha256`.
 *
 * Shopify cannot be reached from where PeakDesk is developed, so this adapter is tested against recorded
 * payloads written from Shopify's documented shapes (src/fixtures/shopify/), served by a local stub server that
 * also asserts the requests (shopify.stub.ts). Field names follow API version 2026-01; a change in Shopify's
 * schema shows up only against a real shop.
 */
export interface ShopifyAdapterOptions {
  /** `https://<shop>.myshopify.com` (the stub's http://127.0.0.1:<port> in tests). */
  baseUrl: string;
  /** An Admin API access token (custom app), sent as X-Shopify-Access-Token. */
  accessToken: string;
  /** The app's client secret: Shopify signs webhooks with it. */
  webhookSecret: string;
  apiVersion?: string;
  timeoutMs?: number;
}

const CAPABILITIES: Capabilities = {
  sellerInitiatedRefund: true,
  partialAmountRefund: true,
  // Shopify has returnCreate/returnApproveRequest; this adapter does not map returns yet.
  sellerInitiatedReturn: false,
  exchange: false,
  afterSaleResponses: false,
  coupons: false,
  points: false,
  storeCredit: false,
  tracking: true,
  orderNotes: true,
  priceHistory: false,
  platformPriceProtection: false,
  inboundEvents: [
    'order.created',
    'order.updated',
    'order.paid',
    'order.cancelled',
    'order.shipped',
    'shipment.updated',
    'refund.succeeded',
  ],
  piiMasked: false,
  currencies: ['CNY', 'USD', 'EUR', 'HKD'],
};

function escapeSearch(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export class ShopifyAdapter implements ShopAdapter {
  readonly platform = 'shopify';
  private readonly endpoint: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: ShopifyAdapterOptions) {
    const base = options.baseUrl.replace(/\/+$/, '');
    this.endpoint = `${base}/admin/api/${options.apiVersion ?? SHOPIFY_API_VERSION}/graphql.json`;
    this.timeoutMs = options.timeoutMs ?? 3000;
  }

  capabilities(): Promise<Capabilities> {
    return Promise.resolve({ ...CAPABILITIES, inboundEvents: [...CAPABILITIES.inboundEvents] });
  }

  async getOrder(ref: OrderRef): Promise<Order | null> {
    if ('orderId' in ref) {
      const data = await this.gql<{ order: ShOrder | null }>(Q_ORDER, { id: toGid('Order', ref.orderId) });
      return data.order ? mapOrder(data.order) : null;
    }
    // Buyers quote "#1001" or "1001"; the order's name is "#1001" unless the shop set a prefix.
    const name = ref.orderNumber.trim();
    const data = await this.gql<{ orders: { nodes: ShOrder[] } }>(Q_ORDER_BY_NAME, {
      query: `name:${escapeSearch(/^\d+$/.test(name) ? `#${name}` : name)}`,
    });
    const order = data.orders.nodes[0];
    return order ? mapOrder(order) : null;
  }

  async searchOrders(input: SearchOrdersInput): Promise<Page<OrderSummary>> {
    const terms: string[] = [];
    if (input.email) terms.push(`email:${escapeSearch(input.email)}`);
    if (input.phone) terms.push(`phone:${escapeSearch(input.phone)}`);
    if (input.customerId) terms.push(`customer_id:${legacyId(input.customerId)}`);
    if (input.updatedSince) terms.push(`updated_at:>=${escapeSearch(input.updatedSince)}`);
    if (terms.length === 0) {
      throw new ShopError('INVALID_REQUEST', 'Shopify searches orders by email, phone, customer or date');
    }
    return this.orders(terms.join(' AND '), input.cursor, input.limit);
  }

  listChangedOrders(since: string, cursor?: string, limit?: number): Promise<Page<OrderSummary>> {
    return this.orders(`updated_at:>=${escapeSearch(since)}`, cursor, limit);
  }

  /** Shopify finds a parcel only through its order (no lookup by tracking number): pass `orderId`. */
  async trackShipment(input: TrackShipmentInput) {
    if (!input.orderId) {
      throw new ShopError('INVALID_REQUEST', 'Shopify tracks shipments through their order: pass orderId');
    }
    const order = await this.getOrder({ orderId: input.orderId });
    const shipment = order?.shipments.find((s) =>
      input.shipmentId
        ? s.externalId === input.shipmentId
        : input.trackingNumber
          ? s.trackingNumber === input.trackingNumber
          : true,
    );
    if (!shipment) throw new ShopError('NOT_FOUND', 'no such shipment');
    return { shipment, events: shipment.events };
  }

  listAfterSales(orderId: string): Promise<AfterSale[]> {
    return Promise.reject(unsupported(`returns (order ${orderId})`));
  }

  createReturn(): Promise<AfterSale> {
    return Promise.reject(unsupported('returns'));
  }

  respondToAfterSale(): Promise<AfterSale> {
    return Promise.reject(unsupported('after-sale responses'));
  }

  /**
   * refundCreate with Shopify's `@idempotent(key:)` directive (mandatory from 2026-04): a retry with the same
   * key returns the first refund. The money goes back against the order's first successful sale/capture.
   */
  async issueRefund(input: IssueRefundInput): Promise<Refund> {
    const order = await this.getOrder({ orderId: input.orderId });
    if (!order) throw new ShopError('NOT_FOUND', 'no such order');
    const payment = order.payments.find((p) => p.status !== 'pending' && p.status !== 'failed');
    if (!payment) throw new ShopError('REJECTED', 'the order has no captured payment to refund');
    const data = await this.gql<{
      refundCreate: { refund: ShRefund | null; userErrors: { field: string[] | null; message: string }[] };
    }>(M_REFUND, {
      idempotencyKey: input.idempotencyKey,
      input: {
        orderId: order.externalId,
        note: input.reason,
        notify: false,
        transactions: [
          {
            orderId: order.externalId,
            parentId: payment.externalId,
            gateway: payment.method,
            kind: 'REFUND',
            amount: minorToDecimal(input.amount.amountMinor),
          },
        ],
      },
    });
    const { refund, userErrors } = data.refundCreate;
    if (userErrors.length > 0 || !refund) {
      throw new ShopError('REJECTED', userErrors.map((e) => e.message).join('; ') || 'refund refused');
    }
    return mapRefund(refund, order.externalId);
  }

  issueCompensation(): Promise<Compensation> {
    return Promise.reject(unsupported('coupons, points and store credit'));
  }

  /**
   * Shopify has one free-text note per order, visible to staff only: we append a line ending in the
   * idempotency key, so a retry finds its line and writes nothing.
   */
  async addOrderNote(input: AddOrderNoteInput): Promise<OrderNote> {
    if (input.visibility !== 'internal') throw unsupported('notes the buyer can see');
    const id = toGid('Order', input.orderId);
    const marker = `[pd:${input.idempotencyKey}]`;
    const current = await this.gql<{ order: { id: string; note: string | null; updatedAt: string } | null }>(
      Q_NOTE,
      { id },
    );
    if (!current.order) throw new ShopError('NOT_FOUND', 'no such order');
    const note = current.order.note ?? '';
    let updatedAt = current.order.updatedAt;
    if (!note.includes(marker)) {
      const line = `${input.body} ${marker}`;
      const data = await this.gql<{
        orderUpdate: { order: { updatedAt: string } | null; userErrors: { message: string }[] };
      }>(M_NOTE, { input: { id, note: note ? `${note}\n${line}` : line } });
      if (data.orderUpdate.userErrors.length > 0 || !data.orderUpdate.order) {
        throw new ShopError('REJECTED', data.orderUpdate.userErrors.map((e) => e.message).join('; '));
      }
      updatedAt = data.orderUpdate.order.updatedAt;
    }
    return {
      externalId: `${id}#${marker}`,
      orderId: id,
      body: input.body,
      visibility: 'internal',
      createdAt: updatedAt,
    };
  }

  getPriceHistory(): Promise<PricePoint[]> {
    return Promise.reject(unsupported('price history'));
  }

  /** Shopify core has no tiers or points: a customer is a regular member with their store-credit balance. */
  async getMember(customerId: string): Promise<Member | null> {
    const data = await this.gql<{
      customer: {
        id: string;
        displayName: string;
        createdAt: string;
        storeCreditAccounts: { nodes: { balance: { amount: string; currencyCode: string } }[] };
      } | null;
    }>(Q_CUSTOMER, { id: toGid('Customer', customerId) });
    const c = data.customer;
    if (!c) return null;
    const balance = c.storeCreditAccounts.nodes[0]?.balance;
    return {
      externalId: c.id,
      displayName: c.displayName,
      tier: 'regular',
      rawTier: '',
      pointsBalance: 0,
      storeCredit: balance
        ? { amountMinor: decimalStringToMinor(balance.amount), currency: balance.currencyCode }
        : { amountMinor: 0, currency: CAPABILITIES.currencies[0]! },
      joinedAt: c.createdAt,
    };
  }

  /**
   * `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of the raw body with the app's secret, compared in
   * constant time. `X-Shopify-Webhook-Id` is the same on every retry of a delivery, so it is the event id.
   * Shopify signs no timestamp: replays are stopped by the event-id dedupe, not by a time window.
   */
  parseWebhook(request: WebhookRequest): ShopEvent[] {
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const given = Buffer.from(header('x-shopify-hmac-sha256') ?? '', 'base64');
    const expected = createHmac('sha256', this.options.webhookSecret).update(request.rawBody).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ShopError('BAD_SIGNATURE', 'the webhook HMAC does not match');
    }
    const topic = header('x-shopify-topic') ?? '';
    const eventId = header('x-shopify-webhook-id') ?? header('x-shopify-event-id');
    const type = WEBHOOK_TOPICS[topic];
    if (!type) throw new ShopError('INVALID_REQUEST', `unsupported webhook topic "${topic}"`);
    if (!eventId) throw new ShopError('INVALID_REQUEST', 'the webhook has no X-Shopify-Webhook-Id');
    let body: ShWebhookBody;
    try {
      body = JSON.parse(request.rawBody.toString()) as ShWebhookBody;
    } catch (error) {
      throw new ShopError('INVALID_REQUEST', 'the webhook body is not JSON', { cause: error });
    }
    const occurredAt =
      header('x-shopify-triggered-at') ??
      body.updated_at ??
      body.created_at ??
      (request.now ?? new Date()).toISOString();
    const shipment = topic.startsWith('fulfillments/') ? fulfillmentHint(body) : undefined;
    return [
      {
        eventId,
        type,
        occurredAt,
        ...webhookOrderRef(topic, body),
        ...(shipment ? { shipment } : {}),
        rawType: topic,
        raw: body,
      },
    ];
  }

  private async orders(query: string, cursor?: string, limit?: number): Promise<Page<OrderSummary>> {
    const data = await this.gql<{
      orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: ShOrderSummary[] };
    }>(Q_ORDERS, { query, first: Math.min(Math.max(limit ?? 50, 1), 250), after: cursor ?? null });
    const { pageInfo, nodes } = data.orders;
    return {
      items: nodes.map(mapSummary),
      ...(pageInfo.hasNextPage && pageInfo.endCursor ? { nextCursor: pageInfo.endCursor } : {}),
    };
  }

  private async gql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-shopify-access-token': this.options.accessToken,
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new ShopError('TIMEOUT', `Shopify did not answer within ${this.timeoutMs} ms`, {
          cause: error,
        });
      }
      throw new ShopError('UNAVAILABLE', `Shopify cannot be reached: ${(error as Error).message}`, {
        cause: error,
      });
    }
    let json: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] | string };
    try {
      json = (await response.json()) as typeof json;
    } catch (error) {
      throw new ShopError('UNAVAILABLE', `unreadable answer from Shopify (${response.status})`, {
        status: response.status,
        cause: error,
      });
    }
    if (!response.ok) {
      const code: ShopErrorCode =
        response.status === 401 || response.status === 403
          ? 'UNAUTHORIZED'
          : response.status === 429
            ? 'RATE_LIMITED'
            : response.status >= 500
              ? 'UNAVAILABLE'
              : 'INVALID_REQUEST';
      const message = typeof json.errors === 'string' ? json.errors : `Shopify answered ${response.status}`;
      throw new ShopError(code, message, { status: response.status });
    }
    // GraphQL answers 200 with `errors` for throttling (cost limit) and query errors.
    if (Array.isArray(json.errors) && json.errors.length > 0) {
      const raw = json.errors[0]!.extensions?.code;
      const code: ShopErrorCode =
        raw === 'THROTTLED' ? 'RATE_LIMITED' : raw === 'ACCESS_DENIED' ? 'UNAUTHORIZED' : 'INVALID_REQUEST';
      throw new ShopError(code, json.errors.map((e) => e.message).join('; '), {
        status: response.status,
        ...(raw ? { rawCode: raw } : {}),
      });
    }
    if (!json.data) throw new ShopError('UNAVAILABLE', 'Shopify answered without data');
    return json.data;
  }
}

function unsupported(what: string): ShopError {
  return new ShopError('UNSUPPORTED', `the Shopify adapter does not support ${what}`);
}

/** 12345 → "123.45" (Shopify's decimal input); exact, no float. */
export function minorToDecimal(amountMinor: number): string {
  const sign = amountMinor < 0 ? '-' : '';
  const abs = Math.abs(amountMinor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
