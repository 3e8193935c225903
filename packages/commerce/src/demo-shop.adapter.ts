import { createHmac, timingSafeEqual } from 'node:crypto';
import type {
  AddOrderNoteInput,
  Capabilities,
  CreateReturnInput,
  IssueCompensationInput,
  IssueRefundInput,
  OrderRef,
  PriceHistoryInput,
  RespondToAfterSaleInput,
  SearchOrdersInput,
  ShopAdapter,
  ShopEvent,
  ShopEventType,
  ShipmentHint,
  TrackShipmentInput,
  WebhookRequest,
} from './adapter.ts';
import {
  mapAfterSale,
  mapOrder,
  mapRefund,
  mapShipment,
  mapSummary,
  memberTier,
  type DsAfterSale,
  type DsMember,
  type DsOrder,
  type DsRefund,
  type DsShipment,
  type DsSummary,
} from './demo-shop.mapping.ts';
import { ShopError, type ShopErrorCode } from './errors.ts';
import type {
  AfterSale,
  Compensation,
  Member,
  Money,
  Order,
  OrderNote,
  OrderSummary,
  Page,
  PriceKind,
  PricePoint,
  Refund,
  ShipmentStatus,
} from './types.ts';

export interface DemoShopAdapterOptions {
  /** e.g. http://127.0.0.1:3100 */
  baseUrl: string;
  apiKey: string;
  /** DEMO_SHOP_WEBHOOK_SECRET of the shop, to verify inbound events. */
  webhookSecret: string;
  /** Per call; a slow shop must never hold a caller longer than this. */
  timeoutMs?: number;
  /** Largest accepted clock difference for signed events, in seconds (replay window). */
  webhookToleranceSeconds?: number;
}

const ERROR_CODES: Record<string, ShopErrorCode> = {
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHORIZED: 'UNAUTHORIZED',
  VALIDATION_FAILED: 'INVALID_REQUEST',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_CONFLICT',
  INVALID_TRANSITION: 'REJECTED',
  REFUND_EXCEEDS_REFUNDABLE: 'REJECTED',
  ORDER_NOT_PAID: 'REJECTED',
  UNPROCESSABLE: 'REJECTED',
  SURGE_RUNNING: 'REJECTED',
  CHAOS_FAILURE: 'UNAVAILABLE',
};

/**
 * PeakDesk's adapter for the demo shop's HTTP API (apps/demo-shop). Every call has a timeout and fails with a
 * `ShopError` whose code says whether a retry may help; caching, coalescing and the circuit breaker are the
 * caller's (PeakDesk's) job, so that they work the same for every platform.
 */
export class DemoShopAdapter implements ShopAdapter {
  readonly platform = 'demo-shop';
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly toleranceSeconds: number;

  constructor(private readonly options: DemoShopAdapterOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.toleranceSeconds = options.webhookToleranceSeconds ?? 300;
  }

  async capabilities(): Promise<Capabilities> {
    const c = await this.call<Capabilities & { platform: string }>('GET', '/api/capabilities');
    const { platform: _platform, ...capabilities } = c;
    return capabilities;
  }

