import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { ticketScope, type Actor } from '../access/permissions.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { findTenantTimeZone } from '../sla/sla-config.repository.ts';
import type { ShopConnection } from '../shops/shop-connection.repository.ts';
import { describeShopFailure } from '../shops/shop-gateway.ts';
import { insertSystemEvent } from '../tickets/ticket-events.ts';
import { TicketRepository } from '../tickets/ticket.repository.ts';
import { loadAftersalesSettings, supportsPayout, type CompensationKind } from './aftersales-settings.ts';
import { insertApproval, presentApproval } from './approval.repository.ts';
import { insertOrFindPayout, sumActorGrantsSince, type NewPayout } from './payout.repository.ts';
import { PayoutService, presentPayout, type PayoutGateway } from './payout.service.ts';
import { connectionOf } from './price-protection.task.ts';
import { startOfDayIn } from './time-zone.ts';

type Db = Kysely<Database>;

export interface CompensationInput {
  kind: CompensationKind;
  /** Minor units for coupons and store credit, a count for points. */
  amount: number;
  reason: string;
  /** The client's key for this grant; without one a repeat of the same grant on the ticket is a replay. */
  idempotencyKey?: string | undefined;
}

/**
 * Compensation from a ticket through the shop's member system. Within the actor's role caps (per action, and
 * per day in the tenant's time zone) it is granted at once; above them a supervisor's approval is asked. The
 * day total is read and the ledger row written under a per-actor transaction lock, so two grants at once
 * cannot both fit under the cap.
 */
export class CompensationService {
  constructor(private readonly deps: { db: Db; gateway: PayoutGateway; now: () => Date }) {}

