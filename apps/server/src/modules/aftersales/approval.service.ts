import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { pageOf, parseIdCursor } from '../../http/id-cursor.ts';
import type { Actor } from '../access/permissions.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { insertSystemEvent } from '../tickets/ticket-events.ts';
import { loadAftersalesSettings } from './aftersales-settings.ts';
import {
  decideApproval,
  findApproval,
  listApprovals,
  presentApproval,
  type ApprovalPayload,
  type ApprovalRow,
  type PlannedPayout,
} from './approval.repository.ts';
import type { PayoutRow } from './payout.repository.ts';
import { PayoutService, presentPayout, type PayoutGateway } from './payout.service.ts';
import { answerTicket, priceProtectionReply } from './ticket-answer.ts';

type Db = Kysely<Database>;

interface SettleDeps {
  db: Db;
  gateway: PayoutGateway;
  now: () => Date;
}

interface PayoutActor {
  type: 'user' | 'token' | 'system';
  id: string | null;
}

async function payAll(
  deps: SettleDeps,
  tenantId: string,
  payouts: readonly PlannedPayout[],
  actor: PayoutActor,
  approvalId: string | null,
): Promise<PayoutRow[]> {
  const service = new PayoutService(deps.db, deps.gateway, deps.now);
  const rows: PayoutRow[] = [];
  for (const payout of payouts) {
    rows.push(
      await service.pay({ ...payout, tenantId, actorType: actor.type, actorId: actor.id, approvalId }),
    );
  }
  return rows;
}

/**
 * Pays a ticket's price protection (automatically or on approval) and, when every payout succeeded, answers
 * the customer and solves the ticket — once: the check's outcome moves to `paid` in the answer's transaction
 * only from a state that is not `paid` yet.
 */
export async function settlePriceProtection(
  deps: SettleDeps,
  input: {
    tenantId: string;
    ticketId: string;
    payouts: readonly PlannedPayout[];
    actor: PayoutActor;
    approvalId: string | null;
    language: 'zh' | 'en';
    orderNumber: string;
    solve: boolean;
  },
): Promise<'paid' | 'payout_pending' | 'payout_failed'> {
  const { tenantId, ticketId } = input;
  const rows = await payAll(deps, tenantId, input.payouts, input.actor, input.approvalId);
  const outcome = rows.every((r) => r.status === 'succeeded')
    ? 'paid'
    : rows.some((r) => r.status === 'failed')
      ? 'payout_failed'
      : 'payout_pending';
  const now = deps.now();
  await deps.db.transaction().execute(async (tx) => {
    const moved = await tx
      .updateTable('priceProtectionChecks')
      .set({ outcome })
      .where('tenantId', '=', tenantId)
      .where('ticketId', '=', ticketId)
      .where('outcome', '!=', 'paid')
      .returning('outcome')
      .executeTakeFirst();
    if (!moved) return;
    const changes = rows.map((r) => ({ field: 'payout', before: null, after: presentPayout(r) }));
    if (outcome !== 'paid') {
      await insertSystemEvent(tx, tenantId, ticketId, `price_protection.${outcome}`, changes, now);
      return;
    }
    await answerTicket(tx, {
      tenantId,
      ticketId,
      body: priceProtectionReply(
        input.language,
        input.orderNumber,
        rows.map((r) => ({ kind: r.kind, amount: Number(r.amount), currency: r.currency })),
      ),
      solve: input.solve,
      action: 'price_protection.paid',
      changes,
      now,
    });
  });
  return outcome;
}

/** Supervisors see and decide their teams' approvals (and those of no team); admins all. */
function teamScope(actor: Actor): readonly string[] | undefined {
  return actor.role === 'admin' ? undefined : actor.teamIds;
}

function inTeamScope(actor: Actor, row: ApprovalRow): boolean {
  const teams = teamScope(actor);
  return !teams || row.teamId === null || teams.includes(row.teamId);
}

export class ApprovalService {
  constructor(private readonly deps: SettleDeps) {}

  async list(
    actor: Actor,
    query: { status?: 'pending' | 'approved' | 'rejected'; cursor?: string; limit: number },
  ) {
    const before = parseIdCursor(query.cursor);
    const rows = await listApprovals(this.deps.db, actor.tenantId, {
      status: query.status,
      teamIds: teamScope(actor),
      before,
      limit: query.limit,
    });
    const page = pageOf(rows, query.limit);
    return { items: page.items.map((row) => presentApproval(row)), nextCursor: page.nextCursor };
  }

  async get(actor: Actor, id: string) {
    const row = await findApproval(this.deps.db, actor.tenantId, id);
    if (!row || !inTeamScope(actor, row)) throw new AppError('APPROVAL_NOT_FOUND');
    return presentApproval(row);
  }

