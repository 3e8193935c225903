/**
 * The after-sale state machine (returns, exchanges, refund-only requests), in the shop's own status codes:
 * WAIT_SELLER_AGREE → WAIT_BUYER_RETURN_GOODS → WAIT_SELLER_CONFIRM_GOODS → SELLER_RECEIVED → SUCCESS
 * (refunded) or EXCHANGE_SENT; SELLER_REFUSE ends a request the seller rejected.
 */
export type AfterSaleKind = 'return' | 'exchange' | 'refund_only';
export type AfterSaleAction =
  'approve' | 'reject' | 'mark_return_shipped' | 'confirm_received' | 'ship_exchange' | 'refund';

export type Transition = { ok: true; status: string } | { ok: false; reason: string };

const TABLE: Record<AfterSaleAction, { from: string; to: (kind: AfterSaleKind) => string | null }> = {
  approve: {
    from: 'WAIT_SELLER_AGREE',
    to: (kind) => (kind === 'refund_only' ? 'WAIT_SELLER_REFUND' : 'WAIT_BUYER_RETURN_GOODS'),
  },
  reject: { from: 'WAIT_SELLER_AGREE', to: () => 'SELLER_REFUSE' },
  mark_return_shipped: {
    from: 'WAIT_BUYER_RETURN_GOODS',
    to: (kind) => (kind === 'refund_only' ? null : 'WAIT_SELLER_CONFIRM_GOODS'),
  },
  confirm_received: {
    from: 'WAIT_SELLER_CONFIRM_GOODS',
    to: (kind) => (kind === 'refund_only' ? null : 'SELLER_RECEIVED'),
  },
  ship_exchange: { from: 'SELLER_RECEIVED', to: (kind) => (kind === 'exchange' ? 'EXCHANGE_SENT' : null) },
  refund: { from: '', to: (kind) => (kind === 'exchange' ? null : 'SUCCESS') },
};

/** A refund may settle a return once the warehouse has it, and a refund-only request once approved (or at once). */
const REFUNDABLE_FROM: Record<AfterSaleKind, readonly string[]> = {
  return: ['SELLER_RECEIVED'],
  exchange: [],
  refund_only: ['WAIT_SELLER_AGREE', 'WAIT_SELLER_REFUND'],
};

export function nextAfterSaleStatus(
  kind: AfterSaleKind,
  status: string,
  action: AfterSaleAction,
): Transition {
  const rule = TABLE[action];
  const to = rule.to(kind);
  const allowed = action === 'refund' ? REFUNDABLE_FROM[kind].includes(status) : rule.from === status;
  if (!to || !allowed) return { ok: false, reason: `cannot ${action} a ${kind} in status ${status}` };
  return { ok: true, status: to };
}
