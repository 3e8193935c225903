import type pg from 'pg';
import { CARRIERS } from '../../seed/catalog.ts';
import { nextId, requestHash, withTransaction } from '../../db/transaction.ts';
import { ShopApiError } from '../../errors.ts';
import { enqueueEvent } from '../events/outbox.repository.ts';
import { lockOrder, touchOrder } from '../orders/order-lock.ts';
import { AFTERSALE_SELECT } from '../orders/order.repository.ts';
import { nextAfterSaleStatus, type AfterSaleAction, type AfterSaleKind } from './aftersale-machine.ts';

type Row = Record<string, unknown>;

export interface CreateAfterSaleRequest {
  orderId: string;
  kind: AfterSaleKind;
  lines: { orderLineId: string; quantity: number }[];
  reason: string;
  /** A seller (PeakDesk agent) opens it already approved; a buyer's request waits for the seller's answer. */
  initiatedBy: 'seller' | 'buyer';
  idempotencyKey: string;
}

export async function listAfterSales(pool: pg.Pool, orderId: string): Promise<Row[]> {
  const { rows } = await pool.query<Row>(`${AFTERSALE_SELECT} WHERE order_id = $1 ORDER BY created_at, id`, [
    orderId,
  ]);
  return rows;
}

export async function getAfterSale(pool: pg.Pool, afterSaleId: string): Promise<Row | undefined> {
  const { rows } = await pool.query<Row>(`${AFTERSALE_SELECT} WHERE id = $1`, [afterSaleId]);
  return rows[0];
}

