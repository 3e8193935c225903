import type { Kysely } from 'kysely';
import type { Database, FieldChange } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { toTsvectorLiteral } from '../search/cjk-tokenizer.ts';
import { recomputeSla } from '../sla/sla-recompute.ts';
import { timestampsAfter } from '../tickets/ticket-status.ts';
import { TicketRepository } from '../tickets/ticket.repository.ts';

type Db = Kysely<Database>;

/**
 * PeakDesk answers the customer on a ticket (a system public reply) and, with `solve`, solves it — in the
 * caller's transaction, which must already have decided that this answer is due exactly once (e.g. by a
 * conditional update of the price-protection check). A closed ticket gets nothing.
 */
export async function answerTicket(
  tx: Db,
  input: {
    tenantId: string;
    ticketId: string;
    body: string;
    solve: boolean;
    action: string;
    changes: FieldChange[];
    now: Date;
  },
): Promise<boolean> {
  const { tenantId, ticketId, now } = input;
  const ticket = await tx
    .selectFrom('tickets')
    .select(['id', 'status', 'solvedAt', 'closedAt', 'firstRespondedAt'])
    .where('tenantId', '=', tenantId)
    .where('id', '=', ticketId)
    .forUpdate()
    .executeTakeFirst();
  if (!ticket || ticket.status === 'closed') return false;
  const repo = new TicketRepository(tx);
  const messageId = uuidv7(now.getTime());
  await repo.insertMessages([
    {
      tenantId,
      id: messageId,
      ticketId,
      authorType: 'system',
      authorId: null,
      visibility: 'public',
      body: input.body,
      createdAt: now,
    },
  ]);
  const changes: FieldChange[] = [
    ...input.changes,
    { field: 'message', before: null, after: { id: messageId, visibility: 'public' } },
  ];
  const solves = input.solve && ticket.status !== 'solved';
  if (solves) changes.push({ field: 'status', before: ticket.status, after: 'solved' });
  await repo.update(
    tenantId,
    ticketId,
    {
      updatedAt: now,
      ...(ticket.firstRespondedAt ? {} : { firstRespondedAt: now }),
      ...(solves ? { status: 'solved' as const, ...timestampsAfter('solved', ticket, now) } : {}),
    },
    { searchText: toTsvectorLiteral(input.body), bumpVersion: solves },
  );
  await repo.insertEvents([
    {
      tenantId,
      id: uuidv7(now.getTime()),
      ticketId,
      actorType: 'system',
      actorId: null,
      action: input.action,
      changes: JSON.stringify(changes),
      createdAt: now,
    },
  ]);
  await recomputeSla(tx, tenantId, ticketId, now);
  return true;
}

/** ¥12.34 or "120 积分/points" for the customer's answer (pure). */
export function formatPayout(
  kind: string,
  amount: number,
  currency: string | null,
  language: 'zh' | 'en',
): string {
  if (kind === 'points') return language === 'zh' ? `${amount} 积分` : `${amount} points`;
  const major = (amount / 100).toFixed(2);
  return currency === 'CNY' || currency === null ? `¥${major}` : `${major} ${currency}`;
}

const METHOD: Record<string, { zh: string; en: string }> = {
  refund: { zh: '原路退款', en: 'a refund to your original payment' },
  coupon: { zh: '优惠券', en: 'a coupon' },
  points: { zh: '积分', en: 'points' },
  store_credit: { zh: '店铺余额', en: 'store credit' },
};

/** The customer's answer after a price-protection payout, in their language (pure). */
export function priceProtectionReply(
  language: 'zh' | 'en',
  orderNumber: string,
  payouts: { kind: string; amount: number; currency: string | null }[],
): string {
  const kind = payouts[0]?.kind ?? 'refund';
  const total = payouts.reduce((sum, p) => sum + p.amount, 0);
  const amount = formatPayout(kind, total, payouts[0]?.currency ?? null, language);
  const method = METHOD[kind] ?? METHOD.refund!;
  return language === 'zh'
    ? `您好，您的订单 ${orderNumber} 已完成价保，差价 ${amount} 已通过${method.zh}返还给您。感谢您的耐心等待！`
    : `Hello, price protection for your order ${orderNumber} is done: the difference of ${amount} has been paid back as ${method.en}. Thank you for your patience!`;
}
