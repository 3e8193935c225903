import { CARRIERS, TIERS, WAREHOUSES } from '../../seed/catalog.ts';
import type { OrderRecord } from './order.repository.ts';

type Row = Record<string, unknown>;

export interface Money {
  amountMinor: number;
  currency: 'CNY';
}

export function money(fen: unknown): Money {
  return { amountMinor: Number(fen), currency: 'CNY' };
}

function iso(value: unknown): string | null {
  return value instanceof Date ? value.toISOString() : null;
}

/** The shop's own status texts, as its back office shows them. */
export const ORDER_STATUS_TEXT: Record<string, string> = {
  WAIT_BUYER_PAY: '待付款',
  WAIT_SELLER_SEND_GOODS: '待发货',
  WAIT_BUYER_CONFIRM_GOODS: '已发货',
  BUYER_SIGNED: '已签收',
  TRADE_FINISHED: '交易成功',
  TRADE_CLOSED: '交易关闭',
};

export const AFTERSALE_STATUS_TEXT: Record<string, string> = {
  WAIT_SELLER_AGREE: '待商家处理',
  WAIT_BUYER_RETURN_GOODS: '待买家退货',
  WAIT_SELLER_CONFIRM_GOODS: '待商家收货',
  SELLER_RECEIVED: '仓库已收货',
  WAIT_SELLER_REFUND: '待商家退款',
  SUCCESS: '退款成功',
  EXCHANGE_SENT: '换货已发出',
  SELLER_REFUSE: '商家拒绝',
  CLOSED: '售后关闭',
};

/** Masks like the big marketplaces: 王*, 138****0001, street hidden. */
export function maskName(name: string): string {
  return name.length <= 1 ? '*' : `${name[0]}${'*'.repeat(name.length - 1)}`;
}
export function maskPhone(phone: string): string {
  return phone.length < 7 ? '****' : `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
export function maskEmail(email: string): string {
  const [user = '', domain = ''] = email.split('@');
  return `${user.slice(0, 2)}***@${domain}`;
}

export function presentMember(m: Row, piiMasked: boolean) {
  const tier = TIERS.find(([raw]) => raw === m.tier);
  return {
    id: m.id as string,
    nick: m.nick as string,
    name: piiMasked ? maskName(m.name as string) : (m.name as string),
    phone: piiMasked ? maskPhone(m.phone as string) : (m.phone as string),
    email: m.email ? (piiMasked ? maskEmail(m.email as string) : (m.email as string)) : null,
    tier: m.tier as string,
    tierCode: tier?.[2] ?? 'regular',
    pointsBalance: Number(m.pointsBalance),
    storeCredit: money(m.storeCreditFen),
    joinedAt: iso(m.joinedAt),
    piiMasked,
  };
}

export function presentAfterSale(a: Row) {
  return {
    id: a.id as string,
    orderId: a.orderId as string,
    kind: a.kind as string,
    status: a.status as string,
    statusText: AFTERSALE_STATUS_TEXT[a.status as string] ?? (a.status as string),
    reason: a.reason as string,
    lines: a.lines as { orderLineId: string; quantity: number }[],
    requestedAmount: money(a.requestedFen),
    returnShipment: a.returnTracking
      ? { carrierCode: a.returnCarrier as string, trackingNumber: a.returnTracking as string }
      : null,
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
    version: a.version as number,
  };
}

export function presentRefund(r: Row) {
  return {
    id: r.id as string,
    orderId: r.orderId as string,
    paymentId: (r.paymentId as string | null) ?? null,
    afterSaleId: (r.afterSaleId as string | null) ?? null,
    orderLineId: (r.orderLineId as string | null) ?? null,
    amount: money(r.amountFen),
    reason: r.reason as string,
    status: r.status as string,
    createdAt: iso(r.createdAt),
    succeededAt: iso(r.succeededAt),
  };
}

export function presentShipment(s: Row, events: Row[]) {
  const carrier = CARRIERS.find((c) => c.code === s.carrierCode);
  return {
    id: s.id as string,
    orderId: s.orderId as string,
    carrierCode: s.carrierCode as string,
    carrierName: carrier?.name ?? (s.carrierCode as string),
    trackingNumber: s.trackingNumber as string,
    warehouseCode: s.warehouseCode as string,
    status: s.status as string,
    shippedAt: iso(s.shippedAt),
    deliveredAt: iso(s.deliveredAt),
    events: events.map((e) => ({
      seq: e.seq as number,
      occurredAt: iso(e.occurredAt),
      status: e.code as string,
      location: e.location as string,
      description: e.description as string,
    })),
  };
}

export function presentOrder(record: OrderRecord, piiMasked: boolean) {
  const o = record.order;
  const warehouse = WAREHOUSES.find((w) => w.code === o.warehouseCode);
  return {
    id: o.id as string,
    orderNumber: o.orderNumber as string,
    status: o.status as string,
    statusText: ORDER_STATUS_TEXT[o.status as string] ?? (o.status as string),
    campaign: (o.campaign as string | null) ?? null,
    createdAt: iso(o.createdAt),
    paidAt: iso(o.paidAt),
    updatedAt: iso(o.updatedAt),
    version: o.version as number,
    warehouse: { code: o.warehouseCode as string, name: warehouse?.name ?? '' },
    totals: {
      subtotal: money(o.subtotalFen),
      discount: money(o.discountFen),
      shipping: money(o.shippingFen),
      total: money(o.totalFen),
      paid: money(o.paidFen),
      refunded: money(o.refundedFen),
    },
    couponCodes: o.couponCode ? [o.couponCode as string] : [],
    customer: presentMember(record.member, piiMasked),
    piiMasked,
    shippingAddress: {
      name: piiMasked ? maskName(o.recipientName as string) : (o.recipientName as string),
      phone: piiMasked ? maskPhone(o.recipientPhone as string) : (o.recipientPhone as string),
      province: o.province as string,
      city: o.city as string,
      district: o.district as string,
      street: piiMasked ? '****' : (o.street as string),
    },
    lines: record.lines.map((l) => ({
      id: l.id as string,
      lineNo: l.lineNo as number,
      skuId: l.skuId as string,
      productId: l.productId as string,
      title: l.title as string,
      variant: l.variant as string,
      quantity: l.quantity as number,
      listUnitPrice: money(l.listUnitFen),
      paidUnitPrice: money(l.paidUnitFen),
      discount: money(l.discountFen),
      total: money(l.totalFen),
      refundedQuantity: l.refundedQuantity as number,
    })),
    payments: record.payments.map((p) => ({
      id: p.id as string,
      method: p.method as string,
      amount: money(p.amountFen),
      status: p.status as string,
      transactionId: p.transactionId as string,
      paidAt: iso(p.paidAt),
      refunds: record.refunds.filter((r) => r.paymentId === p.id || !r.paymentId).map(presentRefund),
    })),
    shipments: record.shipments.map((s) =>
      presentShipment(
        s,
        record.trackingEvents.filter((e) => e.shipmentId === s.id),
      ),
    ),
    afterSales: record.afterSales.map(presentAfterSale),
    notes: record.notes.map((n) => ({
      id: n.id as string,
      body: n.body as string,
      visibility: n.visibility as string,
      createdAt: iso(n.createdAt),
    })),
  };
}

export function presentSummary(s: Row) {
  return {
    id: s.id as string,
    orderNumber: s.orderNumber as string,
    status: s.status as string,
    total: money(s.totalFen),
    paid: money(s.paidFen),
    memberId: s.memberId as string,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
    version: s.version as number,
  };
}