export async function createAfterSale(
  pool: pg.Pool,
  request: CreateAfterSaleRequest,
  now: Date,
): Promise<{ afterSale: Row; replayed: boolean }> {
  const hash = requestHash({ ...request, idempotencyKey: undefined });
  return withTransaction(pool, async (client) => {
    const order = await lockOrder(client, request.orderId);
    const existing = await client.query<Row>(
      `${AFTERSALE_SELECT.replace(' FROM', ', request_hash AS "requestHash" FROM')} WHERE idempotency_key = $1`,
      [request.idempotencyKey],
    );
    if (existing.rows[0]) {
      if (existing.rows[0].requestHash !== hash) {
        throw new ShopApiError(
          'IDEMPOTENCY_KEY_REUSED',
          'this idempotency key was used for a different after-sale',
        );
      }
      return { afterSale: existing.rows[0], replayed: true };
    }
    if (order.paidFen === 0)
      throw new ShopApiError('ORDER_NOT_PAID', `order ${order.orderNumber} is not paid`);
    const { rows: lines } = await client.query<{
      id: string;
      quantity: number;
      refundedQuantity: number;
      paidUnitFen: number;
      totalFen: number;
    }>(
      `SELECT id, quantity, refunded_quantity AS "refundedQuantity", paid_unit_fen AS "paidUnitFen", total_fen AS "totalFen"
         FROM order_lines WHERE order_id = $1`,
      [order.id],
    );
    let requestedFen = 0;
    for (const wanted of request.lines) {
      const line = lines.find((l) => l.id === wanted.orderLineId);
      if (!line) throw new ShopApiError('UNPROCESSABLE', `line ${wanted.orderLineId} is not on this order`);
      if (wanted.quantity > line.quantity - line.refundedQuantity) {
        throw new ShopApiError(
          'UNPROCESSABLE',
          `line ${line.id} has only ${line.quantity - line.refundedQuantity} left to return`,
        );
      }
      requestedFen += Math.min(line.totalFen, line.paidUnitFen * wanted.quantity);
    }
    const status =
      request.initiatedBy === 'buyer'
        ? 'WAIT_SELLER_AGREE'
        : request.kind === 'refund_only'
          ? 'WAIT_SELLER_REFUND'
          : 'WAIT_BUYER_RETURN_GOODS';
    const id = await nextId(client, 'AS');
    await client.query<Row>(
      `INSERT INTO aftersales (id, order_id, kind, status, reason, lines, requested_fen, idempotency_key, request_hash,
                               created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
      [
        id,
        order.id,
        request.kind,
        status,
        request.reason,
        JSON.stringify(request.lines),
        requestedFen,
        request.idempotencyKey,
        hash,
        now,
      ],
    );
    const version = await touchOrder(client, order.id, now);
    await enqueueEvent(client, {
      type: 'aftersale.updated',
      orderId: order.id,
      orderNumber: order.orderNumber,
      orderVersion: version,
      occurredAt: now,
      data: { afterSaleId: id, kind: request.kind, status },
    });
    const created = await client.query<Row>(`${AFTERSALE_SELECT} WHERE id = $1`, [id]);
    return { afterSale: created.rows[0] as Row, replayed: false };
  });
}

export interface AfterSaleActionRequest {
  afterSaleId: string;
  action: Exclude<AfterSaleAction, 'refund'>;
  note?: string | undefined;
  returnShipment?: { carrierCode: string; trackingNumber: string } | undefined;
  idempotencyKey: string;
}

/** Approve, reject, mark the buyer's parcel shipped, confirm the warehouse received it, or ship the exchange. */
export async function actOnAfterSale(
  pool: pg.Pool,
  request: AfterSaleActionRequest,
  now: Date,
): Promise<Row> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<Row>(`SELECT order_id AS "orderId" FROM aftersales WHERE id = $1`, [
      request.afterSaleId,
    ]);
    if (!rows[0]) throw new ShopApiError('NOT_FOUND', `no after-sale ${request.afterSaleId}`);
    const order = await lockOrder(client, rows[0].orderId as string);
    const done = await client.query<Row>(
      `SELECT aftersale_id AS "afterSaleId", action FROM aftersale_actions WHERE idempotency_key = $1`,
      [request.idempotencyKey],
    );
    const current = (await client.query<Row>(`${AFTERSALE_SELECT} WHERE id = $1`, [request.afterSaleId]))
      .rows[0] as Row;
    if (done.rows[0]) {
      if (done.rows[0].afterSaleId !== request.afterSaleId || done.rows[0].action !== request.action) {
        throw new ShopApiError(
          'IDEMPOTENCY_KEY_REUSED',
          'this idempotency key was used for a different action',
        );
      }
      return current;
    }
    const next = nextAfterSaleStatus(current.kind as AfterSaleKind, current.status as string, request.action);
    if (!next.ok) throw new ShopApiError('INVALID_TRANSITION', next.reason);
    const parcel =
      request.action === 'mark_return_shipped'
        ? (request.returnShipment ?? {
            carrierCode: 'sf',
            trackingNumber: `SF${String(now.getTime()).slice(-12)}`,
          })
        : undefined;
    await client.query<Row>(
      `UPDATE aftersales SET status = $2, updated_at = $3, version = version + 1,
              return_carrier = coalesce($4, return_carrier), return_tracking = coalesce($5, return_tracking)
        WHERE id = $1`,
      [request.afterSaleId, next.status, now, parcel?.carrierCode ?? null, parcel?.trackingNumber ?? null],
    );
    await client.query<Row>(
      `INSERT INTO aftersale_actions (idempotency_key, aftersale_id, action, created_at) VALUES ($1, $2, $3, $4)`,
      [request.idempotencyKey, request.afterSaleId, request.action, now],
    );
    if (request.action === 'ship_exchange') await shipExchange(client, order.id, now);
    if (request.note) {
      await client.query<Row>(
        `INSERT INTO order_notes (id, order_id, body, visibility, created_at) VALUES ($1, $2, $3, 'internal', $4)`,
        [await nextId(client, 'NT'), order.id, request.note, now],
      );
    }
    const version = await touchOrder(client, order.id, now);
    await enqueueEvent(client, {
      type: 'aftersale.updated',
      orderId: order.id,
      orderNumber: order.orderNumber,
      orderVersion: version,
      occurredAt: now,
      data: { afterSaleId: request.afterSaleId, status: next.status, previousStatus: current.status },
    });
    return (await client.query<Row>(`${AFTERSALE_SELECT} WHERE id = $1`, [request.afterSaleId]))
      .rows[0] as Row;
  });
}

/** The replacement leaves the warehouse with SF; its tracking starts with the pickup scan. */
async function shipExchange(client: pg.PoolClient, orderId: string, now: Date): Promise<void> {
  const { rows } = await client.query<{ warehouseCode: string; city: string }>(
    `SELECT o.warehouse_code AS "warehouseCode", w.city FROM orders o JOIN warehouses w ON w.code = o.warehouse_code WHERE o.id = $1`,
    [orderId],
  );
  const sf = CARRIERS[0];
  // SX, not SH: SH ids are derived from order ids.
  const id = await nextId(client, 'SX');
  await client.query<Row>(
    `INSERT INTO shipments (id, order_id, carrier_code, tracking_number, warehouse_code, status, shipped_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, 'IN_TRANSIT', $6, $6)`,
    [id, orderId, sf.code, `SF${String(now.getTime()).slice(-12)}`, rows[0]!.warehouseCode, now],
  );
  await client.query<Row>(
    `INSERT INTO tracking_events (shipment_id, seq, occurred_at, code, location, description) VALUES ($1, 1, $2, '揽收', $3, $4)`,
    [id, now, rows[0]!.city, `【${rows[0]!.city}】${sf.name} 已揽收（换货件）`],
  );
}
