import type { Order, Shipment } from '@peakdesk/commerce';
import type { TicketStatus } from '../../db/tables.ts';
import { isOpenStatus } from '../tickets/ticket-status.ts';

/**
 * Event-driven help, the pure part: when the order behind an open "where is my parcel" ticket ships or is
 * delivered, PeakDesk answers the customer with the carrier and tracking number and sets the ticket pending
 * (shipped: we wait to hear it arrived) or solved (delivered). Decided on the order as re-fetched from the
 * shop, never on the event alone (events are hints). `key` names the shipment state answered, so the caller
 * can make "one reply per shipment state" a unique row, whatever duplicates or concurrent jobs do.
 */
export const AUTO_REPLY_CATEGORIES: readonly string[] = ['shipping_eta', 'logistics'];

export type ShipmentState = 'shipped' | 'delivered';
export type ReplyLocale = 'zh-CN' | 'en-US';

export interface ReplyTicket {
  status: TicketStatus;
  category: string | null;
  /** From the customer's text (classifier/language.ts); Chinese when unknown. */
  language: 'zh' | 'en' | null;
}

export interface ShipmentReply {
  key: string;
  shipmentId: string;
  state: ShipmentState;
  nextStatus: Extract<TicketStatus, 'pending' | 'solved'>;
  locale: ReplyLocale;
  body: string;
}

/**
 * The parcel to talk about and its state: the latest shipment that is on its way or delivered. A parcel
 * with an exception (delayed, returned, lost) gets no automatic answer: a person should explain that.
 */
export function shipmentStateOf(order: Order): { shipment: Shipment; state: ShipmentState } | null {
  const latest = [...order.shipments]
    .filter((s) => s.trackingNumber !== '')
    .sort((a, b) => (a.shippedAt ?? '').localeCompare(b.shippedAt ?? ''))
    .at(-1);
  if (!latest) return null;
  switch (latest.status) {
    case 'delivered':
      return { shipment: latest, state: 'delivered' };
    case 'in_transit':
    case 'out_for_delivery':
      return { shipment: latest, state: 'shipped' };
    case 'pending':
    case 'exception':
    case 'returned':
    case 'lost':
      return null;
  }
}

export function decideShipmentReply(
  ticket: ReplyTicket,
  order: Order,
  enabled: boolean,
): ShipmentReply | null {
  if (!enabled || !isOpenStatus(ticket.status)) return null;
  if (ticket.category === null || !AUTO_REPLY_CATEGORIES.includes(ticket.category)) return null;
  const found = shipmentStateOf(order);
  if (!found) return null;
  const { shipment, state } = found;
  const locale: ReplyLocale = ticket.language === 'en' ? 'en-US' : 'zh-CN';
  return {
    key: `${shipment.externalId}:${state}`,
    shipmentId: shipment.externalId,
    state,
    nextStatus: state === 'delivered' ? 'solved' : 'pending',
    locale,
    body: replyText(locale, state, {
      orderNumber: order.orderNumber,
      carrier: shipment.carrierName || shipment.carrierCode,
      trackingNumber: shipment.trackingNumber,
    }),
  };
}

export function replyText(
  locale: ReplyLocale,
  state: ShipmentState,
  p: { orderNumber: string; carrier: string; trackingNumber: string },
): string {
  if (locale === 'zh-CN') {
    return state === 'shipped'
      ? `您好，您的订单 ${p.orderNumber} 已发货：${p.carrier}，运单号 ${p.trackingNumber}。物流信息可能有几个小时的延迟，请耐心等待。如有其他问题，直接回复本消息即可。`
      : `您好，您的订单 ${p.orderNumber} 已由 ${p.carrier} 送达签收（运单号 ${p.trackingNumber}）。如果您没有收到包裹或还有其他问题，直接回复本消息，我们会继续为您处理。`;
  }
  return state === 'shipped'
    ? `Hello, your order ${p.orderNumber} has shipped with ${p.carrier}, tracking number ${p.trackingNumber}. Tracking updates can take a few hours to appear. If there is anything else, just reply to this message.`
    : `Hello, ${p.carrier} reports your order ${p.orderNumber} as delivered (tracking number ${p.trackingNumber}). If you have not received it or need anything else, just reply to this message and we will look into it.`;
}