  async getOrder(ref: OrderRef): Promise<Order | null> {
    const path =
      'orderId' in ref
        ? `/api/orders/${encodeURIComponent(ref.orderId)}`
        : `/api/orders/by-number/${encodeURIComponent(ref.orderNumber)}`;
    try {
      return mapOrder(await this.call<DsOrder>('GET', path));
    } catch (error) {
      if (error instanceof ShopError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  async searchOrders(input: SearchOrdersInput): Promise<Page<OrderSummary>> {
    const query = new URLSearchParams();
    if (input.email) query.set('email', input.email);
    if (input.phone) query.set('phone', input.phone);
    if (input.buyerNick) query.set('nick', input.buyerNick);
    if (input.customerId) query.set('memberId', input.customerId);
    if (input.updatedSince) query.set('updatedSince', input.updatedSince);
    if (input.cursor) query.set('cursor', input.cursor);
    if (input.limit) query.set('limit', String(input.limit));
    return this.page(`/api/orders?${query.toString()}`);
  }

  async listChangedOrders(since: string, cursor?: string, limit?: number): Promise<Page<OrderSummary>> {
    const query = new URLSearchParams({ since });
    if (cursor) query.set('cursor', cursor);
    if (limit) query.set('limit', String(limit));
    return this.page(`/api/orders/changes?${query.toString()}`);
  }

  async trackShipment(input: TrackShipmentInput) {
    const query = new URLSearchParams();
    if (input.trackingNumber) query.set('trackingNumber', input.trackingNumber);
    if (input.carrierCode) query.set('carrierCode', input.carrierCode);
    if (input.orderId) query.set('orderId', input.orderId);
    if (!input.trackingNumber && !input.orderId) {
      throw new ShopError('INVALID_REQUEST', 'trackShipment needs a tracking number or an order id');
    }
    const { shipments } = await this.call<{ shipments: DsShipment[] }>(
      'GET',
      `/api/shipments/track?${query.toString()}`,
    );
    const found = input.shipmentId
      ? shipments.find((s) => s.id === input.shipmentId)
      : shipments[shipments.length - 1];
    if (!found) throw new ShopError('NOT_FOUND', 'no such shipment');
    const shipment = mapShipment(found);
    return { shipment, events: shipment.events };
  }

  async listAfterSales(orderId: string): Promise<AfterSale[]> {
    const { items } = await this.call<{ items: DsAfterSale[] }>(
      'GET',
      `/api/orders/${encodeURIComponent(orderId)}/aftersales`,
    );
    return items.map(mapAfterSale);
  }

  async createReturn(input: CreateReturnInput): Promise<AfterSale> {
    const created = await this.call<DsAfterSale>(
      'POST',
      `/api/orders/${encodeURIComponent(input.orderId)}/aftersales`,
      {
        kind: input.kind,
        lines: input.lines,
        reason: input.reason,
        initiatedBy: 'seller',
        idempotencyKey: input.idempotencyKey,
      },
    );
    return mapAfterSale(created);
  }

  async respondToAfterSale(input: RespondToAfterSaleInput): Promise<AfterSale> {
    if (input.expectedStatus) {
      // The demo shop has no version lock on after-sales; check the state the caller decided on instead.
      const current = mapAfterSale(
        await this.call<DsAfterSale>('GET', `/api/aftersales/${encodeURIComponent(input.afterSaleId)}`),
      );
      if (current.status !== input.expectedStatus) {
        throw new ShopError('REJECTED', `the after-sale is ${current.status}, not ${input.expectedStatus}`);
      }
    }
    const updated = await this.call<DsAfterSale>(
      'POST',
      `/api/aftersales/${encodeURIComponent(input.afterSaleId)}/actions`,
      {
        action: input.action,
        ...(input.note ? { note: input.note } : {}),
        idempotencyKey: input.idempotencyKey,
      },
    );
    return mapAfterSale(updated);
  }

  async issueRefund(input: IssueRefundInput): Promise<Refund> {
    const refund = await this.call<DsRefund>(
      'POST',
      `/api/orders/${encodeURIComponent(input.orderId)}/refunds`,
      {
        amount: input.amount,
        reason: input.reason,
        ...(input.afterSaleId ? { afterSaleId: input.afterSaleId } : {}),
        ...(input.orderLineId ? { orderLineId: input.orderLineId } : {}),
        idempotencyKey: input.idempotencyKey,
      },
    );
    return mapRefund(refund);
  }

  async issueCompensation(input: IssueCompensationInput): Promise<Compensation> {
    const c = await this.call<{
      id: string;
      memberId: string;
      kind: Compensation['kind'];
      amount: Money | null;
      points: number | null;
      couponCode: string | null;
      createdAt: string;
    }>('POST', `/api/members/${encodeURIComponent(input.customerId)}/compensations`, {
      kind: input.kind,
      ...(input.amount ? { amount: input.amount } : {}),
      ...(input.points ? { points: input.points } : {}),
      reason: input.reason,
      ...(input.orderId ? { orderId: input.orderId } : {}),
      idempotencyKey: input.idempotencyKey,
    });
    return {
      externalId: c.id,
      customerId: c.memberId,
      kind: c.kind,
      ...(c.amount ? { amount: c.amount } : {}),
      ...(c.points ? { points: c.points } : {}),
      ...(c.couponCode ? { couponCode: c.couponCode } : {}),
      createdAt: c.createdAt,
    };
  }

  async addOrderNote(input: AddOrderNoteInput): Promise<OrderNote> {
    const n = await this.call<{
      id: string;
      orderId: string;
      body: string;
      visibility: OrderNote['visibility'];
      createdAt: string;
    }>('POST', `/api/orders/${encodeURIComponent(input.orderId)}/notes`, {
      body: input.body,
      visibility: input.visibility,
      idempotencyKey: input.idempotencyKey,
    });
    return {
      externalId: n.id,
      orderId: n.orderId,
      body: n.body,
      visibility: n.visibility,
      createdAt: n.createdAt,
    };
  }

  async getPriceHistory(input: PriceHistoryInput): Promise<PricePoint[]> {
    const query = new URLSearchParams({ from: input.from, to: input.to });
    const { items } = await this.call<{
      items: {
        kind: PriceKind;
        price: Money;
        startsAt: string;
        endsAt: string | null;
        campaign: string | null;
        tiers: string[] | null;
      }[];
    }>('GET', `/api/skus/${encodeURIComponent(input.sku)}/prices?${query.toString()}`);
    return items.map((p) => ({
      sku: input.sku,
      kind: p.kind,
      price: p.price,
      startsAt: p.startsAt,
      ...(p.endsAt ? { endsAt: p.endsAt } : {}),
      ...(p.campaign ? { campaign: p.campaign } : {}),
      ...(p.tiers ? { tiers: p.tiers.map(memberTier) } : {}),
    }));
  }

  async getMember(customerId: string): Promise<Member | null> {
    try {
      const m = await this.call<DsMember>('GET', `/api/members/${encodeURIComponent(customerId)}`);
      return {
        externalId: m.id,
        displayName: m.name,
        tier: memberTier(m.tierCode),
        rawTier: m.tier,
        pointsBalance: m.pointsBalance,
        storeCredit: m.storeCredit,
        joinedAt: m.joinedAt,
      };
    } catch (error) {
      if (error instanceof ShopError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  /**
   * Verifies `X-DemoShop-Signature: sha256=<hex>` = HMAC-SHA256(secret, `<X-DemoShop-Timestamp>.<raw body>`)
   * and that the timestamp is within the replay window, then normalises. Throws `BAD_SIGNATURE` otherwise.
   */
  parseWebhook(request: WebhookRequest): ShopEvent[] {
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const signature = header('x-demoshop-signature') ?? '';
    const timestamp = Number(header('x-demoshop-timestamp'));
    const now = (request.now ?? new Date()).getTime() / 1000;
    if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > this.toleranceSeconds) {
      throw new ShopError('BAD_SIGNATURE', 'the event timestamp is missing or outside the replay window');
    }
    const expected = Buffer.from(
      `sha256=${createHmac('sha256', this.options.webhookSecret).update(`${timestamp}.`).update(request.rawBody).digest('hex')}`,
    );
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new ShopError('BAD_SIGNATURE', 'the event signature does not match');
    }
    let payload: {
      id: string;
      type: ShopEventType;
      occurredAt: string;
      orderId?: string;
      orderNumber?: string;
      orderVersion?: number;
      data?: {
        skuId?: string;
        shipmentId?: string;
        carrierCode?: string;
        trackingNumber?: string;
        status?: string;
      };
    };
    try {
      payload = JSON.parse(request.rawBody.toString()) as typeof payload;
    } catch (error) {
      throw new ShopError('INVALID_REQUEST', 'the event body is not JSON', { cause: error });
    }
    return [
      {
        eventId: payload.id,
        type: payload.type,
        occurredAt: payload.occurredAt,
        ...(payload.orderId ? { orderId: payload.orderId } : {}),
        ...(payload.orderNumber ? { orderNumber: payload.orderNumber } : {}),
        ...(payload.orderVersion ? { orderVersion: payload.orderVersion } : {}),
        ...(payload.data?.skuId ? { sku: payload.data.skuId } : {}),
        ...(payload.data?.shipmentId ? { shipment: shipmentHint(payload.data) } : {}),
        rawType: payload.type,
        raw: payload,
      },
    ];
  }

  private async page(path: string): Promise<Page<OrderSummary>> {
    const page = await this.call<{ items: DsSummary[]; nextCursor?: string }>('GET', path);
    return { items: page.items.map(mapSummary), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new ShopError('TIMEOUT', `the demo shop did not answer within ${this.timeoutMs} ms`, {
          cause: error,
        });
      }
      throw new ShopError('UNAVAILABLE', `the demo shop cannot be reached: ${(error as Error).message}`, {
        cause: error,
      });
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch (error) {
      const code = (error as Error).name === 'TimeoutError' ? 'TIMEOUT' : 'UNAVAILABLE';
      throw new ShopError(code, `unreadable answer from the demo shop (${response.status})`, {
        status: response.status,
        cause: error,
      });
    }
    if (response.ok) return json as T;
    const raw = (json as { error?: { code?: string; message?: string } }).error;
    const code: ShopErrorCode =
      (raw?.code && ERROR_CODES[raw.code]) ||
      (response.status === 429 ? 'RATE_LIMITED' : response.status >= 500 ? 'UNAVAILABLE' : 'INVALID_REQUEST');
    throw new ShopError(code, raw?.message ?? `the demo shop answered ${response.status}`, {
      status: response.status,
      ...(raw?.code ? { rawCode: raw.code } : {}),
    });
  }
}

/** The demo shop's shipment statuses and scan codes (揽收 … 已签收) in its thin events → a hint. */
const HINT_STATUS: Record<string, ShipmentStatus> = {
  WAIT_PICKUP: 'pending',
  IN_TRANSIT: 'in_transit',
  揽收: 'in_transit',
  发往: 'in_transit',
  到达: 'in_transit',
  DELIVERING: 'out_for_delivery',
  派送中: 'out_for_delivery',
  SIGNED: 'delivered',
  已签收: 'delivered',
  DELAYED: 'exception',
  滞留: 'exception',
};

function shipmentHint(data: {
  shipmentId?: string;
  carrierCode?: string;
  trackingNumber?: string;
  status?: string;
}): ShipmentHint {
  const status = data.status ? HINT_STATUS[data.status] : undefined;
  return {
    ...(data.shipmentId ? { shipmentId: data.shipmentId } : {}),
    ...(data.carrierCode ? { carrierCode: data.carrierCode } : {}),
    ...(data.trackingNumber ? { trackingNumber: data.trackingNumber } : {}),
    ...(status ? { status } : {}),
    ...(data.status ? { rawStatus: data.status } : {}),
  };
}
