/**
 * Shopify webhook bodies (REST-shaped, snake_case) → what a ShopEvent carries. Pure; the signature is checked
 * before (ShopifyAdapter.parseWebhook).
 */
import type { ShipmentHint, ShopEventType } from './adapter.ts';
import { carrierCode, SHIPMENT_STATUS, toGid, versionOf } from './shopify.mapping.ts';

/** Webhook topics we subscribe to → normalised event types. Others are refused (400), not guessed. */
export const WEBHOOK_TOPICS: Record<string, ShopEventType> = {
  'orders/create': 'order.created',
  'orders/updated': 'order.updated',
  'orders/paid': 'order.paid',
  'orders/cancelled': 'order.cancelled',
  'fulfillments/create': 'order.shipped',
  'fulfillments/update': 'shipment.updated',
  'refunds/create': 'refund.succeeded',
};

/** The REST-shaped webhook bodies (snake_case), as much of them as we read. */
export interface ShWebhookBody {
  id?: number | string;
  admin_graphql_api_id?: string;
  order_id?: number | string;
  name?: string;
  updated_at?: string;
  created_at?: string;
  status?: string;
  shipment_status?: string | null;
  tracking_company?: string | null;
  tracking_number?: string | null;
}

/** Where in a topic's body the order is, and whether the body carries the order's own updated_at. */
export function webhookOrderRef(
  topic: string,
  body: ShWebhookBody,
): { orderId?: string; orderNumber?: string; orderVersion?: number } {
  if (topic.startsWith('orders/')) {
    const id = body.admin_graphql_api_id ?? (body.id !== undefined ? toGid('Order', body.id) : undefined);
    return {
      ...(id ? { orderId: id } : {}),
      ...(body.name ? { orderNumber: body.name } : {}),
      // Only an order body's updated_at is the order's version; a fulfillment's or refund's is not.
      ...(body.updated_at ? { orderVersion: versionOf(body.updated_at) } : {}),
    };
  }
  return body.order_id !== undefined ? { orderId: toGid('Order', body.order_id) } : {};
}

/** REST `shipment_status` of a fulfillment webhook (lower-case FulfillmentEventStatus) → our status. */
export function fulfillmentHint(body: ShWebhookBody): ShipmentHint {
  const raw = body.shipment_status ?? null;
  const status = raw
    ? SHIPMENT_STATUS[raw.toUpperCase()]
    : body.status === 'success'
      ? 'in_transit'
      : undefined;
  return {
    ...(body.admin_graphql_api_id ? { shipmentId: body.admin_graphql_api_id } : {}),
    ...(body.tracking_company ? { carrierCode: carrierCode(body.tracking_company) } : {}),
    ...(body.tracking_number ? { trackingNumber: body.tracking_number } : {}),
    ...(status ? { status } : {}),
    ...(raw ? { rawStatus: raw } : {}),
  };
}
