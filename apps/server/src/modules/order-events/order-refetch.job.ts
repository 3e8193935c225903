import type { OrderRef } from '@peakdesk/commerce';
import type { JobContext } from '../../jobs/task.ts';
import { advanceReturnsFromOrder } from '../aftersales/returns-events.ts';
import { upsertSnapshot } from '../shops/order-snapshot.repository.ts';
import { findConnection } from '../shops/shop-connection.repository.ts';
import { defaultShopGateway, type ShopGateway } from '../shops/shop-gateway.ts';
import type { RefetchPayload } from './order-event.ingest.ts';
import { answerShipmentTickets } from './shipment-reply.service.ts';

function isPayload(p: unknown): p is RefetchPayload {
  const o = p as Partial<RefetchPayload> | null;
  return (
    typeof o?.tenantId === 'string' &&
    typeof o.connectionId === 'string' &&
    (typeof o.orderId === 'string' || typeof o.orderNumber === 'string')
  );
}

/**
 * `shops.refetch-order`: an event said an order with open tickets changed; fetch it from the shop (through
 * the gateway's timeout and breaker), store the snapshot (never backwards), and answer shipping tickets when
 * the tenant wants that. Idempotent: a second run stores the same snapshot and finds the replies claimed.
 * Throws when the shop cannot answer, so graphile-worker retries with backoff.
 */
export async function refetchOrderTask(
  payload: unknown,
  ctx: Pick<JobContext, 'db' | 'now'>,
  gateway: ShopGateway = defaultShopGateway(),
): Promise<void> {
  if (!isPayload(payload)) return;
  const connection = await findConnection(ctx.db, payload.tenantId, payload.connectionId);
  if (!connection || connection.status !== 'active') return;
  const ref: OrderRef = payload.orderId
    ? { orderId: payload.orderId }
    : { orderNumber: payload.orderNumber! };
  const order = await gateway.call(connection, (adapter) => adapter.getOrder(ref));
  if (!order) return;
  const now = ctx.now();
  const outcome = await upsertSnapshot(ctx.db, connection.tenantId, connection.id, order, now);
  // A newer state is stored already: its own fetch answers from that state, not from this older one.
  if (outcome === 'ignored') return;
  await answerShipmentTickets(ctx.db, connection, order, now);
  // Returns opened from tickets move forward from the same fetched order (aftersale.updated, refund.succeeded).
  await advanceReturnsFromOrder(ctx.db, connection, order, now);
}
