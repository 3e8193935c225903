import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { withTransaction } from '../../db/transaction.ts';
import { ShopApiError } from '../../errors.ts';
import type { Chaos } from '../../http/chaos.ts';
import type { ShopSettings } from '../../settings.ts';
import { enqueueEvent, outboxStats } from '../events/outbox.repository.ts';
import { advanceShipment } from '../orders/shipment-progress.ts';
import type { SurgeRunner } from './surge.ts';

const Rate = Type.Number({ minimum: 0, maximum: 1 });

/** Operator switches for demos and resilience tests. Same API key as the shop API. */
export const adminRoutes: FastifyPluginAsyncTypebox<{
  pool: pg.Pool;
  chaos: Chaos;
  surge: SurgeRunner;
  settings: ShopSettings;
  now: () => Date;
}> = async (app, { pool, chaos, surge, settings, now }) => {
  const ChaosBody = Type.Object(
    {
      latencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
      latencyJitterMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
      failureRate: Type.Optional(Rate),
      timeoutRate: Type.Optional(Rate),
    },
    { additionalProperties: false },
  );
  // The chaos switches in force
  app.get('/chaos', async () => chaos.settings);
  app.post(
    '/chaos',
    {
      schema: {
        tags: ['admin'],
        summary: 'Set latency, failures and timeouts on /api/* (omitted fields reset to 0)',
        body: ChaosBody,
      },
    },
    async (request) => {
      chaos.settings = { latencyMs: 0, latencyJitterMs: 0, failureRate: 0, timeoutRate: 0, ...request.body };
      return chaos.settings;
    },
  );

  app.post(
    '/settings',
    {
      schema: {
        tags: ['admin'],
        summary: 'Runtime switches: piiMasked',
        body: Type.Object({ piiMasked: Type.Boolean() }, { additionalProperties: false }),
      },
    },
    async (request) => {
      settings.piiMasked = request.body.piiMasked;
      return settings;
    },
  );

  app.post(
    '/surge',
    {
      schema: {
        tags: ['admin'],
        summary: 'Start a bounded burst of orders and events; it stops by itself',
        body: Type.Object(
          {
            orders: Type.Integer({ minimum: 0, maximum: 100_000 }),
            eventsPerSecond: Type.Integer({ minimum: 1, maximum: 20_000 }),
            durationSeconds: Type.Integer({ minimum: 1, maximum: 600 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => reply.status(202).send(surge.start(request.body)),
  );
  // The current or last surge
  app.get('/surge', async () => {
    const status = surge.current();
    if (!status) throw new ShopApiError('NOT_FOUND', 'no surge yet');
    return status;
  });
  // Stop the running surge
  app.delete('/surge', async () => {
    surge.stop();
    return surge.current() ?? {};
  });

  app.post(
    '/shipments/:shipmentId/advance',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Move a parcel one carrier scan further (delivery also marks the order signed); emits shipment.updated',
        params: Type.Object({ shipmentId: Type.String() }),
      },
    },
    async (request) => {
      const advanced = await withTransaction(pool, (client) =>
        advanceShipment(client, request.params.shipmentId, now()),
      );
      return { advanced };
    },
  );

  // Outbox counts: pending, delivered, failing
  app.get('/outbox', async () => outboxStats(pool));

  app.post(
    '/prices',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add a price point to a SKU (a campaign price drop) and emit price.changed',
        body: Type.Object(
          {
            skuId: Type.String(),
            kind: Type.Union(['list', 'campaign', 'flash_sale', 'member_only'].map((k) => Type.Literal(k))),
            amountMinor: Type.Integer({ minimum: 1 }),
            startsAt: Type.String({ format: 'date-time' }),
            endsAt: Type.Optional(Type.String({ format: 'date-time' })),
            campaign: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const body = request.body;
      await withTransaction(pool, async (client) => {
        const sku = await client.query(`SELECT 1 FROM skus WHERE id = $1`, [body.skuId]);
        if (sku.rowCount === 0) throw new ShopApiError('NOT_FOUND', 'no such SKU');
        await client.query(
          `INSERT INTO price_points (sku_id, kind, price_fen, starts_at, ends_at, campaign) VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            body.skuId,
            body.kind,
            body.amountMinor,
            new Date(body.startsAt),
            body.endsAt ? new Date(body.endsAt) : null,
            body.campaign ?? null,
          ],
        );
        await enqueueEvent(client, {
          type: 'price.changed',
          occurredAt: now(),
          data: {
            skuId: body.skuId,
            kind: body.kind,
            price: { amountMinor: body.amountMinor, currency: 'CNY' },
            startsAt: body.startsAt,
            endsAt: body.endsAt ?? null,
          },
        });
      });
      return reply.status(201).send({ skuId: body.skuId });
    },
  );
};
