import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.ts';
import { shopSecretBox } from '../shops/shop-secret-box.ts';
import { OrderEventIngest, type EventIngestOptions } from './order-event.ingest.ts';
import type { OrderEventRoutesOptions } from './order-event.routes.ts';
import { WebhookConnections } from './webhook-connections.ts';

/**
 * Builds the event ingestion (group commit) and the webhook connection cache, drains queued events when the
 * app closes, and drops cached orders that an event changed (when the shops module is set up).
 */
export function setUpOrderEvents(
  app: FastifyInstance,
  deps: { db: Db; now: () => Date; options?: EventIngestOptions; connectionTtlMs?: number },
): OrderEventRoutesOptions {
  const ingest = new OrderEventIngest(
    {
      db: deps.db,
      now: deps.now,
      afterCommit: (items, plans) => {
        const lookup = app.hasDecorator('shops') ? app.shops.lookup : undefined;
        if (!lookup) return;
        plans.forEach((plan, i) => {
          if (!plan.markSnapshotStale && !plan.refetch) return;
          const item = items[i]!;
          lookup
            .invalidate(
              { tenantId: item.tenantId, id: item.connectionId },
              {
                ...(plan.orderId !== undefined ? { orderId: plan.orderId } : {}),
                ...(plan.orderNumber !== undefined ? { orderNumber: plan.orderNumber } : {}),
              },
            )
            .catch((error: unknown) => app.log.warn({ err: error }, 'order cache invalidation failed'));
        });
      },
    },
    deps.options,
  );
  const connections = new WebhookConnections({
    db: deps.db,
    secrets: shopSecretBox,
    ...(deps.connectionTtlMs !== undefined
      ? { ttlMs: deps.connectionTtlMs, missTtlMs: deps.connectionTtlMs }
      : {}),
  });
  app.addHook('onClose', () => ingest.committer.drain());
  return { ingest, connections };
}
