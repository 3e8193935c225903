/**
 * The demo shop's JSON (its own status codes, Chinese status texts, ids) → the normalised model. Pure, so
 * that the mapping is tested without a shop; raw statuses are always kept beside the normalised ones.
 */
import type {
  AfterSale,
  AfterSaleKind,
  AfterSaleStatus,
  ContactField,
  MemberTier,
  Money,
  Order,
  OrderStatus,
  OrderSummary,
  PaymentStatus,
  Refund,
  RefundStatus,
  Shipment,
  ShipmentStatus,
  TrackingEventKind,
} from './types.ts';

/* The shapes the demo shop answers with (apps/demo-shop/src/modules/orders/order.presenter.ts). */
export interface DsRefund {
  id: string;
  orderId: string;
  paymentId: string | null;
  afterSaleId: string | null;
  orderLineId: string | null;
  amount: Money;
  reason: string;
  status: string;
  createdAt: string;
  succeededAt: string | null;
}
export interface DsShipment {
  id: string;
  orderId: string;
  carrierCode: string;
  carrierName: string;
  trackingNumber: string;
  status: string;
  shippedAt: string | null;
  deliveredAt: string | null;
  events: { seq: number; occurredAt: string; status: string; location: string; description: string }[];
}
export interface DsAfterSale {
  id: string;
  orderId: string;
  kind: string;
  status: string;
  reason: string;
  lines: { orderLineId: string; quantity: number }[];
  requestedAmount: Money;
  returnShipment: { carrierCode: string; trackingNumber: string } | null;
  createdAt: string;
  updatedAt: string;
}
export interface DsMember {
  id: string;
  nick: string;
  name: string;
  phone: string;
  email: string | null;
  tier: string;
  tierCode: string;
  pointsBalance: number;
  storeCredit: Money;
  joinedAt: string;
  piiMasked: boolean;
}
export interface DsOrder {
  id: string;
  orderNumber: string;
  status: string;
  campaign: string | null;
  createdAt: string;
  paidAt: string | null;
  updatedAt: string;
  version: number;
  totals: Record<'subtotal' | 'discount' | 'shipping' | 'total' | 'paid' | 'refunded', Money>;
  couponCodes: string[];
  customer: DsMember;
  piiMasked: boolean;
  shippingAddress: {
    name: string;
    phone: string;
    province: string;
    city: string;
    district: string;
    street: string;
  };
  lines: {
    id: string;
    skuId: string;
    productId: string;
    title: string;
    variant: string;
    quantity: number;
    listUnitPrice: Money;
    paidUnitPrice: Money;
    discount: Money;
    total: Money;
    refundedQuantity: number;
  }[];
  payments: {
    id: string;
    method: string;
    amount: Money;
    status: string;
    transactionId: string;
    paidAt: string | null;
    refunds: DsRefund[];
  }[];
  shipments: DsShipment[];
  afterSales: DsAfterSale[];
}
export interface DsSummary {
  id: string;
  orderNumber: string;
  status: string;
  total: Money;
  paid: Money;
  memberId: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function orderStatus(raw: string, paid: Money): OrderStatus {
  switch (raw) {
    case 'WAIT_BUYER_PAY':
      return 'pending_payment';
    case 'WAIT_SELLER_SEND_GOODS':
      return 'paid';
    case 'WAIT_BUYER_CONFIRM_GOODS':
      return 'shipped';
    case 'BUYER_SIGNED':
      return 'delivered';
    case 'TRADE_FINISHED':
      return 'completed';
    default:
      // TRADE_CLOSED: cancelled before payment, or closed after a full refund.
      return paid.amountMinor === 0 ? 'cancelled' : 'closed';
  }
}

const SHIPMENT_STATUS: Record<string, ShipmentStatus> = {
  WAIT_PICKUP: 'pending',
  IN_TRANSIT: 'in_transit',
  DELIVERING: 'out_for_delivery',
  SIGNED: 'delivered',
  DELAYED: 'exception',
  RETURNED: 'returned',
  LOST: 'lost',
};

const TRACKING_KIND: Record<string, TrackingEventKind> = {
  揽收: 'picked_up',
  发往: 'departed',
  到达: 'arrived',
  派送中: 'out_for_delivery',
  已签收: 'delivered',
  滞留: 'delayed',
  退回: 'returned',
  丢件: 'lost',
};

const AFTERSALE_STATUS: Record<string, AfterSaleStatus> = {
  WAIT_SELLER_AGREE: 'requested',
  WAIT_BUYER_RETURN_GOODS: 'approved',
  WAIT_SELLER_REFUND: 'approved',
  WAIT_SELLER_CONFIRM_GOODS: 'return_shipped',
  SELLER_RECEIVED: 'received',
  SUCCESS: 'refunded',
  EXCHANGE_SENT: 'exchange_shipped',
  SELLER_REFUSE: 'rejected',
  CLOSED: 'closed',
};

const PAYMENT_STATUS: Record<string, PaymentStatus> = {
  PAID: 'succeeded',
  PARTIAL_REFUNDED: 'partially_refunded',
  REFUNDED: 'refunded',
};

const REFUND_STATUS: Record<string, RefundStatus> = {
  SUCCESS: 'succeeded',
  PROCESSING: 'pending',
  FAILED: 'failed',
};

const TIERS: readonly MemberTier[] = ['regular', 'silver', 'gold', 'black_diamond'];

export function memberTier(code: string): MemberTier {
  return (TIERS as readonly string[]).includes(code) ? (code as MemberTier) : 'regular';
}

const opt = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

export function mapRefund(r: DsRefund): Refund {
  return {
    externalId: r.id,
    orderId: r.orderId,
    ...(r.paymentId ? { paymentId: r.paymentId } : {}),
    ...(r.afterSaleId ? { afterSaleId: r.afterSaleId } : {}),
    ...(r.orderLineId ? { orderLineId: r.orderLineId } : {}),
    amount: r.amount,
    reason: r.reason,
    status: REFUND_STATUS[r.status] ?? 'pending',
    rawStatus: r.status,
    createdAt: r.createdAt,
    ...(r.succeededAt ? { succeededAt: r.succeededAt } : {}),
  };
}

export function mapShipment(s: DsShipment): Shipment {
  return {
    externalId: s.id,
    orderId: s.orderId,
    carrierCode: s.carrierCode,
    carrierName: s.carrierName,
    trackingNumber: s.trackingNumber,
    status: SHIPMENT_STATUS[s.status] ?? 'in_transit',
    rawStatus: s.status,
    ...(s.shippedAt ? { shippedAt: s.shippedAt } : {}),
    ...(s.deliveredAt ? { deliveredAt: s.deliveredAt } : {}),
    events: s.events.map((e) => ({
      occurredAt: e.occurredAt,
      kind: TRACKING_KIND[e.status] ?? 'other',
      description: e.description,
      location: e.location,
      rawStatus: e.status,
    })),
  };
}

export function mapAfterSale(a: DsAfterSale): AfterSale {
  return {
    externalId: a.id,
    orderId: a.orderId,
    kind: a.kind as AfterSaleKind,
    status: AFTERSALE_STATUS[a.status] ?? 'requested',
    rawStatus: a.status,
    reason: a.reason,
    lines: a.lines,
    requestedAmount: a.requestedAmount,
    ...(a.returnShipment ? { returnShipment: a.returnShipment } : {}),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

function contact(value: string, masked: boolean): ContactField {
  return { value, masked };
}

export function mapOrder(o: DsOrder): Order {
  const masked = o.piiMasked;
  return {
    externalId: o.id,
    orderNumber: o.orderNumber,
    status: orderStatus(o.status, o.totals.paid),
    rawStatus: o.status,
    currency: o.totals.total.currency,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    ...(o.paidAt ? { paidAt: o.paidAt } : {}),
    customer: {
      externalId: o.customer.id,
      displayName: o.customer.name,
      buyerNick: o.customer.nick,
      phone: contact(o.customer.phone, masked),
      ...(o.customer.email ? { email: contact(o.customer.email, masked) } : {}),
      tier: memberTier(o.customer.tierCode),
      rawTier: o.customer.tier,
    },
    shippingAddress: {
      name: contact(o.shippingAddress.name, masked),
      phone: contact(o.shippingAddress.phone, masked),
      province: o.shippingAddress.province,
      city: o.shippingAddress.city,
      district: o.shippingAddress.district,
      street: contact(o.shippingAddress.street, masked),
      countryCode: 'CN',
    },
    lines: o.lines.map((l) => ({
      externalId: l.id,
      sku: l.skuId,
      productId: l.productId,
      title: l.title,
      variant: l.variant,
      quantity: l.quantity,
      listUnitPrice: l.listUnitPrice,
      paidUnitPrice: l.paidUnitPrice,
      discount: l.discount,
      total: l.total,
      refundedQuantity: l.refundedQuantity,
    })),
    totals: o.totals,
    payments: o.payments.map((p) => ({
      externalId: p.id,
      method: p.method,
      amount: p.amount,
      status: PAYMENT_STATUS[p.status] ?? 'pending',
      rawStatus: p.status,
      transactionId: p.transactionId,
      ...(p.paidAt ? { paidAt: p.paidAt } : {}),
      refunds: p.refunds.map(mapRefund),
    })),
    shipments: o.shipments.map(mapShipment),
    afterSales: o.afterSales.map(mapAfterSale),
    couponCodes: o.couponCodes,
    ...(opt(o.campaign) ? { campaign: o.campaign! } : {}),
    version: o.version,
  };
}

export function mapSummary(s: DsSummary): OrderSummary {
  return {
    externalId: s.id,
    orderNumber: s.orderNumber,
    status: orderStatus(s.status, s.paid),
    rawStatus: s.status,
    total: s.total,
    customerId: s.memberId,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    version: s.version,
  };
}
