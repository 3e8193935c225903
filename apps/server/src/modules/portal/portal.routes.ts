import { type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { IdParams, problems } from '../../http/schemas.ts';
import { presentMessage, presentTicket, presentTicketSummary } from './portal.presenter.ts';
import type { PortalService } from './portal.service.ts';
import {
  AccessLinkBody,
  OpenedTicket,
  OpenTicketBody,
  PortalMessage,
  PortalSessionView,
  PortalTicket,
  PortalTicketList,
  ReplyBody,
  TenantParams,
} from './portal.schemas.ts';

export interface PortalRouteOptions {
  portal: PortalService;
}

/** Customers send their access token in this header (never a cookie, so there is nothing to forge). */
export const PORTAL_TOKEN_HEADER = 'x-portal-token';

const tokenOf = (request: FastifyRequest) => {
  const value = request.headers[PORTAL_TOKEN_HEADER];
  return typeof value === 'string' ? value : undefined;
};

const TOKEN_NOTE = 'Needs the customer’s access token in the X-Portal-Token header.';
// Public: the customer portal serves people without accounts; access is the X-Portal-Token link.
const PUBLIC = { public: true } as const;

/**
 * The customer portal (`/portal/<tenant>` in the console): open a ticket, ask for a link to one's tickets,
 * read them (public messages only) and answer. Thin: the service decides, these routes shape.
 */
export const portalRoutes: FastifyPluginAsyncTypebox<PortalRouteOptions> = async (app, { portal }) => {
  app.post(
    '/portal/:tenant/tickets',
    {
      config: PUBLIC,
      schema: {
        tags: ['portal'],
        summary: 'A customer opens a ticket; the answer carries an access token for it (shown once)',
        description:
          'Goes through intake like any channel (classified, routed, SLA). Rate-limited per IP and per email ' +
          'or phone (429 with Retry-After).',
        params: TenantParams,
        body: OpenTicketBody,
        response: { 201: OpenedTicket, ...problems(400, 404, 429, 503) },
      },
    },
    async (request, reply) => {
      const opened = await portal.openTicket(request.params.tenant, request.ip, request.body);
      return reply.status(201).send({
        accessToken: opened.accessToken,
        expiresAt: opened.expiresAt.toISOString(),
        ticket: presentTicket(opened.ticket),
      });
    },
  );

  app.post(
    '/portal/:tenant/access-links',
    {
      config: PUBLIC,
      schema: {
        tags: ['portal'],
        summary: 'Send me a link to my tickets (by email)',
        description:
          'Always 202, whether or not the email is known. The request is recorded for a mailer; PeakDesk has ' +
          'no mail transport yet, so no email is sent.',
        params: TenantParams,
        body: AccessLinkBody,
        response: { 202: { type: 'null' }, ...problems(400, 404, 429) },
      },
    },
    async (request, reply) => {
      await portal.requestAccessLink(request.params.tenant, request.ip, request.body.email);
      return reply.status(202).send(null);
    },
  );

  app.get(
    '/portal/session',
    {
      config: PUBLIC,
      schema: {
        tags: ['portal'],
        summary: 'Whom the access token belongs to and what it covers',
        description: `${TOKEN_NOTE} 401 PORTAL_LINK_INVALID or PORTAL_LINK_EXPIRED otherwise.`,
        response: { 200: PortalSessionView, ...problems(401) },
      },
    },
    async (request) => {
      const view = await portal.describeSession(await portal.authenticate(tokenOf(request)));
      return { ...view, expiresAt: view.expiresAt.toISOString() };
    },
  );

  app.get(
    '/portal/requests',
    {
      config: PUBLIC,
      schema: {
        tags: ['portal'],
        summary: 'The customer’s tickets (those the token covers), newest first, at most 100',
        description: TOKEN_NOTE,
        response: { 200: PortalTicketList, ...problems(401) },
      },
    },
    async (request) => {
      const session = await portal.authenticate(tokenOf(request));
      return { items: (await portal.listTickets(session)).map(presentTicketSummary) };
    },
  );

  app.get(
    '/portal/requests/:id',
    {
      config: PUBLIC,
      schema: {
        tags: ['portal'],
        summary: 'One of the customer’s tickets with its public messages (never internal notes)',
        description: `${TOKEN_NOTE} 404 for a ticket the token does not cover.`,
        params: IdParams,
        response: { 200: PortalTicket, ...problems(404) },
      },
    },
    async (request) => {
      const session = await portal.authenticateForTicket(tokenOf(request));
      return presentTicket(await portal.getTicket(session, request.params.id));
    },
  );

  app.post(
    '/portal/requests/:id/replies',
    {
      config: PUBLIC,
      schema: {
        tags: ['portal'],
        summary: 'The customer answers: reopens a pending or solved ticket; 409 when it is closed',
        description: `${TOKEN_NOTE} 404 for a ticket the token does not cover.`,
        params: IdParams,
        body: ReplyBody,
        response: { 201: PortalMessage, ...problems(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const session = await portal.authenticateForTicket(tokenOf(request));
      const message = await portal.reply(session, request.params.id, request.body.body);
      return reply.status(201).send(presentMessage(message));
    },
  );
};
