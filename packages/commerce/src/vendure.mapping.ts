/**
 * Vendure Admin API objects → the normalised model. Pure, so the mapping is tested without a server. Vendure
 * money is already integer minor units of `currencyCode`; every amount here is the tax-inclusive figure the
 * buyer saw and paid. Raw states are kept beside the normalised ones.
 */
import type {
  ContactField,
  Money,
  Order,
  OrderStatus,
  OrderSummary,
  PaymentStatus,
  Refund,
  RefundStatus,
  Shipment,
  ShipmentStatus,
  TrackingEvent,
} from './types.ts';

export interface VRefund {
  id: string;
  createdAt: string;
  updatedAt: string;
  total: number;
  state: string;
  reason: string | null;
  transactionId: string | null;
  paymentId: string;
  lines: { orderLineId: string; quantity: number }[];
}
export interface VPayment {
  id: string;
  createdAt: string;
  updatedAt: string;
  method: string;
  amount: number;
  state: string;
  transactionId: string | null;
  refunds: VRefund[];
}
export interface VFulfillment {
  id: string;
  createdAt: string;
  updatedAt: string;
  state: string;
  method: string;
  trackingCode: string | null;
  lines: { orderLineId: string; quantity: number }[];
}
export interface VHistoryEntry {
  id: string;
  createdAt: string;
  type: string;
  data: Record<string, unknown>;
}
export interface VSummary {
  id: string;
  code: string;
  state: string;
  createdAt: string;
  updatedAt: string;
  orderPlacedAt: string | null;
  currencyCode: string;
  totalWithTax: number;
  customer: { id: string } | null;
  /** Summaries: the newest entry only; orders: all of them. */
  history: { items: { id: string }[] };
}
export interface VOrder extends Omit<VSummary, 'history'> {
  active: boolean;
  couponCodes: string[];
  subTotalWithTax: number;
  shippingWithTax: number;
  customer: {
    id: string;
    firstName: string;
    lastName: string;
    emailAddress: string;
    phoneNumber: string | null;
  } | null;
  shippingAddress: {
    fullName: string | null;
    streetLine1: string | null;
    streetLine2: string | null;
    city: string | null;
    province: string | null;
    postalCode: string | null;
    countryCode: string | null;
    phoneNumber: string | null;
  } | null;
  lines: {
    id: string;
    quantity: number;
    unitPriceWithTax: number;
    proratedUnitPriceWithTax: number;
    linePriceWithTax: number;
    proratedLinePriceWithTax: number;
    productVariant: { id: string; sku: string; name: string; productId: string };
  }[];
  payments: VPayment[] | null;
  fulfillments: VFulfillment[] | null;
  history: { items: VHistoryEntry[] };
}

/** Written into refund reasons and note texts: Vendure has no idempotency keys, so the adapter records its own. */
const KEY_MARK = /\s*\[peakdesk-key:([^\]]+)\]\s*$/;

export function withIdempotencyKey(text: string, key: string): string {
  return `${text} [peakdesk-key:${key.replace(/[[\]]/g, '_')}]`;
}

export function idempotencyKeyOf(text: string | null | undefined): string | undefined {
  return text ? KEY_MARK.exec(text)?.[1] : undefined;
}

export function withoutIdempotencyKey(text: string | null | undefined): string {
  return (text ?? '').replace(KEY_MARK, '');
}

/** The key as `withIdempotencyKey` records it, for comparisons. */
export function recordedKey(key: string): string {
  return key.replace(/[[\]]/g, '_');
}

/** Vendure's default order process; a server with custom states falls back on whether the order is placed. */
const ORDER_STATUS: Record<string, OrderStatus> = {
  Created: 'pending_payment',
  Draft: 'pending_payment',
  AddingItems: 'pending_payment',
  ArrangingPayment: 'pending_payment',
  ArrangingAdditionalPayment: 'pending_payment',
  PaymentAuthorized: 'paid',
  PaymentSettled: 'paid',
  Modifying: 'paid',
  PartiallyShipped: 'partially_shipped',
  Shipped: 'shipped',
  PartiallyDelivered: 'shipped',
  Delivered: 'delivered',
  Cancelled: 'cancelled',
};

export function orderStatus(state: string, placed: boolean): OrderStatus {
  return ORDER_STATUS[state] ?? (placed ? 'paid' : 'pending_payment');
}

const REFUND_STATUS: Record<string, RefundStatus> = {
  Pending: 'pending',
  Settled: 'succeeded',
  Failed: 'failed',
};

const SHIPMENT_STATUS: Record<string, ShipmentStatus> = {
  Created: 'pending',
  Pending: 'pending',
  Shipped: 'in_transit',
  Delivered: 'delivered',
  Cancelled: 'exception',
};

