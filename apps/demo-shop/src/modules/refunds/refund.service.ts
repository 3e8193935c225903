import type pg from 'pg';
import { nextId, requestHash, withTransaction } from '../../db/transaction.ts';
import { ShopApiError } from '../../errors.ts';
import { nextAfterSaleStatus, type AfterSaleKind } from '../aftersales/aftersale-machine.ts';
import { enqueueEvent } from '../events/outbox.repository.ts';
import { lockOrder, touchOrder } from '../orders/order-lock.ts';
import { AFTERSALE_SELECT } from '../orders/order.repository.ts';

type Row = Record<string, unknown>;

export interface RefundRequest {
  orderId: string;
  amountFen: number;
  reason: string;
  afterSaleId?: string | undefined;
  orderLineId?: string | undefined;
  idempotencyKey: string;
}

const REFUND_SELECT = `SELECT id, order_id AS "orderId", payment_id AS "paymentId", aftersale_id AS "afterSaleId",
  order_line_id AS "orderLineId", amount_fen AS "amountFen", reason, status, created_at AS "createdAt",
  succeeded_at AS "succeededAt", request_hash AS "requestHash" FROM refunds`;

/**
 * Refunds part or all of what was paid. Idempotent: a retry with the same key returns the first refund and
 * refunds nothing more; the same key with a different request is refused. Never refunds more than was paid
 * minus what was already refunded.
 */
export async function issueRefund(
  pool: pg.Pool,
  request: RefundRequest,
  now: Date,
): Promise<{ refund: Record<string, unknown>; replayed: boolean }> {
  const hash = requestHash({ ...request, idempotencyKey: undefined });
  return withTransaction(pool, async (client) => {
    const order = await lockOrder(client, request.orderId);
    const existing = await client.query<Row>(`${REFUND_SELECT} WHERE idempotency_key = $1`, [
      request.idempotencyKey,
    ]);
    if (existing.rows[0]) {
      if (existing.rows[0].requestHash !== hash) {
        throw new ShopApiError(
          'IDEMPOTENCY_KEY_REUSED',
          'this idempotency key was used for a different refund',
        );
      }
      return { refund: existing.rows[0], replayed: true };
    }
    if (order.paidFen === 0)
      throw new ShopApiError('ORDER_NOT_PAID', `order ${order.orderNumber} is not paid`);
    const refundable = order.paidFen - order.refundedFen;
    if (request.amountFen > refundable) {
      throw new ShopApiError('REFUND_EXCEEDS_REFUNDABLE', `at most ${refundable} fen can still be refunded`, {
        refundable: { amountMinor: refundable, currency: 'CNY' },
      });
    }
    if (request.orderLineId) {
      const line = await client.query<Row>(`SELECT 1 FROM order_lines WHERE id = $1 AND order_id = $2`, [
        request.orderLineId,
        order.id,
      ]);
      if (line.rowCount === 0)
        throw new ShopApiError('UNPROCESSABLE', `line ${request.orderLineId} is not on this order`);
    }
    if (request.afterSaleId)
      await settleAfterSale(client, order.id, order.orderNumber, request.afterSaleId, now);

    const payment = await client.query<{ id: string }>(
      `SELECT id FROM payments WHERE order_id = $1 LIMIT 1`,
      [order.id],
    );
    const id = await nextId(client, 'RF');
    await client.query<Row>(
      `INSERT INTO refunds (id, order_id, payment_id, aftersale_id, order_line_id, amount_fen, reason, status,
                            idempotency_key, request_hash, created_at, succeeded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'SUCCESS', $8, $9, $10, $10)`,
      [
        id,
        order.id,
        payment.rows[0]?.id ?? null,
        request.afterSaleId ?? null,
        request.orderLineId ?? null,
        request.amountFen,
        request.reason,
        request.idempotencyKey,
        hash,
        now,
      ],
    );
    const fullyRefunded = order.refundedFen + request.amountFen >= order.paidFen;
    await client.query<Row>(`UPDATE payments SET status = $2 WHERE order_id = $1`, [
      order.id,
      fullyRefunded ? 'REFUNDED' : 'PARTIAL_REFUNDED',
    ]);
    const version = await touchOrder(client, order.id, now, {
      refundedFenDelta: request.amountFen,
      ...(fullyRefunded ? { status: 'TRADE_CLOSED' } : {}),
    });
    await enqueueEvent(client, {
      type: 'refund.succeeded',
      orderId: order.id,
      orderNumber: order.orderNumber,
      orderVersion: version,
      occurredAt: now,
      data: { refundId: id, amount: { amountMinor: request.amountFen, currency: 'CNY' } },
    });
    const created = await client.query<Row>(`${REFUND_SELECT} WHERE id = $1`, [id]);
    return { refund: created.rows[0]!, replayed: false };
  });
}

async function settleAfterSale(
  client: pg.PoolClient,
  orderId: string,
  orderNumber: string,
  afterSaleId: string,
  now: Date,
) {
  const { rows } = await client.query<Row>(`${AFTERSALE_SELECT} WHERE id = $1 AND order_id = $2 FOR UPDATE`, [
    afterSaleId,
    orderId,
  ]);
  const afterSale = rows[0] as
    { kind: AfterSaleKind; status: string; lines: { orderLineId: string; quantity: number }[] } | undefined;
  if (!afterSale) throw new ShopApiError('NOT_FOUND', `no after-sale ${afterSaleId} on this order`);
  const next = nextAfterSaleStatus(afterSale.kind, afterSale.status, 'refund');
  if (!next.ok) throw new ShopApiError('INVALID_TRANSITION', next.reason);
  await client.query<Row>(
    `UPDATE aftersales SET status = $2, updated_at = $3, version = version + 1 WHERE id = $1`,
    [afterSaleId, next.status, now],
  );
  if (afterSale.kind === 'return') {
    for (const line of afterSale.lines) {
      await client.query<Row>(
        `UPDATE order_lines SET refunded_quantity = refunded_quantity + $2 WHERE id = $1`,
        [line.orderLineId, line.quantity],
      );
    }
  }
  await enqueueEvent(client, {
    type: 'aftersale.updated',
    orderId,
    orderNumber,
    occurredAt: now,
    data: { afterSaleId, status: next.status, previousStatus: afterSale.status },
  });
}
