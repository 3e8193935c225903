/**
 * Shopify Admin GraphQL (API version 2026-01) and its webhook payloads → the normalised model. Pure, so the
 * mapping is tested on recorded payloads without a shop. Shopify sends money as decimal strings in a MoneyBag
 * (`{ shopMoney: { amount: "199.00", currencyCode: "CNY" } }`); we read the shop currency, never the
 * presentment one, and convert exactly with `decimalStringToMinor`. Shopify has no order version: the order's
 * `updatedAt` in epoch milliseconds is the version, so an older state never replaces a newer one.
 */
import { decimalStringToMinor } from './money.ts';
import type {
  Address,
  Customer,
  Money,
  Order,
  OrderLine,
  OrderStatus,
  OrderSummary,
  Payment,
  PaymentStatus,
  Refund,
  Shipment,
  ShipmentStatus,
  TrackingEvent,
  TrackingEventKind,
} from './types.ts';

/* The GraphQL shapes we select (see ORDER_FIELDS in shopify.adapter.ts). */
export interface ShMoneyBag {
  shopMoney: { amount: string; currencyCode: string };
}
export interface ShCustomer {
  id: string;
  displayName: string;
  email: string | null;
  phone: string | null;
}
export interface ShAddress {
  name: string | null;
  phone: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  zip: string | null;
  countryCodeV2: string | null;
}
export interface ShLineItem {
  id: string;
  sku: string | null;
  title: string;
  variantTitle: string | null;
  quantity: number;
  currentQuantity: number;
  product: { id: string } | null;
  originalUnitPriceSet: ShMoneyBag;
  discountedUnitPriceAfterAllDiscountsSet: ShMoneyBag;
  totalDiscountSet: ShMoneyBag;
}
export interface ShTransaction {
  id: string;
  kind: string;
  status: string;
  gateway: string | null;
  processedAt: string | null;
  authorizationCode: string | null;
  amountSet: ShMoneyBag;
  parentTransaction: { id: string } | null;
}
export interface ShFulfillmentEvent {
  happenedAt: string;
  status: string;
  message: string | null;
  city: string | null;
  province: string | null;
}
export interface ShFulfillment {
  id: string;
  status: string;
  displayStatus: string | null;
  createdAt: string;
  inTransitAt: string | null;
  deliveredAt: string | null;
  trackingInfo: { company: string | null; number: string | null; url: string | null }[];
  events: { nodes: ShFulfillmentEvent[] };
}
export interface ShRefund {
  id: string;
  createdAt: string;
  note: string | null;
  totalRefundedSet: ShMoneyBag;
  transactions: { nodes: { id: string; status: string; parentTransaction: { id: string } | null }[] };
}
export interface ShOrder {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  processedAt: string | null;
  cancelledAt: string | null;
  closedAt: string | null;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string;
  currencyCode: string;
  email: string | null;
  phone: string | null;
  note: string | null;
  discountCodes: string[];
  customer: ShCustomer | null;
  shippingAddress: ShAddress | null;
  subtotalPriceSet: ShMoneyBag;
  totalDiscountsSet: ShMoneyBag;
  totalShippingPriceSet: ShMoneyBag;
  totalPriceSet: ShMoneyBag;
  totalReceivedSet: ShMoneyBag;
  totalRefundedSet: ShMoneyBag;
  lineItems: { nodes: ShLineItem[] };
  transactions: ShTransaction[];
  fulfillments: ShFulfillment[];
  refunds: ShRefund[];
}
export type ShOrderSummary = Pick<
  ShOrder,
  | 'id'
  | 'name'
  | 'createdAt'
  | 'updatedAt'
  | 'cancelledAt'
  | 'closedAt'
  | 'displayFinancialStatus'
  | 'displayFulfillmentStatus'
  | 'totalPriceSet'
  | 'customer'
> & { fulfillments?: ShFulfillment[] };

export function money(bag: ShMoneyBag): Money {
  return { amountMinor: decimalStringToMinor(bag.shopMoney.amount), currency: bag.shopMoney.currencyCode };
}

/** "gid://shopify/Order/450789469" from a REST id (webhooks) or a gid (GraphQL); a gid is kept as it is. */
export function toGid(resource: string, id: string | number): string {
  const text = String(id);
  return text.startsWith('gid://') ? text : `gid://shopify/${resource}/${text}`;
}

/** The numeric id at the end of a gid, for search syntax such as `customer_id:`. */
export function legacyId(gid: string): string {
  return gid.slice(gid.lastIndexOf('/') + 1);
}

/** Shopify has no order version; its updatedAt in ms is monotonic per order. */
export function versionOf(updatedAt: string): number {
  return Date.parse(updatedAt);
}

/** Carrier names Shopify's tracking companies use → our lower-case codes (unknown names are slugged). */
const CARRIERS: Record<string, string> = {
  'sf express': 'sf',
  'yto express': 'yto',
  'zto express': 'zto',
  'sto express': 'sto',
  'yunda express': 'yunda',
  'jd logistics': 'jd',
  'china post': 'chinapost',
  'china ems': 'ems',
  ups: 'ups',
  fedex: 'fedex',
  dhl: 'dhl',
  'dhl express': 'dhl',
};

