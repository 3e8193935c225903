import type { IssueRefundInput } from './adapter.ts';
import { ShopError } from './errors.ts';
import type { AfterSaleLine, Order, Refund } from './types.ts';
import type { VendureClient } from './vendure.client.ts';
import { CANCEL_ORDER } from './vendure.graphql.ts';
import {
  idempotencyKeyOf,
  mapOrder,
  recordedKey,
  withIdempotencyKey,
  type VOrder,
} from './vendure.mapping.ts';

export interface CancelLinesInput {
  orderId: string;
  lines: AfterSaleLine[];
  reason: string;
  /** Refund the cancelled items' paid value (default true). */
  refund?: boolean;
  idempotencyKey: string;
}

export interface CancelLinesResult {
  order: Order;
  refund?: Refund;
}

interface Dependencies {
  loadOrder(orderId: string): Promise<VOrder>;
  issueRefund(input: IssueRefundInput): Promise<Refund>;
}

/**
 * Vendure's way to take items back: cancel order lines (`cancelOrder` with lines: the quantities drop and the
 * stock returns), then refund what the buyer paid for them (prorated unit price with tax). Idempotent in two
 * steps, each recorded in Vendure: the cancellation's reason carries the key, the refund `<key>:refund`, so a
 * retry after a failure between the two only does what is missing.
 */
export async function cancelVendureLines(
  client: VendureClient,
  input: CancelLinesInput,
  deps: Dependencies,
): Promise<CancelLinesResult> {
  const key = recordedKey(input.idempotencyKey);
  const refundKey = `${input.idempotencyKey}:refund`;
  const before = await deps.loadOrder(input.orderId);
  const cancelled = before.history.items.some(
    (h) => h.type === 'ORDER_CANCELLATION' && idempotencyKeyOf(String(h.data.reason)) === key,
  );
  const earlierRefund = (before.payments ?? [])
    .flatMap((p) => p.refunds)
    .find((r) => idempotencyKeyOf(r.reason) === recordedKey(refundKey));
  let amount = earlierRefund?.total ?? 0;
  if (!earlierRefund) {
    for (const wanted of input.lines) {
      const line = before.lines.find((l) => l.id === wanted.orderLineId);
      if (!line)
        throw new ShopError('INVALID_REQUEST', `order ${input.orderId} has no line ${wanted.orderLineId}`);
      if (
        !cancelled &&
        (!Number.isInteger(wanted.quantity) || wanted.quantity < 1 || wanted.quantity > line.quantity)
      ) {
        throw new ShopError(
          'REJECTED',
          `line ${line.id} has ${line.quantity} left to cancel, not ${wanted.quantity}`,
        );
      }
      amount += line.proratedUnitPriceWithTax * wanted.quantity;
    }
  }
  if (!cancelled) {
    await client.mutate('cancelOrder', CANCEL_ORDER, {
      input: {
        orderId: input.orderId,
        lines: input.lines.map((l) => ({ orderLineId: l.orderLineId, quantity: l.quantity })),
        reason: withIdempotencyKey(input.reason, input.idempotencyKey),
        cancelShipping: false,
      },
    });
  }
  const refund =
    input.refund === false || amount === 0
      ? undefined
      : await deps.issueRefund({
          orderId: input.orderId,
          amount: { amountMinor: amount, currency: before.currencyCode },
          reason: input.reason,
          idempotencyKey: refundKey,
        });
  const order = mapOrder(await deps.loadOrder(input.orderId));
  return { order, ...(refund ? { refund } : {}) };
}
