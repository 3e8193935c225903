import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { IdParams, problems } from '../../http/schemas.ts';
import type { SecretBox } from '../../lib/secret-box.ts';
import type { OrderLookup } from './order-lookup.ts';
import { presentCustomerContext, presentOrderPanel } from './order-panel.presenter.ts';
import { OrderPanelService } from './order-panel.service.ts';
import { ShopConnectionService } from './shop-connection.service.ts';
import type { ShopGateway } from './shop-gateway.ts';
import {
  CreateShopBody,
  CustomerContextView,
  OrderPanelView,
  PatchShopBody,
  ShopTestResult,
  ShopView,
} from './shop.schemas.ts';

export interface ShopRoutesOptions {
  db: Db;
  lookup: OrderLookup;
  gateway: ShopGateway;
  secretBox: () => SecretBox;
  now: () => Date;
}

/** /shops (admins: connected shops) and the order panel on tickets (everyone who may read the ticket). */
export const shopRoutes: FastifyPluginAsyncTypebox<ShopRoutesOptions> = async (app, options) => {
  const shops = new ShopConnectionService(options.db, options.secretBox, options.gateway, options.now);
  const panels = new OrderPanelService(options.db, options.lookup);
  const manage = { permission: 'shops:manage' as const };
  const tags = ['shops'];

  app.get(
    '/shops',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Connected shops (credentials and webhook secrets are never returned)',
        response: { 200: Type.Object({ items: Type.Array(ShopView) }), ...problems(401, 403) },
      },
    },
    async (request) => shops.list(requireActor(request)),
  );
  app.get(
    '/shops/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'One connected shop',
        params: IdParams,
        response: { 200: ShopView, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => shops.get(requireActor(request), request.params.id),
  );
  app.post(
    '/shops',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Connect a shop; credentials and the webhook secret are stored encrypted and are write-only',
        body: CreateShopBody,
        response: { 201: ShopView, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await shops.create(requireActor(request), request.body, request.ip)),
  );
  app.patch(
    '/shops/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a shop connection; `version` must be the one you read (412 otherwise)',
        params: IdParams,
        body: PatchShopBody,
        response: { 200: ShopView, ...problems(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request) => shops.update(requireActor(request), request.params.id, request.body, request.ip),
  );
  app.delete(
    '/shops/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Disconnect a shop (its order snapshots go with it; tickets keep their order numbers)',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await shops.remove(requireActor(request), request.params.id, request.ip);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/shops/:id/test',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Test a connection: ask the shop for its capabilities with the stored credentials',
        params: IdParams,
        response: { 200: ShopTestResult, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => shops.test(requireActor(request), request.params.id, request.ip),
  );

  app.get(
    '/tickets/:id/order',
    {
      config: { permission: 'tickets:read' },
      schema: {
        tags: ['tickets', 'shops'],
        summary: 'The order panel: order, lines, amounts, payments and refunds, shipments, after-sales',
        description:
          'From the shop through a short cache; when the shop is slow, down or its circuit breaker is open, ' +
          'the last stored snapshot with `state: stale`, `stale: true` and its age. The order being absent ' +
          'is a `state` (not_linked, no_shop, not_found, unavailable), never an error: 404 means the ticket.',
        params: IdParams,
        response: { 200: OrderPanelView, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return presentOrderPanel(actor, await panels.panel(actor, request.params.id), options.now());
    },
  );
  app.get(
    '/tickets/:id/customer-context',
    {
      // Collaborators see no customers (they have tickets:read on shared tickets, not customers:read).
      config: { permission: 'customers:read' },
      schema: {
        tags: ['tickets', 'shops'],
        summary: "The requester's other tickets and the buyer's other orders",
        params: IdParams,
        response: { 200: CustomerContextView, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) =>
      presentCustomerContext(await panels.customerContext(requireActor(request), request.params.id)),
  );
};
