import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { requireActor } from '../../http/authenticate.ts';
import { IdParams, Page, problems } from '../../http/schemas.ts';
import { seesMaskedPii, ticketScope } from '../access/permissions.ts';
import { maskPiiInText } from '../access/masking.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { TicketRepository } from '../tickets/ticket.repository.ts';
import { loadAftersalesSettings } from './aftersales-settings.ts';
import {
  ApprovalQuery,
  ApprovalView,
  CampaignBody,
  CampaignView,
  CompensationBody,
  CompensationResult,
  DecisionBody,
  DecisionResult,
  PayoutView,
  PriceProtectionView,
  SettingsSchema,
} from './aftersales.schemas.ts';
import { findPendingApprovalOfTicket, listTicketApprovals, presentApproval } from './approval.repository.ts';
import { ApprovalService } from './approval.service.ts';
import { CompensationService } from './compensation.service.ts';
import { listTicketPayouts } from './payout.repository.ts';
import { presentPayout, type PayoutGateway } from './payout.service.ts';
import { getCampaign, startCampaign } from './price-protection-campaign.task.ts';
import { sql } from 'kysely';

const tags = ['aftersales'];

/**
 * Money out: compensation from a ticket, a ticket's price protection (calculation, payouts, pending
 * approval), supervisors' approvals, campaign bulk runs and the tenant's policy. The console's after-sales
 * panel calls these.
 */
