/**
 * The normalised commerce model every shop adapter returns (see shared/commerce.md). Each object keeps the
 * platform's own ids (`raw*`, `externalId`) and status (`rawStatus`) beside the normalised ones, so an agent
 * can always quote what the shop's back office shows. Timestamps are ISO 8601 strings in UTC.
 */

/**
 * Money as integer minor units plus an ISO 4217 currency: `{ amountMinor: 12345, currency: 'CNY' }` is ¥123.45.
 * Never a float: platforms that send yuan strings ("200.07") or major-unit numbers are converted at the edge.
 */
export interface Money {
  amountMinor: number;
  currency: string;
}

/** Personal data as the platform delivered it: in clear, masked (`138****0001`), or encrypted with a handle. */
export interface ContactField {
  value: string;
  /** true when `value` is masked by the platform (Taobao, JD, Douyin) and not the real value. */
  masked: boolean;
  /** An opaque platform handle to decrypt the real value through the platform, where it offers one. */
  decryptHandle?: string;
}

export interface Address {
  name: ContactField;
  phone: ContactField;
  province: string;
  city: string;
  district: string;
  /** Street and house number; masked on platforms that mask addresses. */
  street: ContactField;
  postalCode?: string;
  countryCode: string;
}

export type MemberTier = 'regular' | 'silver' | 'gold' | 'black_diamond';

export interface Customer {
  externalId: string;
  displayName: string;
  /** A marketplace nickname (Taobao 买家昵称); absent where the platform has none. */
  buyerNick?: string;
  email?: ContactField;
  phone?: ContactField;
  /** Loyalty tier, where the shop runs a member system. */
  tier?: MemberTier;
  rawTier?: string;
}

export interface Member {
  externalId: string;
  displayName: string;
  tier: MemberTier;
  rawTier: string;
  pointsBalance: number;
  storeCredit: Money;
  joinedAt: string;
}

export type OrderStatus =
  | 'pending_payment'
  | 'paid'
  | 'partially_shipped'
  | 'shipped'
  | 'delivered'
  | 'completed'
  | 'cancelled'
  | 'closed';

export interface OrderLine {
  externalId: string;
  sku: string;
  productId?: string;
  title: string;
  /** Variant text as shown to the buyer, e.g. "黑色 / XL". */
  variant?: string;
  quantity: number;
  /** Price per unit before discounts. */
  listUnitPrice: Money;
  /** What the buyer actually paid per unit after every discount (the base for price protection). */
  paidUnitPrice: Money;
  discount: Money;
  total: Money;
  refundedQuantity: number;
}

export interface OrderTotals {
  subtotal: Money;
  discount: Money;
  shipping: Money;
  total: Money;
  paid: Money;
  refunded: Money;
}

export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'refunded' | 'partially_refunded';

export interface Payment {
  externalId: string;
  method: string;
  amount: Money;
  status: PaymentStatus;
  rawStatus: string;
  transactionId?: string;
  paidAt?: string;
  refunds: Refund[];
}

export type RefundStatus = 'pending' | 'succeeded' | 'failed';

export interface Refund {
  externalId: string;
  orderId: string;
  paymentId?: string;
  afterSaleId?: string;
  /** The line a price-protection or goodwill refund was for, so later calculations can subtract it. */
  orderLineId?: string;
  amount: Money;
  reason: string;
  status: RefundStatus;
  rawStatus: string;
  createdAt: string;
  succeededAt?: string;
}

export type ShipmentStatus =
  'pending' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'exception' | 'returned' | 'lost';

export type TrackingEventKind =
  | 'picked_up'
  | 'departed'
  | 'arrived'
  | 'out_for_delivery'
  | 'delivered'
  | 'delayed'
  | 'returned'
  | 'lost'
  | 'other';

export interface TrackingEvent {
  occurredAt: string;
  kind: TrackingEventKind;
  /** The carrier's own text, e.g. "【上海市】顺丰速运 已收取快件". */
  description: string;
  location?: string;
  rawStatus: string;
}

export interface Shipment {
  externalId: string;
  orderId: string;
  /** Lower-case carrier code: `sf`, `yto`, `zto`, `jd`, `sto`, … */
  carrierCode: string;
  carrierName: string;
  trackingNumber: string;
  status: ShipmentStatus;
  rawStatus: string;
  shippedAt?: string;
  deliveredAt?: string;
  /** Oldest first. May be empty when the adapter must call `trackShipment` for events. */
  events: TrackingEvent[];
}

export type AfterSaleKind = 'return' | 'exchange' | 'refund_only';

export type AfterSaleStatus =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'return_shipped'
  | 'received'
  | 'refunded'
  | 'exchange_shipped'
  | 'closed';

export interface AfterSaleLine {
  orderLineId: string;
  quantity: number;
}

export interface AfterSale {
  externalId: string;
  orderId: string;
  kind: AfterSaleKind;
  status: AfterSaleStatus;
  rawStatus: string;
  reason: string;
  lines: AfterSaleLine[];
  requestedAmount?: Money;
  /** The buyer's parcel back to the warehouse. */
  returnShipment?: { carrierCode: string; trackingNumber: string };
  createdAt: string;
  updatedAt: string;
}

export interface Order {
  externalId: string;
  /** What the buyer quotes: "DS2026111100012". */
  orderNumber: string;
  status: OrderStatus;
  rawStatus: string;
  currency: string;
  createdAt: string;
  updatedAt: string;
  paidAt?: string;
  customer: Customer;
  shippingAddress?: Address;
  lines: OrderLine[];
  totals: OrderTotals;
  payments: Payment[];
  shipments: Shipment[];
  afterSales: AfterSale[];
  couponCodes: string[];
  /** The marketing campaign the order was placed in, e.g. "双11". */
  campaign?: string;
  /** Monotonic version or updated-at token, so out-of-order events never move a snapshot backwards. */
  version: number;
}

/** A light row for search results and change feeds; fetch the full order with `getOrder`. */
export interface OrderSummary {
  externalId: string;
  orderNumber: string;
  status: OrderStatus;
  rawStatus: string;
  total: Money;
  customerId: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; absent on the last page. */
  nextCursor?: string;
}

export type PriceKind = 'list' | 'campaign' | 'flash_sale' | 'member_only';

/** One price a SKU had during a window; windows of different kinds overlap (a flash sale inside a campaign). */
export interface PricePoint {
  sku: string;
  kind: PriceKind;
  price: Money;
  startsAt: string;
  /** Absent while the price is still in force. */
  endsAt?: string;
  campaign?: string;
  /** Member tiers the price is limited to (member-only prices). */
  tiers?: MemberTier[];
}

export type CompensationKind = 'coupon' | 'points' | 'store_credit';

export interface Compensation {
  externalId: string;
  customerId: string;
  kind: CompensationKind;
  /** Coupons and store credit: money. */
  amount?: Money;
  /** Points: a count. */
  points?: number;
  couponCode?: string;
  createdAt: string;
}

export type NoteVisibility = 'internal' | 'buyer';

export interface OrderNote {
  externalId: string;
  orderId: string;
  body: string;
  visibility: NoteVisibility;
  createdAt: string;
}
