import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireActor } from '../../http/authenticate.ts';
import { liveTicketOf, ticketEvent } from '../live/live-events.ts';
import { IdParams, problems } from '../../http/schemas.ts';
import { etagOf } from './if-match.ts';
import type { MessageService } from './message.service.ts';
import type { TicketMergeService } from './ticket-merge.service.ts';
import { TicketPresenter } from './ticket.presenter.ts';
import {
  AddMessageBody,
  CustomerMessageBody,
  MergeBody,
  MessageView,
  ShareBody,
  ShareParams,
  ShareView,
  TicketView,
} from './ticket.schemas.ts';
import type { TicketShareService } from './ticket-share.service.ts';

/** Sub-resources of a ticket: messages, merge, shares. */
export const ticketActionRoutes: FastifyPluginAsyncTypebox<{
  messages: MessageService;
  merges: TicketMergeService;
  shares: TicketShareService;
  /** The clock the SLA state in answers is judged by (the services' own). */
  now?: () => Date;
}> = async (app, { messages, merges, shares, now = () => new Date() }) => {
  app.post(
    '/tickets/:id/messages',
    {
      // tickets:note is the least any poster needs; a public reply also needs tickets:reply (ticket.policy.ts).
      config: { permission: 'tickets:note' },
      schema: {
        tags: ['tickets'],
        summary: 'Reply to the customer (public, tickets:reply) or add an internal note (tickets:note)',
        params: IdParams,
        body: AddMessageBody,
        response: { 201: MessageView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { message, ticket } = await messages.add(actor, request.params.id, request.body);
      app.live.publish(actor.tenantId, ticketEvent('ticket.message', [liveTicketOf(ticket)]));
      return reply
        .status(201)
        .header('etag', etagOf(ticket.version))
        .send(new TicketPresenter(actor, now()).message(message));
    },
  );

  app.post(
    '/tickets/:id/customer-messages',
    {
      config: { permission: 'tickets:customer_message' },
      schema: {
        tags: ['tickets'],
        summary: 'Add the customer’s follow-up message (from a channel or an integration) to a ticket',
        description:
          'The requester is the author. A pending, on-hold or solved ticket opens again and the next-response ' +
          'SLA starts; a closed ticket answers 409 (open a new ticket). 200 when externalMessageId repeats.',
        params: IdParams,
        body: CustomerMessageBody,
        response: { 201: MessageView, 200: MessageView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { message, ticket, replayed } = await messages.addFromCustomer(
        actor,
        request.params.id,
        request.body,
      );
      if (!replayed) app.live.publish(actor.tenantId, ticketEvent('ticket.message', [liveTicketOf(ticket)]));
      return reply
        .status(replayed ? 200 : 201)
        .header('etag', etagOf(ticket.version))
        .send(new TicketPresenter(actor, now()).message(message));
    },
  );

  app.post(
    '/tickets/:id/merge',
    {
      config: { permission: 'tickets:merge' },
      schema: {
        tags: ['tickets'],
        summary: 'Merge this ticket into targetId; this one closes. Different requesters need force: true',
        params: IdParams,
        body: MergeBody,
        response: { 200: TicketView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const target = await merges.merge(actor, request.params.id, request.body.targetId, {
        force: request.body.force ?? false,
      });
      app.live.publish(actor.tenantId, ticketEvent('ticket.updated', [liveTicketOf(target)]));
      return reply
        .header('etag', etagOf(target.version))
        .send(new TicketPresenter(actor, now()).ticket(target));
    },
  );

  app.post(
    '/tickets/:id/shares',
    {
      config: { permission: 'tickets:share' },
      schema: {
        tags: ['tickets'],
        summary: 'Share a ticket with a department, whose collaborators may then see it and add notes',
        description: 'Idempotent: adds the department to the ticket’s shares and answers with all of them.',
        params: IdParams,
        body: ShareBody,
        response: { 200: Type.Object({ items: Type.Array(ShareView) }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const items = await shares.share(actor, request.params.id, request.body.department);
      const presenter = new TicketPresenter(actor, now());
      return reply.send({ items: items.map((s) => presenter.share(s)) });
    },
  );

  app.delete(
    '/tickets/:id/shares/:department',
    {
      config: { permission: 'tickets:share' },
      schema: {
        tags: ['tickets'],
        summary: 'Stop sharing a ticket with a department',
        params: ShareParams,
        response: { 204: Type.Null(), ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await shares.unshare(requireActor(request), request.params.id, request.params.department);
      return reply.status(204).send(null);
    },
  );
};