/**
 * Vendure stores the carrier as free text (the fulfilment handler's `method`); PeakDesk wants a short code.
 * Known carriers get their usual code, anything else a slug of the name.
 */
const CARRIER_CODES: Record<string, string> = {
  'sf express': 'sf',
  sf: 'sf',
  'dhl express': 'dhl',
  dhl: 'dhl',
  ups: 'ups',
  fedex: 'fedex',
  'royal mail': 'royalmail',
  usps: 'usps',
  'jd logistics': 'jd',
  yto: 'yto',
  zto: 'zto',
  sto: 'sto',
};

export function carrierCode(method: string): string {
  const name = method.trim().toLowerCase();
  return CARRIER_CODES[name] ?? (name.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'unknown');
}

function money(amountMinor: number, currency: string): Money {
  return { amountMinor, currency };
}

function contact(value: string | null | undefined): ContactField | undefined {
  return value ? { value, masked: false } : undefined;
}

export function shipmentStatus(state: string): ShipmentStatus {
  return SHIPMENT_STATUS[state] ?? 'pending';
}

export function mapRefund(refund: VRefund, orderId: string, currency: string): Refund {
  const status = REFUND_STATUS[refund.state] ?? 'pending';
  const line = refund.lines.length === 1 ? refund.lines[0]!.orderLineId : undefined;
  return {
    externalId: refund.id,
    orderId,
    paymentId: refund.paymentId,
    ...(line ? { orderLineId: line } : {}),
    amount: money(refund.total, currency),
    reason: withoutIdempotencyKey(refund.reason),
    status,
    rawStatus: refund.state,
    createdAt: refund.createdAt,
    ...(status === 'succeeded' ? { succeededAt: refund.updatedAt } : {}),
  };
}

function paymentStatus(payment: VPayment): PaymentStatus {
  if (payment.state === 'Settled') {
    const refunded = settledRefundTotal(payment);
    if (refunded === 0) return 'succeeded';
    return refunded >= payment.amount ? 'refunded' : 'partially_refunded';
  }
  if (payment.state === 'Declined' || payment.state === 'Error' || payment.state === 'Cancelled')
    return 'failed';
  return 'pending';
}

export function settledRefundTotal(payment: VPayment): number {
  return payment.refunds.filter((r) => r.state === 'Settled').reduce((sum, r) => sum + r.total, 0);
}

/**
 * Vendure has tracking codes but no carrier scans: the events are the fulfilment's own state changes from the
 * order history (Shipped = handed to the carrier, Delivered), described as such.
 */
export function fulfillmentEvents(fulfillment: VFulfillment, history: VHistoryEntry[]): TrackingEvent[] {
  return history
    .filter(
      (h) =>
        h.type === 'ORDER_FULFILLMENT_TRANSITION' &&
        String(h.data.fulfillmentId) === fulfillment.id &&
        // Created → Pending is the warehouse opening the fulfilment, not a movement of the parcel.
        h.data.to !== 'Pending',
    )
    .map((h) => {
      const to = String(h.data.to);
      const kind: TrackingEvent['kind'] =
        to === 'Shipped' ? 'picked_up' : to === 'Delivered' ? 'delivered' : 'other';
      return {
        occurredAt: h.createdAt,
        kind,
        description: `${fulfillment.method}: fulfilment ${String(h.data.from)} → ${to} (recorded in Vendure)`,
        rawStatus: to,
      };
    });
}

export function mapShipment(fulfillment: VFulfillment, orderId: string, history: VHistoryEntry[]): Shipment {
  const events = fulfillmentEvents(fulfillment, history);
  const shipped = events.find((e) => e.rawStatus === 'Shipped');
  const delivered = events.find((e) => e.rawStatus === 'Delivered');
  return {
    externalId: fulfillment.id,
    orderId,
    carrierCode: carrierCode(fulfillment.method),
    carrierName: fulfillment.method,
    trackingNumber: fulfillment.trackingCode ?? '',
    status: shipmentStatus(fulfillment.state),
    rawStatus: fulfillment.state,
    ...(shipped ? { shippedAt: shipped.occurredAt } : {}),
    ...(delivered ? { deliveredAt: delivered.occurredAt } : {}),
    events,
  };
}

/**
 * The order's version: the id of its newest history entry. Vendure writes one for every state, payment,
 * fulfilment and refund transition, note and coupon, its ids only grow, and the webhook plugin sends the same
 * number, so a snapshot and an event compare exactly (Vendure's timestamps have one-second resolution).
 */
export function orderVersion(order: { history: { items: { id: string }[] }; updatedAt: string }): number {
  const ids = order.history.items.map((h) => Number(h.id)).filter(Number.isSafeInteger);
  return ids.length ? Math.max(...ids) : Date.parse(order.updatedAt);
}

