import { createHash } from 'node:crypto';
import type { AfterSaleStatus, Order } from '@peakdesk/commerce';

/** PeakDesk's status of a return: the shop's after-sale statuses, plus `pending` until the shop has it. */
export type ReturnStatus = 'pending' | AfterSaleStatus;
export type ReturnKind = 'return' | 'exchange';
export interface ReturnLine {
  lineId: string;
  quantity: number;
}

/**
 * How far along a return is. Events arrive in any order and a re-fetch may see an older state than one
 * already recorded, so a return only ever moves to a higher rank; the ends (refunded, exchange shipped,
 * rejected, closed) share the top rank, so nothing leaves them.
 */
const RANK: Record<ReturnStatus, number> = {
  pending: 0,
  requested: 1,
  approved: 2,
  return_shipped: 3,
  received: 4,
  refunded: 5,
  exchange_shipped: 5,
  rejected: 5,
  closed: 5,
};

export function isFinished(status: ReturnStatus): boolean {
  return RANK[status] === 5;
}

/** The status to move to, or null when `incoming` would not move the return forward (pure). */
export function advanceStatus(current: ReturnStatus, incoming: ReturnStatus): ReturnStatus | null {
  if (incoming === current || isFinished(current)) return null;
  return RANK[incoming] > RANK[current] ? incoming : null;
}

/**
 * The key the shop deduplicates on: ticket, kind and the lines (order-insensitive), never random, so a double
 * click or a retry of the same request opens one after-sale.
 */
export function returnIdempotencyKey(ticketId: string, kind: ReturnKind, lines: ReturnLine[]): string {
  const canonical = [...lines]
    .map((l) => `${l.lineId}x${l.quantity}`)
    .sort()
    .join(',');
  const digest = createHash('sha256').update(`${ticketId}|${kind}|${canonical}`).digest('hex').slice(0, 32);
  return `pd-return:${ticketId}:${digest}`;
}

export type LineProblem =
  | { lineId: string; problem: 'unknown_line' }
  | { lineId: string; problem: 'too_many'; held: number }
  | { lineId: string; problem: 'duplicate_line' };

/**
 * Checks the requested lines against the order: each line exists once, and its quantity is at most the units
 * the buyer still holds (bought − refunded − already in this ticket's other open returns). Pure.
 */
export function checkReturnLines(
  order: Pick<Order, 'lines'>,
  lines: ReturnLine[],
  inOtherReturns: ReadonlyMap<string, number>,
): LineProblem[] {
  const problems: LineProblem[] = [];
  const seen = new Set<string>();
  for (const wanted of lines) {
    if (seen.has(wanted.lineId)) {
      problems.push({ lineId: wanted.lineId, problem: 'duplicate_line' });
      continue;
    }
    seen.add(wanted.lineId);
    const line = order.lines.find((l) => l.externalId === wanted.lineId);
    if (!line) {
      problems.push({ lineId: wanted.lineId, problem: 'unknown_line' });
      continue;
    }
    const held = Math.max(
      0,
      line.quantity - line.refundedQuantity - (inOtherReturns.get(line.externalId) ?? 0),
    );
    if (wanted.quantity > held) problems.push({ lineId: wanted.lineId, problem: 'too_many', held });
  }
  return problems;
}

/**
 * Units per line that open returns hold. Rejected and closed returns hold none; a refunded one's units are in
 * the order line's `refundedQuantity` already, so counting them here would take them twice.
 */
export function unitsInReturns(returns: { status: string; lines: ReturnLine[] }[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const r of returns) {
    if (r.status === 'rejected' || r.status === 'closed' || r.status === 'refunded') continue;
    for (const l of r.lines) units.set(l.lineId, (units.get(l.lineId) ?? 0) + l.quantity);
  }
  return units;
}

/** A tenant's choices, in `tenants.settings.returns`; anything missing falls back to the defaults. */
export interface ReturnSettings {
  /** Steps that send the customer a public message. */
  customerMessageSteps: ReturnStatus[];
  /** Solve the ticket when the return is refunded or the exchange shipped. */
  solveWhenDone: boolean;
}

export const DEFAULT_RETURN_SETTINGS: ReturnSettings = {
  customerMessageSteps: ['approved', 'received', 'refunded', 'exchange_shipped'],
  solveWhenDone: true,
};

const STATUSES = new Set<string>(Object.keys(RANK));

export function returnSettingsFrom(settings: Record<string, unknown>): ReturnSettings {
  const raw = (settings.returns ?? {}) as Partial<Record<keyof ReturnSettings, unknown>>;
  const steps = Array.isArray(raw.customerMessageSteps)
    ? raw.customerMessageSteps.filter((s): s is ReturnStatus => typeof s === 'string' && STATUSES.has(s))
    : DEFAULT_RETURN_SETTINGS.customerMessageSteps;
  return {
    customerMessageSteps: steps,
    solveWhenDone:
      typeof raw.solveWhenDone === 'boolean' ? raw.solveWhenDone : DEFAULT_RETURN_SETTINGS.solveWhenDone,
  };
}

const TEXT: Partial<
  Record<ReturnStatus, { zh: (k: string, o: string) => string; en: (k: string, o: string) => string }>
> = {
  approved: {
    zh: (k, o) => `您好，您的订单 ${o} 的${k}申请已通过，请将商品寄回仓库。`,
    en: (k, o) => `Hello, your ${k} for order ${o} is approved: please send the items back to our warehouse.`,
  },
  return_shipped: {
    zh: (k, o) => `您好，我们已看到您为订单 ${o} 寄回的${k}包裹，仓库收到后会第一时间处理。`,
    en: (k, o) => `Hello, we see the parcel of your ${k} for order ${o} is on its way back to us.`,
  },
  received: {
    zh: (k, o) => `您好，仓库已收到您订单 ${o} 的${k}商品，正在为您处理。`,
    en: (k, o) => `Hello, our warehouse has received the items of your ${k} for order ${o}.`,
  },
  refunded: {
    zh: (_k, o) => `您好，您订单 ${o} 的退款已原路退回，请注意查收。感谢您的耐心等待！`,
    en: (_k, o) =>
      `Hello, the refund for order ${o} is on its way back to your original payment. Thank you for your patience!`,
  },
  exchange_shipped: {
    zh: (_k, o) => `您好，您订单 ${o} 的换货商品已发出，请注意查收。`,
    en: (_k, o) => `Hello, the replacement for order ${o} has been shipped.`,
  },
  rejected: {
    zh: (k, o) => `您好，很抱歉，您订单 ${o} 的${k}申请未能通过，如有疑问请直接回复我们。`,
    en: (k, o) =>
      `Hello, we are sorry: the ${k} for order ${o} could not be accepted. Reply here if you have questions.`,
  },
};

/** The customer's message for a step, in the ticket's language, or null for a step the tenant left out. */
export function customerMessageFor(
  status: ReturnStatus,
  kind: ReturnKind,
  orderNumber: string,
  language: 'zh' | 'en' | null,
  settings: ReturnSettings,
): string | null {
  if (!settings.customerMessageSteps.includes(status)) return null;
  const text = TEXT[status];
  if (!text) return null;
  return language === 'en'
    ? text.en(kind === 'exchange' ? 'exchange' : 'return', orderNumber)
    : text.zh(kind === 'exchange' ? '换货' : '退货', orderNumber);
}

/** Whether reaching `status` solves the ticket. */
export function solvesTicket(status: ReturnStatus, settings: ReturnSettings): boolean {
  return settings.solveWhenDone && (status === 'refunded' || status === 'exchange_shipped');
}
