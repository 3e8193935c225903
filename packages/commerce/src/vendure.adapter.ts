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
  TrackShipmentInput,
  WebhookRequest,
} from './adapter.ts';
import { ShopError } from './errors.ts';
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
import { VendureClient, type VendureAuth } from './vendure.client.ts';
import {
  ACTIVE_CHANNEL,
  ADD_NOTE,
  CHANGED_ORDERS,
  CUSTOMER_ORDERS,
  FIND_CUSTOMERS,
  FIND_ORDER_BY_CODE,
  GET_ORDER,
  REFUND_ORDER,
  SETTLE_REFUND,
} from './vendure.graphql.ts';
import {
  idempotencyKeyOf,
  mapOrder,
  mapRefund,
  mapSummary,
  recordedKey,
  withIdempotencyKey,
  withoutIdempotencyKey,
  type VOrder,
  type VSummary,
} from './vendure.mapping.ts';
import { cancelVendureLines, type CancelLinesInput, type CancelLinesResult } from './vendure.cancellation.ts';
import { pageOfChanges } from './vendure.changes.ts';
import { grantVendureCoupon } from './vendure.coupons.ts';
import { parseVendureWebhook } from './vendure.webhook.ts';

/** What the adapter's Admin API key (or administrator) needs: give PeakDesk a role with exactly these. */
export const VENDURE_ADAPTER_PERMISSIONS = [
  'ReadOrder',
  'UpdateOrder',
  'ReadCustomer',
  'ReadCatalog',
  'ReadPromotion',
  'CreatePromotion',
] as const;

export interface VendureAdapterOptions {
  /** e.g. http://127.0.0.1:3000/admin-api */
  adminApiUrl: string;
  auth: VendureAuth;
  /** The secret the PeakDesk webhook plugin signs with. */
  webhookSecret: string;
  channelToken?: string;
  /** Per call, default 3000 ms. */
  timeoutMs?: number;
  /** Largest accepted clock difference for signed events, in seconds (replay window), default 300. */
  webhookToleranceSeconds?: number;
  /**
   * Refunds through a payment handler without its own refund step (manual payments, the dummy handler) stay
   * Pending in Vendure until someone settles them; by default the adapter settles them at once, with
   * `peakdesk:<idempotency key>` as the transaction id. Set false where staff settle refunds by hand.
   */
  settlePendingRefunds?: boolean;
}

/**
 * Writes in flight in this process, shared by every adapter instance (PeakDesk makes a fresh adapter per
 * call), keyed by shop and idempotency key.
 */
const INFLIGHT = new Map<string, Promise<unknown>>();

/**
 * PeakDesk's adapter for a Vendure 3.x shop over the Admin GraphQL API.
 *
 * What Vendure has and has not, declared in `capabilities()`: seller refunds of any amount per payment, coupon
 * codes (promotions), order notes, fulfilments with a carrier name and tracking code but no carrier scans;
 * no return or after-sale entity, no exchanges, no loyalty points or store credit, no price history.
 *
 * Idempotency: Vendure has no idempotency keys, so every write records its key (`[peakdesk-key:…]` at the end of
 * the refund reason or note; the coupon code is derived from it) and looks for it before writing. Concurrent
 * calls with one key in one process share one write, across adapter instances. Two processes racing on one
 * key can both write (the check and the write are not atomic in Vendure): run writes for one order through
 * one job at a time.
 */
export class VendureAdapter implements ShopAdapter {
  readonly platform = 'vendure';
  private readonly client: VendureClient;

  constructor(private readonly options: VendureAdapterOptions) {
    this.client = new VendureClient({
      adminApiUrl: options.adminApiUrl,
      auth: options.auth,
      timeoutMs: options.timeoutMs ?? 3000,
      ...(options.channelToken ? { channelToken: options.channelToken } : {}),
    });
  }

