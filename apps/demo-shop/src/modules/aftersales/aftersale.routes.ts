import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { ShopApiError } from '../../errors.ts';
import { IdempotencyKey, MoneyInput } from '../../http/schemas.ts';
import { presentAfterSale, presentRefund } from '../orders/order.presenter.ts';
import { findOrderId } from '../orders/order.repository.ts';
import { issueRefund } from '../refunds/refund.service.ts';
import { actOnAfterSale, createAfterSale, getAfterSale, listAfterSales } from './aftersale.service.ts';

const OrderParams = Type.Object({ orderId: Type.String() });

export const afterSaleRoutes: FastifyPluginAsyncTypebox<{ pool: pg.Pool; now: () => Date }> = async (
  app,
  { pool, now },
) => {
  app.get(
    '/orders/:orderId/aftersales',
    {
      schema: {
        tags: ['after-sales'],
        summary: "An order's returns, exchanges and refund requests",
        params: OrderParams,
      },
    },
    async (request) => {
      if (!(await findOrderId(pool, { id: request.params.orderId })))
        throw new ShopApiError('NOT_FOUND', 'no such order');
      return { items: (await listAfterSales(pool, request.params.orderId)).map(presentAfterSale) };
    },
  );

  app.post(
    '/orders/:orderId/aftersales',
    {
      schema: {
        tags: ['after-sales'],
        summary: 'Open a return, exchange or refund-only request (idempotent by key)',
        params: OrderParams,
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal('return'), Type.Literal('exchange'), Type.Literal('refund_only')]),
            lines: Type.Array(
              Type.Object(
                { orderLineId: Type.String(), quantity: Type.Integer({ minimum: 1, maximum: 999 }) },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 50 },
            ),
            reason: Type.String({ minLength: 1, maxLength: 500 }),
            initiatedBy: Type.Optional(Type.Union([Type.Literal('seller'), Type.Literal('buyer')])),
            idempotencyKey: IdempotencyKey,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { afterSale, replayed } = await createAfterSale(
        pool,
        { ...body, orderId: request.params.orderId, initiatedBy: body.initiatedBy ?? 'seller' },
        now(),
      );
      return reply.status(replayed ? 200 : 201).send(presentAfterSale(afterSale));
    },
  );

  app.get(
    '/aftersales/:afterSaleId',
    {
      schema: {
        tags: ['after-sales'],
        summary: 'One after-sale',
        params: Type.Object({ afterSaleId: Type.String() }),
      },
    },
    async (request) => {
      const found = await getAfterSale(pool, request.params.afterSaleId);
      if (!found) throw new ShopApiError('NOT_FOUND', 'no such after-sale');
      return presentAfterSale(found);
    },
  );

  app.post(
    '/aftersales/:afterSaleId/actions',
    {
      schema: {
        tags: ['after-sales'],
        summary:
          'Answer or progress an after-sale: approve, reject, mark the return shipped, confirm received, ship the exchange',
        params: Type.Object({ afterSaleId: Type.String() }),
        body: Type.Object(
          {
            action: Type.Union(
              ['approve', 'reject', 'mark_return_shipped', 'confirm_received', 'ship_exchange'].map((a) =>
                Type.Literal(a),
              ),
            ),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
            returnShipment: Type.Optional(
              Type.Object(
                { carrierCode: Type.String(), trackingNumber: Type.String() },
                { additionalProperties: false },
              ),
            ),
            idempotencyKey: IdempotencyKey,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const body = request.body;
      const afterSale = await actOnAfterSale(
        pool,
        {
          afterSaleId: request.params.afterSaleId,
          action: body.action,
          note: body.note,
          returnShipment: body.returnShipment,
          idempotencyKey: body.idempotencyKey,
        },
        now(),
      );
      return presentAfterSale(afterSale);
    },
  );

  app.post(
    '/orders/:orderId/refunds',
    {
      schema: {
        tags: ['refunds'],
        summary:
          'Refund up to what was paid minus what was refunded (idempotent by key: a retry never refunds twice)',
        params: OrderParams,
        body: Type.Object(
          {
            amount: MoneyInput,
            reason: Type.String({ minLength: 1, maxLength: 500 }),
            afterSaleId: Type.Optional(Type.String()),
            orderLineId: Type.Optional(Type.String()),
            idempotencyKey: IdempotencyKey,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { refund, replayed } = await issueRefund(
        pool,
        {
          orderId: request.params.orderId,
          amountFen: body.amount.amountMinor,
          reason: body.reason,
          afterSaleId: body.afterSaleId,
          orderLineId: body.orderLineId,
          idempotencyKey: body.idempotencyKey,
        },
        now(),
      );
      return reply.status(replayed ? 200 : 201).send({ ...presentRefund(refund), replayed });
    },
  );
};