export function carrierCode(company: string | null): string {
  if (!company) return 'unknown';
  const key = company.trim().toLowerCase();
  return CARRIERS[key] ?? key.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export const SHIPMENT_STATUS: Record<string, ShipmentStatus> = {
  LABEL_PRINTED: 'pending',
  LABEL_PURCHASED: 'pending',
  LABEL_VOIDED: 'pending',
  SUBMITTED: 'pending',
  CONFIRMED: 'in_transit',
  CARRIER_PICKED_UP: 'in_transit',
  FULFILLED: 'in_transit',
  MARKED_AS_FULFILLED: 'in_transit',
  IN_TRANSIT: 'in_transit',
  OUT_FOR_DELIVERY: 'out_for_delivery',
  READY_FOR_PICKUP: 'out_for_delivery',
  DELIVERED: 'delivered',
  PICKED_UP: 'delivered',
  ATTEMPTED_DELIVERY: 'exception',
  DELAYED: 'exception',
  NOT_DELIVERED: 'exception',
  FAILURE: 'exception',
};

const EVENT_KIND: Record<string, TrackingEventKind> = {
  CONFIRMED: 'picked_up',
  CARRIER_PICKED_UP: 'picked_up',
  IN_TRANSIT: 'departed',
  OUT_FOR_DELIVERY: 'out_for_delivery',
  READY_FOR_PICKUP: 'out_for_delivery',
  DELIVERED: 'delivered',
  PICKED_UP: 'delivered',
  ATTEMPTED_DELIVERY: 'delayed',
  DELAYED: 'delayed',
};

export function mapShipment(f: ShFulfillment, orderId: string): Shipment {
  const tracking = f.trackingInfo[0];
  const raw = f.displayStatus ?? f.status;
  const events: TrackingEvent[] = [...f.events.nodes]
    .sort((a, b) => a.happenedAt.localeCompare(b.happenedAt))
    .map((e) => ({
      occurredAt: e.happenedAt,
      kind: EVENT_KIND[e.status] ?? 'other',
      description: e.message ?? e.status,
      ...(e.city ? { location: e.province ? `${e.province} ${e.city}` : e.city } : {}),
      rawStatus: e.status,
    }));
  return {
    externalId: f.id,
    orderId,
    carrierCode: carrierCode(tracking?.company ?? null),
    carrierName: tracking?.company ?? '',
    trackingNumber: tracking?.number ?? '',
    status: f.deliveredAt ? 'delivered' : (SHIPMENT_STATUS[raw] ?? 'in_transit'),
    rawStatus: raw,
    shippedAt: f.inTransitAt ?? f.createdAt,
    ...(f.deliveredAt ? { deliveredAt: f.deliveredAt } : {}),
    events,
  };
}

/**
 * Shopify splits state in two (financial, fulfillment) plus cancelled/closed stamps; ours is one status.
 * Delivered needs every live fulfillment delivered, since an order may ship in several parcels.
 */
export function orderStatus(
  o: Pick<ShOrder, 'cancelledAt' | 'closedAt' | 'displayFinancialStatus' | 'displayFulfillmentStatus'> & {
    fulfillments?: ShFulfillment[];
  },
): OrderStatus {
  if (o.cancelledAt) return 'cancelled';
  const financial = o.displayFinancialStatus ?? 'PENDING';
  if (financial === 'REFUNDED' || financial === 'VOIDED') return 'closed';
  if (o.displayFulfillmentStatus === 'FULFILLED') {
    if (o.closedAt) return 'completed';
    const live = (o.fulfillments ?? []).filter((f) => f.status !== 'CANCELLED');
    if (live.length > 0 && live.every((f) => f.deliveredAt || f.displayStatus === 'DELIVERED')) {
      return 'delivered';
    }
    return 'shipped';
  }
  if (o.displayFulfillmentStatus === 'PARTIALLY_FULFILLED') return 'partially_shipped';
  if (financial === 'PENDING' || financial === 'AUTHORIZED' || financial === 'EXPIRED')
    return 'pending_payment';
  return 'paid';
}

function rawStatusOf(o: Pick<ShOrder, 'displayFinancialStatus' | 'displayFulfillmentStatus'>): string {
  return `${o.displayFinancialStatus ?? 'PENDING'}/${o.displayFulfillmentStatus}`;
}

function contact(value: string | null | undefined) {
  return value ? { value, masked: false } : undefined;
}

function mapCustomer(o: ShOrder): Customer {
  const c = o.customer;
  const email = contact(c?.email ?? o.email);
  const phone = contact(c?.phone ?? o.phone);
  return {
    externalId: c?.id ?? '',
    displayName: c?.displayName ?? o.shippingAddress?.name ?? '',
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
  };
}

function mapAddress(a: ShAddress): Address {
  return {
    name: { value: a.name ?? '', masked: false },
    phone: { value: a.phone ?? '', masked: false },
    province: a.province ?? '',
    city: a.city ?? '',
    district: '',
    street: { value: [a.address1, a.address2].filter(Boolean).join(' '), masked: false },
    ...(a.zip ? { postalCode: a.zip } : {}),
    countryCode: a.countryCodeV2 ?? '',
  };
}

function mapLine(l: ShLineItem): OrderLine {
  const list = money(l.originalUnitPriceSet);
  const paid = money(l.discountedUnitPriceAfterAllDiscountsSet);
  return {
    externalId: l.id,
    sku: l.sku ?? '',
    ...(l.product ? { productId: l.product.id } : {}),
    title: l.title,
    ...(l.variantTitle ? { variant: l.variantTitle } : {}),
    quantity: l.quantity,
    listUnitPrice: list,
    paidUnitPrice: paid,
    discount: money(l.totalDiscountSet),
    total: { amountMinor: paid.amountMinor * l.quantity, currency: paid.currency },
    refundedQuantity: l.quantity - l.currentQuantity,
  };
}

export function mapRefund(r: ShRefund, orderId: string): Refund {
  const payment = r.transactions.nodes[0]?.parentTransaction?.id;
  const failed = r.transactions.nodes.length > 0 && r.transactions.nodes.every((t) => t.status === 'FAILURE');
  const pending = r.transactions.nodes.some((t) => t.status === 'PENDING');
  const rawStatus = r.transactions.nodes.map((t) => t.status).join(',') || 'SUCCESS';
  return {
    externalId: r.id,
    orderId,
    ...(payment ? { paymentId: payment } : {}),
    amount: money(r.totalRefundedSet),
    reason: r.note ?? '',
    status: failed ? 'failed' : pending ? 'pending' : 'succeeded',
    rawStatus,
    createdAt: r.createdAt,
    ...(failed || pending ? {} : { succeededAt: r.createdAt }),
  };
}

const PAYMENT_STATUS: Record<string, PaymentStatus> = {
  SUCCESS: 'succeeded',
  PENDING: 'pending',
  AWAITING_RESPONSE: 'pending',
  FAILURE: 'failed',
  ERROR: 'failed',
};

function mapPayments(o: ShOrder, refunds: Refund[]): Payment[] {
  return o.transactions
    .filter((t) => t.kind === 'SALE' || t.kind === 'CAPTURE')
    .map((t) => {
      const amount = money(t.amountSet);
      const own = refunds.filter((r) => r.paymentId === t.id && r.status === 'succeeded');
      const refunded = own.reduce((sum, r) => sum + r.amount.amountMinor, 0);
      const base = PAYMENT_STATUS[t.status] ?? 'pending';
      const status: PaymentStatus =
        base !== 'succeeded' || refunded === 0
          ? base
          : refunded >= amount.amountMinor
            ? 'refunded'
            : 'partially_refunded';
      return {
        externalId: t.id,
        method: t.gateway ?? 'unknown',
        amount,
        status,
        rawStatus: `${t.kind}/${t.status}`,
        ...(t.authorizationCode ? { transactionId: t.authorizationCode } : {}),
        ...(t.processedAt ? { paidAt: t.processedAt } : {}),
        refunds: refunds.filter((r) => r.paymentId === t.id),
      };
    });
}

export function mapOrder(o: ShOrder): Order {
  const refunds = o.refunds.map((r) => mapRefund(r, o.id));
  const payments = mapPayments(o, refunds);
  const paidAt = payments.find((p) => p.status !== 'pending' && p.status !== 'failed')?.paidAt;
  return {
    externalId: o.id,
    orderNumber: o.name,
    status: orderStatus(o),
    rawStatus: rawStatusOf(o),
    currency: o.currencyCode,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    ...(paidAt ? { paidAt } : {}),
    customer: mapCustomer(o),
    ...(o.shippingAddress ? { shippingAddress: mapAddress(o.shippingAddress) } : {}),
    lines: o.lineItems.nodes.map(mapLine),
    totals: {
      subtotal: money(o.subtotalPriceSet),
      discount: money(o.totalDiscountsSet),
      shipping: money(o.totalShippingPriceSet),
      total: money(o.totalPriceSet),
      paid: money(o.totalReceivedSet),
      refunded: money(o.totalRefundedSet),
    },
    payments,
    shipments: o.fulfillments.filter((f) => f.status !== 'CANCELLED').map((f) => mapShipment(f, o.id)),
    // Shopify returns (returnCreate …) are not mapped yet; the capabilities say so.
    afterSales: [],
    couponCodes: o.discountCodes,
    version: versionOf(o.updatedAt),
  };
}

export function mapSummary(o: ShOrderSummary): OrderSummary {
  return {
    externalId: o.id,
    orderNumber: o.name,
    status: orderStatus(o),
    rawStatus: rawStatusOf(o),
    total: money(o.totalPriceSet),
    customerId: o.customer?.id ?? '',
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    version: versionOf(o.updatedAt),
  };
}