  /**
   * Approves and pays. Approving again is harmless: an approved request re-runs only what is still unpaid
   * (its payouts meet their ledger rows). The requester may not approve their own request unless an admin.
   */
  async approve(actor: Actor, id: string, note: string | undefined) {
    const { db } = this.deps;
    const now = this.deps.now();
    const row = await db.transaction().execute(async (tx) => {
      const current = await findApproval(tx, actor.tenantId, id, { lock: true });
      if (!current || !inTeamScope(actor, current)) throw new AppError('APPROVAL_NOT_FOUND');
      if (current.status === 'rejected') throw new AppError('APPROVAL_DECIDED', 'This request was rejected');
      if (current.status === 'approved') return current;
      if (current.requestedBy !== null && current.requestedBy === actor.userId && actor.role !== 'admin') {
        throw new AppError('APPROVAL_SELF', 'Someone else must approve your own request');
      }
      const decided = await decideApproval(
        tx,
        actor.tenantId,
        id,
        { status: 'approved', decidedBy: actor.userId, note: note ?? null },
        now,
      );
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'approval.approved',
        targetType: 'approval',
        targetId: id,
        details: { kind: current.kind, amount: Number(current.amount), currency: current.currency },
      });
      if (current.ticketId) {
        await insertSystemEvent(
          tx,
          actor.tenantId,
          current.ticketId,
          'approval.approved',
          [{ field: 'approval', before: 'pending', after: { id, by: actor.userId } }],
          now,
        );
      }
      return decided;
    });
    const payouts = await this.settle(row);
    return { approval: presentApproval(row), payouts: payouts.map(presentPayout) };
  }

  async reject(actor: Actor, id: string, note: string | undefined) {
    const { db } = this.deps;
    const now = this.deps.now();
    const row = await db.transaction().execute(async (tx) => {
      const current = await findApproval(tx, actor.tenantId, id, { lock: true });
      if (!current || !inTeamScope(actor, current)) throw new AppError('APPROVAL_NOT_FOUND');
      if (current.status === 'rejected') return current;
      if (current.status === 'approved') throw new AppError('APPROVAL_DECIDED', 'This request was approved');
      const decided = await decideApproval(
        tx,
        actor.tenantId,
        id,
        { status: 'rejected', decidedBy: actor.userId, note: note ?? null },
        now,
      );
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'approval.rejected',
        targetType: 'approval',
        targetId: id,
        details: { kind: current.kind, amount: Number(current.amount), currency: current.currency },
      });
      if (current.ticketId) {
        await insertSystemEvent(
          tx,
          actor.tenantId,
          current.ticketId,
          'approval.rejected',
          [{ field: 'approval', before: 'pending', after: { id, by: actor.userId, note: note ?? null } }],
          now,
        );
        if (current.kind === 'price_protection') {
          await tx
            .updateTable('priceProtectionChecks')
            .set({ outcome: 'rejected' })
            .where('tenantId', '=', actor.tenantId)
            .where('ticketId', '=', current.ticketId)
            .where('approvalId', '=', id)
            .execute();
        }
      }
      return decided;
    });
    return { approval: presentApproval(row), payouts: [] };
  }

  private async settle(row: ApprovalRow): Promise<PayoutRow[]> {
    const payload = row.payload as unknown as ApprovalPayload;
    const actor: PayoutActor = row.requestedBy
      ? { type: payload.requestedByType ?? 'user', id: row.requestedBy }
      : { type: 'system', id: null };
    if (row.kind === 'price_protection' && row.ticketId) {
      const settings = await loadAftersalesSettings(this.deps.db, row.tenantId);
      await settlePriceProtection(this.deps, {
        tenantId: row.tenantId,
        ticketId: row.ticketId,
        payouts: payload.payouts,
        actor,
        approvalId: row.id,
        language: payload.language ?? 'zh',
        orderNumber: payload.orderNumber ?? '',
        solve: settings.priceProtection.solveTicket,
      });
      return this.payoutsOf(row);
    }
    const rows = await payAll(this.deps, row.tenantId, payload.payouts, actor, row.id);
    if (row.ticketId) {
      await insertSystemEvent(
        this.deps.db,
        row.tenantId,
        row.ticketId,
        'payout.recorded',
        rows.map((r) => ({ field: 'payout', before: null, after: presentPayout(r) })),
        this.deps.now(),
      );
    }
    return rows;
  }

  private payoutsOf(row: ApprovalRow): Promise<PayoutRow[]> {
    return this.deps.db
      .selectFrom('payouts')
      .selectAll()
      .where('tenantId', '=', row.tenantId)
      .where('approvalId', '=', row.id)
      .orderBy('id')
      .execute();
  }
}
