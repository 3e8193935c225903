import { ShopError, type ShopEvent } from '@peakdesk/commerce';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../errors.ts';
import { problems, Uuid } from '../../http/schemas.ts';
import { QueueOverloadedError } from '../intake/group-commit.ts';
import { isItemError } from '../intake/intake.service.ts';
import { isStorableEvent } from './event-plan.ts';
import type { OrderEventIngest } from './order-event.ingest.ts';
import type { WebhookConnections } from './webhook-connections.ts';

export interface OrderEventRoutesOptions {
  ingest: OrderEventIngest;
  connections: WebhookConnections;
}

const Ack = Type.Object({
  received: Type.Integer({ description: 'Events in the delivery' }),
  duplicates: Type.Integer({ description: 'Events seen before (dropped by event id)' }),
  stale: Type.Integer({ description: 'Events older than the order state PeakDesk holds (nothing changed)' }),
  applied: Type.Integer({ description: 'Events that added timeline entries to open tickets' }),
});

/**
 * `POST /webhooks/shops/:connectionId`: where a connected shop pushes its order events. The body is read as
 * raw bytes (a parser scoped to this plugin) because the signature covers exactly those bytes; re-serialised
 * JSON would not verify.
 */
export const orderEventRoutes: FastifyPluginAsyncTypebox<OrderEventRoutesOptions> = async (
  app,
  { ingest, connections },
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post(
    '/webhooks/shops/:connectionId',
    {
      // Public: shops cannot hold a PeakDesk session or token. The signature over the raw body, made with the
      // connection's webhook secret (checked by the connection's adapter before anything is written), is the
      // authentication; an unsigned, wrongly signed or tampered delivery gets 401 and changes nothing.
      config: { public: true, priority: 'normal' },
      schema: {
        tags: ['shops'],
        summary: "Receive a connected shop's signed order events",
        description:
          'The shop signs the raw body (demo shop: `X-DemoShop-Signature` over `<timestamp>.<body>`; Shopify: ' +
          "`X-Shopify-Hmac-Sha256`; Vendure with PeakDesk's plugin: `X-PeakDesk-Signature` over " +
          '`<timestamp>.<body>`). Duplicates (same event id) are acknowledged and dropped; events older ' +
          'than the order state PeakDesk holds change nothing; events on orders with open tickets add timeline ' +
          'entries and re-fetch the order. Answered after the events are stored.',
        params: Type.Object({ connectionId: Uuid }),
        response: { 200: Ack, ...problems(400, 401, 404, 413, 503) },
      },
    },
    async (request) => {
      const target = await connections.find(request.params.connectionId);
      if (!target) throw new AppError('SHOP_NOT_FOUND');
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      let events: ShopEvent[];
      try {
        events = target.adapter.parseWebhook({ headers: request.headers, rawBody });
      } catch (error) {
        if (error instanceof ShopError && error.code === 'BAD_SIGNATURE') {
          throw new AppError('WEBHOOK_SIGNATURE_INVALID', error.message);
        }
        if (error instanceof ShopError) throw new AppError('VALIDATION_FAILED', error.message);
        throw error;
      }
      if (!events.every(isStorableEvent)) {
        throw new AppError(
          'VALIDATION_FAILED',
          'every event needs an id, and no text may hold NUL characters',
        );
      }
      try {
        const plans = await Promise.all(
          events.map((event) =>
            ingest.submit({ tenantId: target.tenantId, connectionId: target.connectionId, event }),
          ),
        );
        const ack = { received: events.length, duplicates: 0, stale: 0, applied: 0 };
        for (const { outcome } of plans) {
          if (outcome === 'duplicate') ack.duplicates += 1;
          else if (outcome === 'stale') ack.stale += 1;
          else if (outcome === 'applied') ack.applied += 1;
        }
        return ack;
      } catch (error) {
        if (error instanceof QueueOverloadedError) {
          throw new AppError('OVERLOADED', 'Too many order events in flight; the shop retries later');
        }
        // The batch was bisected down to this delivery: its data cannot be stored.
        if (isItemError(error)) throw new AppError('VALIDATION_FAILED', 'the event could not be stored');
        throw error;
      }
    },
  );
};
