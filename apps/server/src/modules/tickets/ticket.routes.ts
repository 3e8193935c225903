import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { IdParams, Page, problems } from '../../http/schemas.ts';
import { capacityHooks } from '../assignment/capacity-hooks.ts';
import { liveTicketOf, ticketEvent } from '../live/live-events.ts';
import { etagOf, parseIfMatch } from './if-match.ts';
import { MessageService } from './message.service.ts';
import { ticketActionRoutes } from './ticket-actions.routes.ts';
import { TicketMergeService } from './ticket-merge.service.ts';
import { TicketPresenter } from './ticket.presenter.ts';
import {
  EventView,
  ListTicketsQuery,
  PatchTicketBody,
  TicketDetailView,
  TicketSummaryView,
  TicketView,
} from './ticket.schemas.ts';
import { TicketService } from './ticket.service.ts';
import { TicketShareService } from './ticket-share.service.ts';

export interface TicketRoutesOptions {
  db: Db;
  now?: () => Date;
}

/** The ticket API under /api/v1: thin handlers, schema → service → presenter. */
export const ticketRoutes: FastifyPluginAsyncTypebox<TicketRoutesOptions> = async (app, { db, now }) => {
  const hooks = capacityHooks(db, now ?? (() => new Date()), app.log, app.live);
  const tickets = new TicketService(db, now, hooks.capacityFreed);
  await app.register(ticketActionRoutes, {
    messages: new MessageService(db, now),
    merges: new TicketMergeService(db, now),
    shares: new TicketShareService(db, now),
    now,
  });

  // POST /tickets is served by modules/intake (idempotency keys, group commit, backpressure); it calls
  // TicketService.createManyIn inside its own transaction.

  app.get(
    '/tickets',
    {
      config: { permission: 'tickets:read' },
      schema: {
        tags: ['tickets'],
        summary: 'List tickets: filters, search (q) and keyset pagination',
        description:
          'sort=-createdAt (default) is newest first; sort=nextDueAt is queue order (SLA due time, undated ' +
          'last) and, unless status is given, lists open tickets only. Pass nextCursor back as cursor.',
        querystring: ListTicketsQuery,
        response: { 200: Page(TicketSummaryView), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const page = await tickets.list(actor, request.query);
      const presenter = new TicketPresenter(actor, now?.());
      return { items: page.items.map((t) => presenter.summary(t)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/tickets/:id',
    {
      config: { permission: 'tickets:read' },
      schema: {
        tags: ['tickets'],
        summary: 'A ticket with its requester, messages and shares; ETag is its version',
        params: IdParams,
        response: { 200: TicketDetailView, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const detail = await tickets.get(actor, request.params.id);
      return reply
        .header('etag', etagOf(detail.ticket.version))
        .send(new TicketPresenter(actor, now?.()).detail(detail));
    },
  );

  app.patch(
    '/tickets/:id',
    {
      config: { permission: 'tickets:update' },
      schema: {
        tags: ['tickets'],
        summary: 'Change a ticket; If-Match with its version is required (412 if stale, 428 if missing)',
        params: IdParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        body: PatchTicketBody,
        response: { 200: TicketView, ...problems(400, 401, 403, 404, 412, 428) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const version = parseIfMatch(request.headers['if-match']);
      const ticket = await tickets.update(actor, request.params.id, version, request.body);
      // Committed: the floor hears of it (a no-op patch, version unchanged, is not news).
      if (ticket.version !== version) {
        app.live.publish(actor.tenantId, ticketEvent('ticket.updated', [liveTicketOf(ticket)], now?.()));
      }
      return reply
        .header('etag', etagOf(ticket.version))
        .send(new TicketPresenter(actor, now?.()).ticket(ticket));
    },
  );

  app.get(
    '/tickets/:id/history',
    {
      config: { permission: 'tickets:read' },
      schema: {
        tags: ['tickets'],
        summary: 'Every change to a ticket, oldest first: who, when, what, before and after',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(EventView) }), ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const events = await tickets.history(actor, request.params.id);
      const presenter = new TicketPresenter(actor, now?.());
      return { items: events.map((e) => presenter.event(e)) };
    },
  );
};
