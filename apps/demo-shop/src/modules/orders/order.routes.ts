import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { ShopApiError } from '../../errors.ts';
import { decodeCursor, encodeCursor, IdempotencyKey, Limit } from '../../http/schemas.ts';
import type { ShopSettings } from '../../settings.ts';
import { addOrderNote } from './note.service.ts';
import { presentOrder, presentShipment, presentSummary } from './order.presenter.ts';
import { findOrderId, listOrderSummaries, loadOrder, type SummaryFilter } from './order.repository.ts';

type Row = Record<string, unknown>;

export const orderRoutes: FastifyPluginAsyncTypebox<{
  pool: pg.Pool;
  settings: ShopSettings;
  now: () => Date;
}> = async (app, { pool, settings, now }) => {
  const present = async (orderId: string | null) => {
    const record = orderId ? await loadOrder(pool, orderId) : null;
    if (!record) throw new ShopApiError('NOT_FOUND', 'no such order');
    return presentOrder(record, settings.piiMasked);
  };

  app.get(
    '/orders/:orderId',
    {
      schema: {
        tags: ['orders'],
        summary: 'An order with lines, payments, refunds, shipments, after-sales',
        params: Type.Object({ orderId: Type.String() }),
      },
    },
    async (request) => present(await findOrderId(pool, { id: request.params.orderId })),
  );

  app.get(
    '/orders/by-number/:orderNumber',
    {
      schema: {
        tags: ['orders'],
        summary: 'An order by the number the buyer quotes',
        params: Type.Object({ orderNumber: Type.String() }),
      },
    },
    async (request) => present(await findOrderId(pool, { orderNumber: request.params.orderNumber })),
  );

  const page = async (filter: Omit<SummaryFilter, 'after'>, cursor: string | undefined) => {
    const after = cursor ? decodeCursor(cursor) : undefined;
    if (after === null) throw new ShopApiError('VALIDATION_FAILED', 'the cursor is not valid');
    const rows = await listOrderSummaries(pool, { ...filter, ...(after ? { after } : {}) });
    const items = rows.map(presentSummary);
    const last = items[items.length - 1];
    return {
      items,
      ...(last && items.length === filter.limit ? { nextCursor: encodeCursor(last.updatedAt, last.id) } : {}),
    };
  };

  app.get(
    '/orders',
    {
      schema: {
        tags: ['orders'],
        summary: "A customer's orders by phone, email, member id or nick; oldest change first",
        querystring: Type.Object({
          phone: Type.Optional(Type.String()),
          email: Type.Optional(Type.String()),
          memberId: Type.Optional(Type.String()),
          nick: Type.Optional(Type.String()),
          updatedSince: Type.Optional(Type.String({ format: 'date-time' })),
          cursor: Type.Optional(Type.String()),
          limit: Limit,
        }),
      },
    },
    async (request) => {
      const q = request.query;
      if (!q.phone && !q.email && !q.memberId && !q.nick && !q.updatedSince) {
        throw new ShopApiError('VALIDATION_FAILED', 'give phone, email, memberId, nick or updatedSince');
      }
      return page(
        {
          ...(q.phone ? { phone: q.phone } : {}),
          ...(q.email ? { email: q.email } : {}),
          ...(q.memberId ? { memberId: q.memberId } : {}),
          ...(q.nick ? { nick: q.nick } : {}),
          ...(q.updatedSince ? { updatedSince: new Date(q.updatedSince) } : {}),
          limit: q.limit ?? 50,
        },
        q.cursor,
      );
    },
  );

  app.get(
    '/orders/changes',
    {
      schema: {
        tags: ['orders'],
        summary: 'Orders changed at or after `since`, oldest first: the reconciliation feed',
        querystring: Type.Object({
          since: Type.String({ format: 'date-time' }),
          cursor: Type.Optional(Type.String()),
          limit: Limit,
        }),
      },
    },
    async (request) =>
      page(
        { updatedSince: new Date(request.query.since), limit: request.query.limit ?? 100 },
        request.query.cursor,
      ),
  );

  app.get(
    '/shipments/track',
    {
      schema: {
        tags: ['logistics'],
        summary: 'Tracking events by tracking number (and carrier), or all shipments of an order',
        querystring: Type.Object({
          trackingNumber: Type.Optional(Type.String()),
          carrierCode: Type.Optional(Type.String()),
          orderId: Type.Optional(Type.String()),
        }),
      },
    },
    async (request) => {
      const { trackingNumber, carrierCode, orderId } = request.query;
      if (!trackingNumber && !orderId)
        throw new ShopApiError('VALIDATION_FAILED', 'give trackingNumber or orderId');
      const { rows } = await pool.query<Row>(
        `SELECT id, order_id AS "orderId", carrier_code AS "carrierCode", tracking_number AS "trackingNumber",
                warehouse_code AS "warehouseCode", status, shipped_at AS "shippedAt", delivered_at AS "deliveredAt"
           FROM shipments
          WHERE ($1::text IS NULL OR tracking_number = $1) AND ($2::text IS NULL OR carrier_code = $2)
            AND ($3::text IS NULL OR order_id = $3)
          ORDER BY shipped_at`,
        [trackingNumber ?? null, carrierCode ?? null, orderId ?? null],
      );
      if (rows.length === 0) throw new ShopApiError('NOT_FOUND', 'no such shipment');
      const events = await pool.query<Row>(
        `SELECT shipment_id AS "shipmentId", seq, occurred_at AS "occurredAt", code, location, description
           FROM tracking_events WHERE shipment_id = ANY($1::text[]) ORDER BY seq`,
        [rows.map((r) => r.id as string)],
      );
      return {
        shipments: rows.map((s: Record<string, unknown>) =>
          presentShipment(
            s,
            events.rows.filter((e: Record<string, unknown>) => e.shipmentId === s.id),
          ),
        ),
      };
    },
  );

  app.post(
    '/orders/:orderId/notes',
    {
      schema: {
        tags: ['orders'],
        summary: 'Add a note to an order (idempotent by key)',
        params: Type.Object({ orderId: Type.String() }),
        body: Type.Object(
          {
            body: Type.String({ minLength: 1, maxLength: 2000 }),
            visibility: Type.Union([Type.Literal('internal'), Type.Literal('buyer')]),
            idempotencyKey: IdempotencyKey,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { note, replayed } = await addOrderNote(
        pool,
        { orderId: request.params.orderId, ...request.body },
        now(),
      );
      const { requestHash: _hash, ...view } = note;
      return reply
        .status(replayed ? 200 : 201)
        .send({ ...view, createdAt: (note.createdAt as Date).toISOString() });
    },
  );
};