  async grant(actor: Actor, ticketId: string, input: CompensationInput) {
    const { db } = this.deps;
    const ticket = await new TicketRepository(db).findById(actor.tenantId, ticketScope(actor), ticketId);
    if (!ticket) throw new AppError('TICKET_NOT_FOUND');
    const link = await db
      .selectFrom('tickets')
      .select('shopConnectionId')
      .where('tenantId', '=', actor.tenantId)
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    const connection = await connectionOf(db, actor.tenantId, link.shopConnectionId);
    if (!connection) throw new AppError('COMPENSATION_UNSUPPORTED', 'The ticket has no connected shop');
    const buyer = await buyerOf(db, connection, ticket.requesterId, ticket.orderNumber);
    if (!buyer) {
      throw new AppError('COMPENSATION_UNSUPPORTED', 'The ticket’s customer is not a member of the shop');
    }
    const caps = await this.deps.gateway
      .call(connection, (a) => a.capabilities())
      .catch((error: unknown) => {
        throw new AppError(
          'UNAVAILABLE',
          `The shop cannot be reached: ${describeShopFailure(error).message}`,
        );
      });
    if (!supportsPayout(caps, input.kind)) {
      throw new AppError('COMPENSATION_UNSUPPORTED', `The shop cannot grant ${input.kind}`);
    }
    const settings = await loadAftersalesSettings(db, actor.tenantId);
    const cap = settings.compensationCaps[actor.role];
    const actorId = actor.userId ?? actor.id;
    const now = this.deps.now();
    const payout: NewPayout = {
      tenantId: actor.tenantId,
      idempotencyKey: `comp:${ticketId}:${input.idempotencyKey ?? derivedKey(actorId, input)}`,
      purpose: 'compensation',
      kind: input.kind,
      connectionId: connection.id,
      ticketId,
      orderId: buyer.orderId,
      customerExternalId: buyer.customerExternalId,
      amount: input.amount,
      currency: input.kind === 'points' ? null : (caps.currencies[0] ?? 'CNY'),
      reason: input.reason,
      actorType: actor.userId ? 'user' : 'token',
      actorId,
    };
    const timeZone = await findTenantTimeZone(db, actor.tenantId);

    const decided = await db.transaction().execute(async (tx) => {
      // One grant at a time per actor: the day total below cannot change until this transaction ends.
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`comp:${actor.tenantId}:${actorId}`}, 0))`.execute(
        tx,
      );
      const replay = await tx
        .selectFrom('payouts')
        .selectAll()
        .where('tenantId', '=', actor.tenantId)
        .where('idempotencyKey', '=', payout.idempotencyKey)
        .executeTakeFirst();
      if (replay) return { kind: 'payout' as const, row: replay, created: false };
      const day = await sumActorGrantsSince(tx, actor.tenantId, actorId, startOfDayIn(timeZone, now));
      const withinAction = cap !== undefined && input.amount <= cap.perAction[input.kind];
      const withinDay =
        cap !== undefined &&
        (input.kind === 'points'
          ? day.points + input.amount <= cap.perDay.points
          : day.money + input.amount <= cap.perDay.money);
      if (withinAction && withinDay) {
        const { row, created } = await insertOrFindPayout(tx, payout, now);
        return { kind: 'payout' as const, row, created };
      }
      const approval = await insertApproval(
        tx,
        {
          tenantId: actor.tenantId,
          kind: 'compensation',
          ticketId,
          teamId: ticket.teamId,
          requestedBy: actor.userId,
          amount: input.amount,
          currency: payout.currency,
          reason: input.reason,
          payload: {
            payouts: [stripActor(payout)],
            requestedByType: payout.actorType,
            requestedById: actorId,
          },
        },
        now,
      );
      await insertSystemEvent(
        tx,
        actor.tenantId,
        ticketId,
        'approval.requested',
        [
          {
            field: 'approval',
            before: null,
            after: { id: approval.id, kind: 'compensation', amount: input.amount },
          },
        ],
        now,
      );
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'compensation.requested',
        targetType: 'approval',
        targetId: approval.id,
        details: {
          ticketId,
          kind: input.kind,
          amount: input.amount,
          overCap: withinAction ? 'day' : 'action',
        },
      });
      return { kind: 'approval' as const, approval };
    });

    if (decided.kind === 'approval') {
      return {
        status: 'awaiting_approval' as const,
        payout: null,
        approval: presentApproval(decided.approval),
      };
    }
    const row = await new PayoutService(db, this.deps.gateway, this.deps.now).execute(
      decided.row,
      decided.created,
    );
    if (decided.created) {
      await db.transaction().execute(async (tx) => {
        await insertSystemEvent(
          tx,
          actor.tenantId,
          ticketId,
          'compensation.granted',
          [{ field: 'payout', before: null, after: presentPayout(row) }],
          this.deps.now(),
        );
        await recordAudit(tx, {
          tenantId: actor.tenantId,
          actor,
          action: 'compensation.granted',
          targetType: 'payout',
          targetId: row.id,
          details: { ticketId, kind: row.kind, amount: Number(row.amount), status: row.status },
        });
      });
    }
    return { status: row.status, payout: presentPayout(row), approval: null };
  }
}

function stripActor(payout: NewPayout) {
  const { tenantId: _t, actorType: _a, actorId: _i, approvalId: _p, ...planned } = payout;
  return planned;
}

function derivedKey(actorId: string, input: CompensationInput): string {
  const digest = createHash('sha256').update(input.reason).digest('hex').slice(0, 16);
  return `${actorId}:${input.kind}:${input.amount}:${digest}`;
}

/** The buyer in the shop: the requester's platform identity, else the ticket's order snapshot. */
async function buyerOf(
  db: Db,
  connection: ShopConnection,
  requesterId: string,
  orderNumber: string | null,
): Promise<{ customerExternalId: string; orderId: string | null } | undefined> {
  const snapshot = orderNumber
    ? await db
        .selectFrom('orderSnapshots')
        .select(['orderId', 'customerExternalId'])
        .where('tenantId', '=', connection.tenantId)
        .where('connectionId', '=', connection.id)
        .where('orderNumber', '=', orderNumber)
        .executeTakeFirst()
    : undefined;
  const prefix = `${connection.kind}:`;
  const identity = await db
    .selectFrom('customerIdentities')
    .select('value')
    .where('tenantId', '=', connection.tenantId)
    .where('customerId', '=', requesterId)
    .where('kind', '=', 'platform')
    .where('value', 'like', `${prefix}%`)
    .executeTakeFirst();
  const customerExternalId = identity?.value.slice(prefix.length) ?? snapshot?.customerExternalId ?? null;
  if (!customerExternalId) return undefined;
  return { customerExternalId, orderId: snapshot?.orderId ?? null };
}