export function mapOrder(o: VOrder): Order {
  const currency = o.currencyCode;
  const history = o.history.items;
  const payments = (o.payments ?? []).map((p) => ({
    externalId: p.id,
    method: p.method,
    amount: money(p.amount, currency),
    status: paymentStatus(p),
    rawStatus: p.state,
    ...(p.transactionId ? { transactionId: p.transactionId } : {}),
    ...(p.state === 'Settled' ? { paidAt: settledAt(p, history) } : {}),
    refunds: p.refunds.map((r) => mapRefund(r, o.id, currency)),
  }));
  const settled = (o.payments ?? []).filter((p) => p.state === 'Settled');
  const refundedByLine = new Map<string, number>();
  for (const refund of settled.flatMap((p) => p.refunds).filter((r) => r.state === 'Settled')) {
    for (const line of refund.lines) {
      refundedByLine.set(line.orderLineId, (refundedByLine.get(line.orderLineId) ?? 0) + line.quantity);
    }
  }
  const listSubtotal = o.lines.reduce((sum, l) => sum + l.linePriceWithTax, 0);
  const paidAt = payments.find((p) => p.paidAt)?.paidAt;
  const name = o.customer ? `${o.customer.firstName} ${o.customer.lastName}`.trim() : '';
  const address = o.shippingAddress;
  return {
    externalId: o.id,
    orderNumber: o.code,
    status: orderStatus(o.state, !o.active),
    rawStatus: o.state,
    currency,
    createdAt: o.orderPlacedAt ?? o.createdAt,
    updatedAt: o.updatedAt,
    ...(paidAt ? { paidAt } : {}),
    customer: {
      externalId: o.customer?.id ?? '',
      displayName: name || (o.customer?.emailAddress ?? ''),
      ...(o.customer?.emailAddress ? { email: contact(o.customer.emailAddress)! } : {}),
      ...(o.customer?.phoneNumber ? { phone: contact(o.customer.phoneNumber)! } : {}),
    },
    ...(address
      ? {
          shippingAddress: {
            name: { value: address.fullName ?? name, masked: false },
            phone: { value: address.phoneNumber ?? '', masked: false },
            province: address.province ?? '',
            city: address.city ?? '',
            // Vendure addresses have no district.
            district: '',
            street: {
              value: [address.streetLine1, address.streetLine2].filter(Boolean).join(', '),
              masked: false,
            },
            ...(address.postalCode ? { postalCode: address.postalCode } : {}),
            countryCode: address.countryCode ?? '',
          },
        }
      : {}),
    lines: o.lines.map((l) => ({
      externalId: l.id,
      sku: l.productVariant.sku,
      productId: l.productVariant.productId,
      title: l.productVariant.name,
      quantity: l.quantity,
      listUnitPrice: money(l.unitPriceWithTax, currency),
      paidUnitPrice: money(l.proratedUnitPriceWithTax, currency),
      discount: money(l.linePriceWithTax - l.proratedLinePriceWithTax, currency),
      total: money(l.proratedLinePriceWithTax, currency),
      refundedQuantity: refundedByLine.get(l.id) ?? 0,
    })),
    totals: {
      subtotal: money(listSubtotal, currency),
      discount: money(listSubtotal - o.subTotalWithTax, currency),
      shipping: money(o.shippingWithTax, currency),
      total: money(o.totalWithTax, currency),
      paid: money(
        settled.reduce((sum, p) => sum + p.amount, 0),
        currency,
      ),
      refunded: money(
        settled.reduce((sum, p) => sum + settledRefundTotal(p), 0),
        currency,
      ),
    },
    payments,
    shipments: (o.fulfillments ?? []).map((f) => mapShipment(f, o.id, history)),
    // Vendure core has no return or after-sale entity.
    afterSales: [],
    couponCodes: o.couponCodes,
    version: orderVersion(o),
  };
}

function settledAt(payment: VPayment, history: VHistoryEntry[]): string {
  const entry = history.find(
    (h) =>
      h.type === 'ORDER_PAYMENT_TRANSITION' &&
      String(h.data.paymentId) === payment.id &&
      h.data.to === 'Settled',
  );
  return entry?.createdAt ?? payment.updatedAt;
}

/**
 * A summary's `version` is its newest history entry id, like `mapOrder`'s and the webhooks', so reconciliation
 * can tell a change PeakDesk has seen (same version) from a new one, even within the one second Vendure's
 * `updatedAt` resolves.
 */
export function mapSummary(s: VSummary): OrderSummary {
  return {
    externalId: s.id,
    orderNumber: s.code,
    status: orderStatus(s.state, s.orderPlacedAt !== null),
    rawStatus: s.state,
    total: money(s.totalWithTax, s.currencyCode),
    customerId: s.customer?.id ?? '',
    createdAt: s.orderPlacedAt ?? s.createdAt,
    updatedAt: s.updatedAt,
    version: orderVersion(s),
  };
}
