import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { IdParams, IsoDateTime, problems } from '../../http/schemas.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { OrderLookup } from '../shops/order-lookup.ts';
import type { ReturnSettings, ReturnStatus } from './returns-progress.ts';
import type { ReturnRow } from './returns.repository.ts';
import { ReturnService, tenantReturnSettings, type ReturnGateway } from './returns.service.ts';

const tags = ['returns'];

const ReturnLineSchema = Type.Object(
  {
    lineId: Type.String({ minLength: 1, maxLength: 200 }),
    quantity: Type.Integer({ minimum: 1, maximum: 999 }),
  },
  { additionalProperties: false },
);

const NewReturnBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('return'), Type.Literal('exchange')]),
    lines: Type.Array(ReturnLineSchema, { minItems: 1, maxItems: 50 }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

const ReturnView = Type.Object({
  id: Type.String(),
  ticketId: Type.String(),
  kind: Type.String(),
  /** `shop_return`: the shop's after-sale; `cancel_refund`: lines cancelled in PeakDesk and refunded. */
  mode: Type.String(),
  status: Type.String(),
  externalId: Type.Union([Type.String(), Type.Null()]),
  orderNumber: Type.String(),
  lines: Type.Array(Type.Object({ lineId: Type.String(), quantity: Type.Integer() })),
  reason: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  history: Type.Array(Type.Object({ status: Type.String(), at: Type.String() })),
  /** The last transient shop failure while opening (the request may be repeated). */
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});

const ReturnSettingsSchema = Type.Object(
  {
    /** Steps that send the customer a public message (zh-CN/en-US by the ticket's language). */
    customerMessageSteps: Type.Array(
      Type.Union([
        Type.Literal('requested'),
        Type.Literal('approved'),
        Type.Literal('rejected'),
        Type.Literal('return_shipped'),
        Type.Literal('received'),
        Type.Literal('refunded'),
        Type.Literal('exchange_shipped'),
        Type.Literal('closed'),
      ]),
      { maxItems: 8, uniqueItems: true },
    ),
    /** Solve the ticket when the return is refunded or the replacement shipped. */
    solveWhenDone: Type.Boolean(),
  },
  { additionalProperties: false },
);

/** `pending` is PeakDesk's own state before the shop answers: never a step to message about. */
function presentSettings(settings: ReturnSettings) {
  return {
    customerMessageSteps: settings.customerMessageSteps.filter(
      (step): step is Exclude<ReturnStatus, 'pending'> => step !== 'pending',
    ),
    solveWhenDone: settings.solveWhenDone,
  };
}

function present(row: ReturnRow) {
  return {
    id: row.id,
    ticketId: row.ticketId,
    kind: row.kind,
    mode: row.mode,
    status: row.status,
    externalId: row.externalId,
    orderNumber: row.orderNumber,
    lines: row.lines,
    reason: row.reason,
    note: row.note,
    history: row.history,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Returns and exchanges of a ticket's order (issue 6): open one through the shop, list them with progress. */
export const returnRoutes: FastifyPluginAsyncTypebox<{
  db: Db;
  lookup: OrderLookup;
  gateway: ReturnGateway;
  now?: () => Date;
}> = async (app, { db, lookup, gateway, now }) => {
  const returns = new ReturnService(db, lookup, gateway, now);

  app.post(
    '/tickets/:id/returns',
    {
      config: { permission: 'tickets:update' },
      schema: {
        tags,
        summary:
          'Open a return or exchange for lines of the ticket’s order, through the shop; idempotent by ticket, kind and lines (201 new, 200 the existing one)',
        params: IdParams,
        body: NewReturnBody,
        response: { 200: ReturnView, 201: ReturnView, ...problems(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const { row, created } = await returns.open(requireActor(request), request.params.id, request.body);
      return reply.status(created ? 201 : 200).send(present(row));
    },
  );

  app.get(
    '/tickets/:id/returns',
    {
      config: { permission: 'tickets:read' },
      schema: {
        tags,
        summary: 'The ticket’s returns and exchanges with their progress, oldest first',
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(ReturnView),
            /** What the shop's capabilities let an agent do on this ticket's order. */
            allowed: Type.Object({
              return: Type.Boolean(),
              exchange: Type.Boolean(),
              coupon: Type.Boolean(),
              points: Type.Boolean(),
              storeCredit: Type.Boolean(),
            }),
          }),
          ...problems(401, 403, 404),
        },
      },
    },
    async (request) => {
      const { items, allowed } = await returns.list(requireActor(request), request.params.id);
      return { items: items.map(present), allowed };
    },
  );

  app.get(
    '/aftersales/return-settings',
    {
      config: { permission: 'aftersales:settings' },
      schema: {
        tags,
        summary:
          'Which return steps message the customer, and whether the last one solves the ticket (defaults filled in)',
        response: { 200: ReturnSettingsSchema, ...problems(401, 403) },
      },
    },
    async (request) => presentSettings(await tenantReturnSettings(db, requireActor(request).tenantId)),
  );

  app.put(
    '/aftersales/return-settings',
    {
      config: { permission: 'aftersales:settings' },
      schema: {
        tags,
        summary: 'Replace the return settings (admins); applies to the next step of any return',
        body: ReturnSettingsSchema,
        response: { 200: ReturnSettingsSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable('tenants')
          .set({
            settings: sql`settings || jsonb_build_object('returns', ${JSON.stringify(request.body)}::jsonb)`,
          })
          .where('id', '=', actor.tenantId)
          .execute();
        await recordAudit(tx, {
          tenantId: actor.tenantId,
          actor,
          action: 'returns.settings_changed',
          targetType: 'tenant',
          targetId: actor.tenantId,
          details: request.body,
        });
      });
      return presentSettings(await tenantReturnSettings(db, actor.tenantId));
    },
  );
};