  async capabilities(): Promise<Capabilities> {
    const { activeChannel } = await this.client.request<{
      activeChannel: { defaultCurrencyCode: string; availableCurrencyCodes: string[] };
    }>(ACTIVE_CHANNEL);
    return {
      sellerInitiatedRefund: true,
      partialAmountRefund: true,
      sellerInitiatedReturn: false,
      exchange: false,
      afterSaleResponses: false,
      coupons: true,
      points: false,
      storeCredit: false,
      tracking: true,
      orderNotes: true,
      priceHistory: false,
      platformPriceProtection: false,
      // With PeakDesk's Vendure plugin installed; without it, polling only.
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
      currencies: [...new Set([activeChannel.defaultCurrencyCode, ...activeChannel.availableCurrencyCodes])],
    };
  }

  async getOrder(ref: OrderRef): Promise<Order | null> {
    const order = await this.fetchOrder(ref);
    return order ? mapOrder(order) : null;
  }

  async searchOrders(input: SearchOrdersInput): Promise<Page<OrderSummary>> {
    const limit = Math.min(input.limit ?? 20, 100);
    const skip = input.cursor ? Number(input.cursor) : 0;
    let customerIds: string[];
    if (input.customerId) {
      customerIds = [input.customerId];
    } else {
      const filter = input.email
        ? { emailAddress: { eq: input.email } }
        : input.phone
          ? { phoneNumber: { eq: input.phone } }
          : undefined;
      // Vendure has no buyer nicknames; a search by nick alone finds nothing.
      if (!filter) return { items: [] };
      const { customers } = await this.client.request<{ customers: { items: { id: string }[] } }>(
        FIND_CUSTOMERS,
        {
          filter,
        },
      );
      customerIds = customers.items.map((c) => c.id);
    }
    // Each customer's newest orders, merged: enough of each to fill this page at this offset.
    const lists = await Promise.all(
      customerIds.map((id) =>
        this.client.request<{ customer: { orders: { items: VSummary[]; totalItems: number } } | null }>(
          CUSTOMER_ORDERS,
          { id, skip: 0, take: skip + limit },
        ),
      ),
    );
    let all = lists.flatMap((l) => l.customer?.orders.items ?? []);
    if (input.updatedSince) all = all.filter((o) => o.updatedAt >= input.updatedSince!);
    all.sort((a, b) => (b.createdAt > a.createdAt ? 1 : b.createdAt < a.createdAt ? -1 : 0));
    const total = lists.reduce((sum, l) => sum + (l.customer?.orders.totalItems ?? 0), 0);
    const items = all.slice(skip, skip + limit).map(mapSummary);
    return { items, ...(skip + limit < total && items.length ? { nextCursor: String(skip + limit) } : {}) };
  }