export const payoutRoutes: FastifyPluginAsyncTypebox<{
  db: Db;
  gateway: PayoutGateway;
  now: () => Date;
}> = async (app, { db, gateway, now }) => {
  const deps = { db, gateway, now };
  const approvals = new ApprovalService(deps);
  const compensations = new CompensationService(deps);

  app.post(
    '/tickets/:id/compensations',
    {
      config: { permission: 'compensation:grant' },
      schema: {
        tags,
        summary:
          'Grant a coupon, points or store credit to the ticket’s customer: at once within your role’s caps, else an approval request; `status` says which (a repeat with the same idempotencyKey answers the first grant)',
        params: IdParams,
        body: CompensationBody,
        response: { 200: CompensationResult, ...problems(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => compensations.grant(requireActor(request), request.params.id, request.body),
  );

  app.get(
    '/tickets/:id/price-protection',
    {
      config: { permission: 'tickets:read' },
      schema: {
        tags,
        summary: 'The ticket’s price-protection calculation, its payouts and a pending approval',
        params: IdParams,
        response: { 200: PriceProtectionView, ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const ticket = await new TicketRepository(db).findById(
        actor.tenantId,
        ticketScope(actor),
        request.params.id,
      );
      if (!ticket) throw new AppError('TICKET_NOT_FOUND');
      const mask = seesMaskedPii(actor) ? maskPiiInText : (t: string) => t;
      const [check, payouts, pending] = await Promise.all([
        db
          .selectFrom('priceProtectionChecks')
          .selectAll()
          .where('tenantId', '=', actor.tenantId)
          .where('ticketId', '=', ticket.id)
          .executeTakeFirst(),
        listTicketPayouts(db, actor.tenantId, ticket.id),
        findPendingApprovalOfTicket(db, actor.tenantId, ticket.id, 'price_protection'),
      ]);
      return {
        ticketId: ticket.id,
        calculation: check
          ? {
              outcome: check.outcome,
              orderId: check.orderId,
              orderNumber: check.orderNumber,
              payable: Number(check.payable),
              currency: check.currency,
              lines: check.lines as never,
              calculatedAt: check.calculatedAt.toISOString(),
            }
          : null,
        payouts: payouts
          .filter((p) => p.purpose === 'price_protection')
          .map((p) => ({ ...presentPayout(p), reason: mask(p.reason) })),
        pendingApproval: pending ? presentApproval(pending, mask) : null,
      };
    },
  );

  app.get(
    '/tickets/:id/payouts',
    {
      config: { permission: 'tickets:read' },
      schema: {
        tags,
        summary:
          'Everything paid or asked for on the ticket: its payouts (ledger) and approval requests, oldest first',
        params: IdParams,
        response: {
          200: Type.Object({ payouts: Type.Array(PayoutView), approvals: Type.Array(ApprovalView) }),
          ...problems(401, 403, 404),
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const ticket = await new TicketRepository(db).findById(
        actor.tenantId,
        ticketScope(actor),
        request.params.id,
      );
      if (!ticket) throw new AppError('TICKET_NOT_FOUND');
      const mask = seesMaskedPii(actor) ? maskPiiInText : (t: string) => t;
      const [payouts, approvals] = await Promise.all([
        listTicketPayouts(db, actor.tenantId, ticket.id),
        listTicketApprovals(db, actor.tenantId, ticket.id),
      ]);
      return {
        payouts: payouts.map((p) => ({ ...presentPayout(p), reason: mask(p.reason) })),
        approvals: approvals.map((a) => presentApproval(a, mask)),
      };
    },
  );

  app.get(
    '/approvals',
    {
      config: { permission: 'approvals:decide' },
      schema: {
        tags,
        summary: 'Approval requests of your teams (admins: all), newest first, keyset pages',
        querystring: ApprovalQuery,
        response: { 200: Page(ApprovalView), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const { status, cursor, limit } = request.query;
      return approvals.list(requireActor(request), {
        ...(status ? { status } : {}),
        ...(cursor ? { cursor } : {}),
        limit: limit ?? 50,
      });
    },
  );

  app.get(
    '/approvals/:id',
    {
      config: { permission: 'approvals:decide' },
      schema: {
        tags,
        summary: 'An approval request',
        params: IdParams,
        response: { 200: ApprovalView, ...problems(401, 403, 404) },
      },
    },
    async (request) => approvals.get(requireActor(request), request.params.id),
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post(
      `/approvals/:id/${decision}`,
      {
        config: { permission: 'approvals:decide' },
        schema: {
          tags,
          summary:
            decision === 'approve'
              ? 'Approve and pay (again: harmless; not your own request unless admin)'
              : 'Reject (again: harmless)',
          params: IdParams,
          body: DecisionBody,
          response: { 200: DecisionResult, ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request) => approvals[decision](requireActor(request), request.params.id, request.body.note),
    );
  }

  app.post(
    '/price-protection/campaigns',
    {
      config: { permission: 'price_protection:campaigns' },
      schema: {
        tags,
        summary:
          'Price protection after a campaign price drop, as one durable bulk job: tickets that asked, or every affected order',
        body: CampaignBody,
        response: { 202: CampaignView, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const campaign = await startCampaign(db, actor, request.body, now());
      return reply.status(202).send(await getCampaign(db, actor.tenantId, campaign.id));
    },
  );

  app.get(
    '/price-protection/campaigns/:id',
    {
      config: { permission: 'price_protection:campaigns' },
      schema: {
        tags,
        summary: 'A campaign run: progress and a result per order',
        params: IdParams,
        response: { 200: CampaignView, ...problems(401, 403, 404) },
      },
    },
    async (request) => getCampaign(db, requireActor(request).tenantId, request.params.id),
  );

  app.get(
    '/aftersales/settings',
    {
      config: { permission: 'compensation:grant' },
      schema: {
        tags,
        summary: 'The tenant’s price-protection policy and compensation caps (defaults filled in)',
        response: { 200: SettingsSchema, ...problems(401, 403) },
      },
    },
    async (request) => loadAftersalesSettings(db, requireActor(request).tenantId),
  );

  app.put(
    '/aftersales/settings',
    {
      config: { permission: 'aftersales:settings' },
      schema: {
        tags,
        summary: 'Replace the price-protection policy and compensation caps (admins)',
        body: SettingsSchema,
        response: { 200: SettingsSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable('tenants')
          .set({
            settings: sql`settings || jsonb_build_object('aftersales', ${JSON.stringify(request.body)}::jsonb)`,
          })
          .where('id', '=', actor.tenantId)
          .execute();
        await recordAudit(tx, {
          tenantId: actor.tenantId,
          actor,
          action: 'aftersales.settings_changed',
          targetType: 'tenant',
          targetId: actor.tenantId,
          details: request.body,
        });
      });
      return loadAftersalesSettings(db, actor.tenantId);
    },
  );
};
