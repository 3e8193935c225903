import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ShipmentHint, ShopEvent, ShopEventType, WebhookRequest } from './adapter.ts';
import { ShopError } from './errors.ts';
import { carrierCode, shipmentStatus } from './vendure.mapping.ts';

/**
 * The webhooks of PeakDesk's Vendure plugin (apps/vendure-fixture/src/peakdesk-webhook.plugin.ts): one per
 * order history entry, `x-peakdesk-signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`.
 */
export interface VendureWebhookBody {
  id: string;
  /** The history entry type: ORDER_STATE_TRANSITION, ORDER_FULFILLMENT_TRANSITION, ORDER_REFUND_TRANSITION… */
  topic: string;
  occurredAt: string;
  order: { id: string; code: string; state: string; updatedAt: string; version: number };
  data: Record<string, unknown>;
}

const ORDER_STATE_EVENTS: Record<string, ShopEventType> = {
  ArrangingPayment: 'order.created',
  PaymentAuthorized: 'order.paid',
  PaymentSettled: 'order.paid',
  PartiallyShipped: 'order.shipped',
  Shipped: 'order.shipped',
  PartiallyDelivered: 'shipment.updated',
  Delivered: 'shipment.updated',
  Cancelled: 'order.cancelled',
};

/**
 * Which normalised event a history entry is. Entries without a type of their own (notes, coupons, payment
 * transitions that an order transition repeats, partial cancellations, modifications) are `order.updated`.
 */
export function vendureEventType(topic: string, data: Record<string, unknown>): ShopEventType {
  switch (topic) {
    case 'ORDER_STATE_TRANSITION':
      return ORDER_STATE_EVENTS[String(data.to)] ?? 'order.updated';
    case 'ORDER_FULFILLMENT_TRANSITION':
      return 'shipment.updated';
    case 'ORDER_REFUND_TRANSITION':
      return data.to === 'Settled' ? 'refund.succeeded' : 'order.updated';
    default:
      return 'order.updated';
  }
}

/** The plugin adds the fulfilment (carrier name, tracking code) to fulfilment transitions. */
function shipmentHint(data: Record<string, unknown>): ShipmentHint | undefined {
  const f = data.fulfillment as { id?: string; method?: string; trackingCode?: string | null } | undefined;
  if (!f || typeof f !== 'object') return undefined;
  const state = typeof data.to === 'string' ? data.to : undefined;
  return {
    ...(f.id ? { shipmentId: String(f.id) } : {}),
    ...(f.method ? { carrierCode: carrierCode(f.method) } : {}),
    ...(f.trackingCode ? { trackingNumber: f.trackingCode } : {}),
    ...(state ? { status: shipmentStatus(state), rawStatus: state } : {}),
  };
}

function header(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Verifies the signature over the raw body and the replay window, then normalises. */
export function parseVendureWebhook(
  request: WebhookRequest,
  secret: string,
  toleranceSeconds: number,
): ShopEvent[] {
  const timestamp = Number(header(request, 'x-peakdesk-timestamp'));
  const now = (request.now ?? new Date()).getTime() / 1000;
  if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > toleranceSeconds) {
    throw new ShopError('BAD_SIGNATURE', 'the event timestamp is missing or outside the replay window');
  }
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(request.rawBody).digest('hex')}`,
  );
  const given = Buffer.from(header(request, 'x-peakdesk-signature') ?? '');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new ShopError('BAD_SIGNATURE', 'the event signature does not match');
  }
  let body: VendureWebhookBody;
  try {
    body = JSON.parse(request.rawBody.toString()) as VendureWebhookBody;
  } catch (error) {
    throw new ShopError('INVALID_REQUEST', 'the event body is not JSON', { cause: error });
  }
  if (typeof body.id !== 'string' || typeof body.order?.id !== 'string') {
    throw new ShopError('INVALID_REQUEST', 'the event body is not a PeakDesk Vendure event');
  }
  const data = body.data ?? {};
  const shipment = body.topic === 'ORDER_FULFILLMENT_TRANSITION' ? shipmentHint(data) : undefined;
  return [
    {
      eventId: body.id,
      type: vendureEventType(body.topic, data),
      occurredAt: body.occurredAt,
      orderId: body.order.id,
      orderNumber: body.order.code,
      orderVersion: body.order.version,
      ...(shipment ? { shipment } : {}),
      rawType: body.topic,
      raw: body,
    },
  ];
}
