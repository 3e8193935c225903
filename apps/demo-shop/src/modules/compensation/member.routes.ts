import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { ShopApiError } from '../../errors.ts';
import { IdempotencyKey, MoneyInput } from '../../http/schemas.ts';
import type { ShopSettings } from '../../settings.ts';
import { money, presentMember } from '../orders/order.presenter.ts';
import { MEMBER_SELECT } from '../orders/order.repository.ts';
import { issueCompensation } from './compensation.service.ts';

type Row = Record<string, unknown>;

const MemberParams = Type.Object({ memberId: Type.String() });

export const memberRoutes: FastifyPluginAsyncTypebox<{
  pool: pg.Pool;
  settings: ShopSettings;
  now: () => Date;
}> = async (app, { pool, settings, now }) => {
  app.get(
    '/members/:memberId',
    {
      schema: {
        tags: ['members'],
        summary: 'Member tier, points, store credit and recent points movements',
        params: MemberParams,
      },
    },
    async (request) => {
      const { rows } = await pool.query<Row>(`${MEMBER_SELECT} WHERE id = $1`, [request.params.memberId]);
      if (!rows[0]) throw new ShopApiError('NOT_FOUND', 'no such member');
      const ledger = await pool.query<Row>(
        `SELECT delta, reason, order_id AS "orderId", created_at AS "createdAt" FROM points_ledger
          WHERE member_id = $1 ORDER BY created_at DESC, id DESC LIMIT 20`,
        [request.params.memberId],
      );
      const coupons = await pool.query<Row>(
        `SELECT code, value_fen AS "valueFen", min_spend_fen AS "minSpendFen", status, expires_at AS "expiresAt"
           FROM coupons WHERE member_id = $1 AND status = 'UNUSED' ORDER BY expires_at`,
        [request.params.memberId],
      );
      return {
        ...presentMember(rows[0], settings.piiMasked),
        recentPoints: ledger.rows,
        coupons: coupons.rows.map((c: Record<string, unknown>) => ({
          code: c.code,
          value: money(c.valueFen),
          minSpend: money(c.minSpendFen),
          status: c.status,
          expiresAt: (c.expiresAt as Date).toISOString(),
        })),
      };
    },
  );

  app.post(
    '/members/:memberId/compensations',
    {
      schema: {
        tags: ['members'],
        summary: 'Grant a coupon, points or store credit (idempotent by key)',
        params: MemberParams,
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal('coupon'), Type.Literal('points'), Type.Literal('store_credit')]),
            amount: Type.Optional(MoneyInput),
            points: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
            reason: Type.String({ minLength: 1, maxLength: 500 }),
            orderId: Type.Optional(Type.String()),
            idempotencyKey: IdempotencyKey,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { compensation: c, replayed } = await issueCompensation(
        pool,
        {
          memberId: request.params.memberId,
          kind: body.kind,
          amountFen: body.amount?.amountMinor,
          points: body.points,
          reason: body.reason,
          orderId: body.orderId,
          idempotencyKey: body.idempotencyKey,
        },
        now(),
      );
      return reply.status(replayed ? 200 : 201).send({
        id: c.id,
        memberId: c.memberId,
        kind: c.kind,
        amount: c.amountFen === null ? null : money(c.amountFen),
        points: c.points,
        couponCode: c.couponCode,
        orderId: c.orderId,
        reason: c.reason,
        createdAt: (c.createdAt as Date).toISOString(),
        replayed,
      });
    },
  );

  app.get(
    '/skus/:skuId/prices',
    {
      schema: {
        tags: ['marketing'],
        summary:
          'Every price a SKU had that overlaps [from, to): list, campaign, 秒杀 flash-sale and member-only prices',
        params: Type.Object({ skuId: Type.String() }),
        querystring: Type.Object({
          from: Type.String({ format: 'date-time' }),
          to: Type.String({ format: 'date-time' }),
        }),
      },
    },
    async (request) => {
      const sku = await pool.query<Row>(`SELECT id FROM skus WHERE id = $1`, [request.params.skuId]);
      if (sku.rowCount === 0) throw new ShopApiError('NOT_FOUND', 'no such SKU');
      const { rows } = await pool.query<Row>(
        `SELECT kind, price_fen AS "priceFen", starts_at AS "startsAt", ends_at AS "endsAt", campaign, tiers
           FROM price_points WHERE sku_id = $1 AND starts_at < $3 AND (ends_at IS NULL OR ends_at > $2)
          ORDER BY starts_at, id`,
        [request.params.skuId, new Date(request.query.from), new Date(request.query.to)],
      );
      return {
        skuId: request.params.skuId,
        items: rows.map((p: Record<string, unknown>) => ({
          kind: p.kind,
          price: money(p.priceFen),
          startsAt: (p.startsAt as Date).toISOString(),
          endsAt: p.endsAt ? (p.endsAt as Date).toISOString() : null,
          campaign: p.campaign,
          tiers: p.tiers ? (p.tiers as string).split(',') : null,
        })),
      };
    },
  );
};