  /** Oldest change first; see `pageOfChanges` for the cursor. */
  async listChangedOrders(since: string, cursor?: string, limit = 50): Promise<Page<OrderSummary>> {
    const page = await pageOfChanges(since, cursor, Math.min(limit, 100), async (after, take) => {
      const { orders } = await this.client.request<{ orders: { items: VSummary[]; totalItems: number } }>(
        CHANGED_ORDERS,
        { after, take },
      );
      return orders;
    });
    return { items: page.items.map(mapSummary), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /** Vendure finds fulfilments only through their order, so `orderId` is required. */
  async trackShipment(input: TrackShipmentInput) {
    if (!input.orderId) {
      throw new ShopError(
        'INVALID_REQUEST',
        'Vendure tracks a shipment only through its order: pass orderId',
      );
    }
    const order = await this.getOrder({ orderId: input.orderId });
    const shipment = order?.shipments.find((s) =>
      input.shipmentId
        ? s.externalId === input.shipmentId
        : input.trackingNumber
          ? s.trackingNumber === input.trackingNumber
          : true,
    );
    if (!shipment) throw new ShopError('NOT_FOUND', 'no such shipment on this order');
    return { shipment, events: shipment.events };
  }

  /** Vendure core has no return or after-sale entity. */
  async listAfterSales(_orderId: string): Promise<AfterSale[]> {
    return [];
  }

  async createReturn(_input: CreateReturnInput): Promise<AfterSale> {
    throw new ShopError('UNSUPPORTED', 'Vendure has no returns: cancel lines and refund instead');
  }

  async respondToAfterSale(_input: RespondToAfterSaleInput): Promise<AfterSale> {
    throw new ShopError('UNSUPPORTED', 'Vendure has no after-sale requests to answer');
  }

  /**
   * Refunds an amount from the order's settled payment with the most left to refund (Vendure refunds per
   * payment). The legacy `lines`/`shipping`/`adjustment` fields are sent as empty/zero: without them Vendure
   * 3.x fails on sqlite with `NOT NULL constraint failed: refund.shipping`.
   */
  issueRefund(input: IssueRefundInput): Promise<Refund> {
    return this.once(`refund:${input.idempotencyKey}`, async () => {
      const order = await this.requireOrder(input.orderId);
      const key = recordedKey(input.idempotencyKey);
      const payments = order.payments ?? [];
      const existing = payments.flatMap((p) => p.refunds).find((r) => idempotencyKeyOf(r.reason) === key);
      if (existing) {
        if (existing.total !== input.amount.amountMinor) {
          throw new ShopError(
            'IDEMPOTENCY_CONFLICT',
            `refund ${existing.id} was made with this key for another amount`,
          );
        }
        return this.settledRefund(order, existing.id, input.idempotencyKey);
      }
      if (input.amount.currency !== order.currencyCode) {
        throw new ShopError(
          'INVALID_REQUEST',
          `the order is in ${order.currencyCode}, not ${input.amount.currency}`,
        );
      }
      if (!Number.isSafeInteger(input.amount.amountMinor) || input.amount.amountMinor <= 0) {
        throw new ShopError('INVALID_REQUEST', 'a refund is a positive whole number of minor units');
      }
      const refundable = payments
        .filter((p) => p.state === 'Settled')
        .map((p) => ({
          id: p.id,
          left: p.amount - p.refunds.filter((r) => r.state !== 'Failed').reduce((s, r) => s + r.total, 0),
        }))
        .sort((a, b) => b.left - a.left);
      const payment = refundable[0];
      if (!payment || payment.left < input.amount.amountMinor) {
        throw new ShopError(
          'REJECTED',
          `at most ${payment?.left ?? 0} can be refunded from one payment of this order`,
        );
      }
      const refund = await this.client.mutate<{ id: string }>('refundOrder', REFUND_ORDER, {
        input: {
          paymentId: payment.id,
          amount: input.amount.amountMinor,
          reason: withIdempotencyKey(input.reason, input.idempotencyKey),
          lines: [],
          shipping: 0,
          adjustment: 0,
        },
      });
      return this.settledRefund(order, refund.id, input.idempotencyKey);
    });
  }

  /** Coupons only (see `grantVendureCoupon`): Vendure has no points or store credit. */
  issueCompensation(input: IssueCompensationInput): Promise<Compensation> {
    if (input.kind !== 'coupon') {
      return Promise.reject(new ShopError('UNSUPPORTED', `Vendure has no ${input.kind.replace('_', ' ')}`));
    }
    return this.once(`coupon:${input.idempotencyKey}`, () => grantVendureCoupon(this.client, input));
  }

  addOrderNote(input: AddOrderNoteInput): Promise<OrderNote> {
    return this.once(`note:${input.idempotencyKey}`, async () => {
      const key = recordedKey(input.idempotencyKey);
      const find = (order: VOrder) =>
        order.history.items.find(
          (h) => h.type === 'ORDER_NOTE' && idempotencyKeyOf(String(h.data.note)) === key,
        );
      const before = await this.requireOrder(input.orderId);
      let entry = find(before);
      if (!entry) {
        await this.client.request(ADD_NOTE, {
          input: {
            id: input.orderId,
            note: withIdempotencyKey(input.body, input.idempotencyKey),
            isPublic: input.visibility === 'buyer',
          },
        });
        entry = find(await this.requireOrder(input.orderId));
        if (!entry) throw new ShopError('UNAVAILABLE', 'Vendure did not keep the note');
      }
      return {
        externalId: entry.id,
        orderId: input.orderId,
        body: withoutIdempotencyKey(String(entry.data.note)),
        visibility: input.visibility,
        createdAt: entry.createdAt,
      };
    });
  }

  /**
   * Taking items back the Vendure way: cancel lines and refund them (see `cancelVendureLines`). Not
   * `createReturn`: there is no return parcel or receiving step, so `sellerInitiatedReturn` stays false and a
   * caller uses this Vendure-only method on purpose.
   */
  cancelLinesAndRefund(input: CancelLinesInput): Promise<CancelLinesResult> {
    return this.once(`cancel:${input.idempotencyKey}`, () =>
      cancelVendureLines(this.client, input, {
        loadOrder: (orderId) => this.requireOrder(orderId),
        issueRefund: (refund) => this.issueRefund(refund),
      }),
    );
  }

  async getPriceHistory(_input: PriceHistoryInput): Promise<PricePoint[]> {
    throw new ShopError('UNSUPPORTED', 'Vendure keeps no price history');
  }

  async getMember(_customerId: string): Promise<Member | null> {
    throw new ShopError('UNSUPPORTED', 'Vendure has no member system (tiers, points, store credit)');
  }

  parseWebhook(request: WebhookRequest): ShopEvent[] {
    return parseVendureWebhook(
      request,
      this.options.webhookSecret,
      this.options.webhookToleranceSeconds ?? 300,
    );
  }

  private async fetchOrder(ref: OrderRef): Promise<VOrder | null> {
    let id: string;
    if ('orderId' in ref) {
      id = ref.orderId;
    } else {
      const { orders } = await this.client.request<{ orders: { items: { id: string }[] } }>(
        FIND_ORDER_BY_CODE,
        {
          code: ref.orderNumber,
        },
      );
      if (!orders.items[0]) return null;
      id = orders.items[0].id;
    }
    const { order } = await this.client.request<{ order: VOrder | null }>(GET_ORDER, { id });
    return order;
  }

  private async requireOrder(orderId: string): Promise<VOrder> {
    const order = await this.fetchOrder({ orderId });
    if (!order) throw new ShopError('NOT_FOUND', `Vendure has no order ${orderId}`);
    return order;
  }

  private async settledRefund(order: VOrder, refundId: string, idempotencyKey: string): Promise<Refund> {
    const find = (o: VOrder) => (o.payments ?? []).flatMap((p) => p.refunds).find((r) => r.id === refundId);
    let refund = find(order) ?? find(await this.requireOrder(order.id));
    if (refund?.state === 'Pending' && this.options.settlePendingRefunds !== false) {
      await this.client.mutate('settleRefund', SETTLE_REFUND, {
        input: { id: refundId, transactionId: `peakdesk:${idempotencyKey}` },
      });
      refund = find(await this.requireOrder(order.id));
    }
    if (!refund) throw new ShopError('UNAVAILABLE', `Vendure lost refund ${refundId}`);
    return mapRefund(refund, order.id, order.currencyCode);
  }

  /** Concurrent calls with one key share one write (within this process, across instances). */
  private once<T>(key: string, write: () => Promise<T>): Promise<T> {
    const shared = `${this.options.adminApiUrl}|${this.options.channelToken ?? ''}|${key}`;
    const running = INFLIGHT.get(shared) as Promise<T> | undefined;
    if (running) return running;
    const started = write().finally(() => INFLIGHT.delete(shared));
    INFLIGHT.set(shared, started);
    return started;
  }
}
