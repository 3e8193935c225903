import type { Kysely, Selectable } from 'kysely';
import type { ApprovalRequestsTable, Database } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';
import type { NewPayout } from './payout.repository.ts';

type Db = Kysely<Database>;
export type ApprovalRow = Selectable<ApprovalRequestsTable>;

/** A payout an approval will make: everything but who pays and the approval link (known on approval). */
export type PlannedPayout = Omit<NewPayout, 'tenantId' | 'actorType' | 'actorId' | 'approvalId'>;

/** What an approval carries: the payouts to make and, for the customer's answer, their language. */
export interface ApprovalPayload {
  payouts: PlannedPayout[];
  language?: 'zh' | 'en';
  orderNumber?: string;
  /** The audit action recorded when granted (compensation). */
  requestedByType?: 'user' | 'token' | 'system';
  requestedById?: string | null;
}

export interface NewApproval {
  tenantId: string;
  kind: 'price_protection' | 'compensation';
  ticketId: string | null;
  teamId: string | null;
  requestedBy: string | null;
  amount: number;
  currency: string | null;
  reason: string;
  payload: ApprovalPayload;
}

export async function insertApproval(db: Db, approval: NewApproval, now: Date): Promise<ApprovalRow> {
  return db
    .insertInto('approvalRequests')
    .values({
      ...approval,
      id: uuidv7(now.getTime()),
      payload: JSON.stringify(approval.payload),
      createdAt: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findApproval(
  db: Db,
  tenantId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<ApprovalRow | undefined> {
  let q = db.selectFrom('approvalRequests').selectAll().where('tenantId', '=', tenantId).where('id', '=', id);
  if (options.lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function findPendingApprovalOfTicket(
  db: Db,
  tenantId: string,
  ticketId: string,
  kind: ApprovalRow['kind'],
) {
  return db
    .selectFrom('approvalRequests')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('ticketId', '=', ticketId)
    .where('kind', '=', kind)
    .where('status', '=', 'pending')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** A ticket's approval requests, oldest first. */
export function listTicketApprovals(db: Db, tenantId: string, ticketId: string): Promise<ApprovalRow[]> {
  return db
    .selectFrom('approvalRequests')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('ticketId', '=', ticketId)
    .orderBy('id')
    .execute();
}

export interface ApprovalListQuery {
  status?: 'pending' | 'approved' | 'rejected' | undefined;
  /** Only approvals of these teams (and those of no team); undefined: all. */
  teamIds?: readonly string[] | undefined;
  /** Newest first: ids below this one. */
  before?: string | undefined;
  limit: number;
}

export function listApprovals(db: Db, tenantId: string, query: ApprovalListQuery): Promise<ApprovalRow[]> {
  let q = db.selectFrom('approvalRequests').selectAll().where('tenantId', '=', tenantId);
  if (query.status) q = q.where('status', '=', query.status);
  if (query.teamIds) {
    const teams = query.teamIds;
    q = q.where((eb) =>
      teams.length ? eb.or([eb('teamId', 'is', null), eb('teamId', 'in', teams)]) : eb('teamId', 'is', null),
    );
  }
  if (query.before) q = q.where('id', '<', query.before);
  return q
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
}

export async function decideApproval(
  db: Db,
  tenantId: string,
  id: string,
  decision: { status: 'approved' | 'rejected'; decidedBy: string | null; note: string | null },
  now: Date,
): Promise<ApprovalRow> {
  return db
    .updateTable('approvalRequests')
    .set({
      status: decision.status,
      decidedBy: decision.decidedBy,
      decisionNote: decision.note,
      decidedAt: now,
    })
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function presentApproval(row: ApprovalRow, maskText: (text: string) => string = (t) => t) {
  const payload = row.payload as unknown as ApprovalPayload;
  return {
    id: row.id,
    kind: row.kind,
    ticketId: row.ticketId,
    teamId: row.teamId,
    requestedBy: row.requestedBy,
    status: row.status,
    amount: Number(row.amount),
    currency: row.currency,
    reason: maskText(row.reason),
    payouts: payload.payouts.map((p) => ({
      kind: p.kind,
      amount: p.amount,
      currency: p.currency,
      orderId: p.orderId ?? null,
      orderLineId: p.orderLineId ?? null,
    })),
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt ? row.decidedAt.toISOString() : null,
    decisionNote: row.decisionNote === null ? null : maskText(row.decisionNote),
    createdAt: row.createdAt.toISOString(),
  };
}
