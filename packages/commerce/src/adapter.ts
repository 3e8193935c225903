import type {
  AfterSale,
  AfterSaleKind,
  AfterSaleLine,
  AfterSaleStatus,
  Compensation,
  CompensationKind,
  Member,
  Money,
  NoteVisibility,
  Order,
  OrderNote,
  OrderSummary,
  Page,
  PricePoint,
  Refund,
  Shipment,
  ShipmentStatus,
  TrackingEvent,
} from './types.ts';

/**
 * What a shop can do, declared once per connected shop. Callers branch on these, never on platform names:
 * on Taobao, JD and Douyin the seller mostly answers buyer requests (`respondToAfterSale`) instead of starting
 * refunds, price protection is run by the platform, and personal data arrives masked.
 */
export interface Capabilities {
  /** The seller may start a refund with `issueRefund` (Shopify, Vendure, Youzan, the demo shop). */
  sellerInitiatedRefund: boolean;
  /** A refund may be any amount up to what is refundable, not only whole lines. */
  partialAmountRefund: boolean;
  /** The seller may open a return for the buyer (`createReturn`). */
  sellerInitiatedReturn: boolean;
  /** Returns may be exchanges (ship a replacement instead of refunding). */
  exchange: boolean;
  /** The seller answers after-sale requests (`respondToAfterSale`). */
  afterSaleResponses: boolean;
  coupons: boolean;
  points: boolean;
  storeCredit: boolean;
  tracking: boolean;
  orderNotes: boolean;
  /** Price history per SKU is available (`getPriceHistory`), so PeakDesk can compute price protection. */
  priceHistory: boolean;
  /** The platform runs price protection itself (Taobao, JD): PeakDesk only explains it. */
  platformPriceProtection: boolean;
  /** Event types the shop pushes; an empty list means polling (`listChangedOrders`) only. */
  inboundEvents: ShopEventType[];
  /** Phone, name and address arrive masked (decrypt through the platform where it allows). */
  piiMasked: boolean;
  /** Largest refund a single call may make, when the platform limits it (Taobao ¥6,000 per call). */
  maxRefundPerCall?: Money;
  currencies: string[];
}

export type ShopEventType =
  | 'order.created'
  /** Something on the order changed, not said what (Shopify's orders/updated): re-fetch to know. */
  | 'order.updated'
  | 'order.paid'
  | 'order.cancelled'
  | 'order.shipped'
  | 'shipment.updated'
  | 'aftersale.updated'
  | 'refund.succeeded'
  | 'price.changed';

/**
 * An inbound event, normalised. Events are hints: delivered at least once, in any order, often thin. Drop
 * duplicates by `eventId`, re-fetch the order, and never move a snapshot backwards (compare `orderVersion`).
 */
export interface ShopEvent {
  eventId: string;
  type: ShopEventType;
  occurredAt: string;
  orderId?: string;
  orderNumber?: string;
  /** The order's version after the change, when the platform says; compare before applying. */
  orderVersion?: number;
  sku?: string;
  /** What a shipment event says about the parcel, where the payload carries it (a hint, not the truth). */
  shipment?: ShipmentHint;
  /** The platform's own topic name and payload, kept for audit and debugging. */
  rawType: string;
  raw: unknown;
}

export interface ShipmentHint {
  shipmentId?: string;
  carrierCode?: string;
  trackingNumber?: string;
  status?: ShipmentStatus;
  rawStatus?: string;
}

/** Every write carries one. Derive it from what the caller does (ticket id + action + target), never random. */
export type IdempotencyKey = string;

export type OrderRef = { orderId: string } | { orderNumber: string };

export interface SearchOrdersInput {
  email?: string;
  phone?: string;
  buyerNick?: string;
  customerId?: string;
  updatedSince?: string;
  cursor?: string;
  limit?: number;
}

export interface TrackShipmentInput {
  orderId?: string;
  shipmentId?: string;
  trackingNumber?: string;
  carrierCode?: string;
}

export interface CreateReturnInput {
  orderId: string;
  kind: AfterSaleKind;
  lines: AfterSaleLine[];
  reason: string;
  idempotencyKey: IdempotencyKey;
}

export type AfterSaleResponse = 'approve' | 'reject' | 'confirm_received';

export interface RespondToAfterSaleInput {
  afterSaleId: string;
  action: AfterSaleResponse;
  note?: string;
  idempotencyKey: IdempotencyKey;
  /** Optimistic lock where the platform has one (Youzan's `version`). */
  expectedStatus?: AfterSaleStatus;
}

export interface IssueRefundInput {
  orderId: string;
  amount: Money;
  reason: string;
  /** Links the refund to an after-sale (returns) so the after-sale moves to refunded. */
  afterSaleId?: string;
  /** A price-protection refund names the line it compensates. */
  orderLineId?: string;
  idempotencyKey: IdempotencyKey;
}

export interface IssueCompensationInput {
  customerId: string;
  kind: CompensationKind;
  /** Coupons and store credit. */
  amount?: Money;
  /** Points. */
  points?: number;
  reason: string;
  orderId?: string;
  idempotencyKey: IdempotencyKey;
}

export interface AddOrderNoteInput {
  orderId: string;
  body: string;
  visibility: NoteVisibility;
  idempotencyKey: IdempotencyKey;
}

export interface PriceHistoryInput {
  sku: string;
  from: string;
  to: string;
}

export interface WebhookRequest {
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received: signatures are computed over these bytes, not over re-serialised JSON. */
  rawBody: Buffer | string;
  /** For replay checks; defaults to the wall clock. */
  now?: Date;
}

/**
 * The one interface PeakDesk talks to a shop through. Implementations: the demo shop, Vendure, Shopify.
 * Every method may throw a `ShopError`; an operation the shop cannot do throws `UNSUPPORTED` (check the
 * capabilities first). Writes are idempotent by `idempotencyKey`: a retry returns the first result.
 */
export interface ShopAdapter {
  readonly platform: string;
  capabilities(): Promise<Capabilities>;
  /** Resolves to null when the shop has no such order. */
  getOrder(ref: OrderRef): Promise<Order | null>;
  searchOrders(input: SearchOrdersInput): Promise<Page<OrderSummary>>;
  /** Orders changed at or after `since`, oldest change first: the reconciliation feed. */
  listChangedOrders(since: string, cursor?: string, limit?: number): Promise<Page<OrderSummary>>;
  trackShipment(input: TrackShipmentInput): Promise<{ shipment: Shipment; events: TrackingEvent[] }>;
  listAfterSales(orderId: string): Promise<AfterSale[]>;
  createReturn(input: CreateReturnInput): Promise<AfterSale>;
  respondToAfterSale(input: RespondToAfterSaleInput): Promise<AfterSale>;
  issueRefund(input: IssueRefundInput): Promise<Refund>;
  issueCompensation(input: IssueCompensationInput): Promise<Compensation>;
  addOrderNote(input: AddOrderNoteInput): Promise<OrderNote>;
  getPriceHistory(input: PriceHistoryInput): Promise<PricePoint[]>;
  getMember(customerId: string): Promise<Member | null>;
  /** Verifies the signature on the raw body (throws `BAD_SIGNATURE`), then normalises. */
  parseWebhook(request: WebhookRequest): ShopEvent[];
}
