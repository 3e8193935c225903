// Response bodies are untyped JSON here; the assertions check their shape.
/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestShop, findRefundableOrder, type TestShop } from './helpers.ts';

let shop: TestShop;
beforeAll(async () => {
  shop = await createTestShop({ orders: 300 });
});
afterAll(async () => shop.close());

const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });

async function outboxTypes(orderId: string): Promise<string[]> {
  const { rows } = await shop.pool.query<{ type: string }>(
    `SELECT type FROM outbox WHERE order_id = $1 ORDER BY id`,
    [orderId],
  );
  return rows.map((r) => r.type);
}

describe('refunds', () => {
  it('refunds once when ten identical requests arrive at the same time', async () => {
    const order = await findRefundableOrder(shop.pool, 0);
    const request = { amount: cny(1000), reason: '价保差价', idempotencyKey: `ticket-1:refund:${order.id}` };
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => call(shop.app, 'POST', `/api/orders/${order.id}/refunds`, request)),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    const { rows } = await shop.pool.query<{ n: number; refunded: number }>(
      `SELECT (SELECT count(*)::int FROM refunds WHERE order_id = $1) AS n, (SELECT refunded_fen FROM orders WHERE id = $1) AS refunded`,
      [order.id],
    );
    expect(rows[0]).toEqual({ n: 1, refunded: 1000 });
    expect(await outboxTypes(order.id)).toEqual(['refund.succeeded']);
  });

  it('refuses the same key for a different amount, and amounts above what is still refundable', async () => {
    const order = await findRefundableOrder(shop.pool, 1);
    const key = `ticket-2:refund:${order.id}`;
    expect(
      (
        await call(shop.app, 'POST', `/api/orders/${order.id}/refunds`, {
          amount: cny(500),
          reason: 'a',
          idempotencyKey: key,
        })
      ).status,
    ).toBe(201);
    const reused = await call(shop.app, 'POST', `/api/orders/${order.id}/refunds`, {
      amount: cny(600),
      reason: 'a',
      idempotencyKey: key,
    });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const tooMuch = await call(shop.app, 'POST', `/api/orders/${order.id}/refunds`, {
      amount: cny(order.paidFen - 499),
      reason: 'b',
      idempotencyKey: `ticket-2:refund2:${order.id}`,
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.refundable).toEqual(cny(order.paidFen - 500));
    const rest = await call(shop.app, 'POST', `/api/orders/${order.id}/refunds`, {
      amount: cny(order.paidFen - 500),
      reason: 'b',
      idempotencyKey: `ticket-2:refund3:${order.id}`,
    });
    expect(rest.status).toBe(201);
    const after = await call(shop.app, 'GET', `/api/orders/${order.id}`);
    expect(after.body.totals.refunded).toEqual(cny(order.paidFen));
    expect(after.body.status).toBe('TRADE_CLOSED');
    expect(after.body.payments[0].status).toBe('REFUNDED');
  });
});

describe('after-sales', () => {
  it('runs a return from request to refund: approve, parcel back, warehouse receipt, refund', async () => {
    const order = await findRefundableOrder(shop.pool, 2);
    const detail = await call(shop.app, 'GET', `/api/orders/${order.id}`);
    const line = detail.body.lines[0];
    const created = await call(shop.app, 'POST', `/api/orders/${order.id}/aftersales`, {
      kind: 'return',
      lines: [{ orderLineId: line.id, quantity: 1 }],
      reason: '尺码不合适',
      initiatedBy: 'buyer',
      idempotencyKey: `buyer:return:${order.id}`,
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('WAIT_SELLER_AGREE');
    const act = (action: string, key: string) =>
      call(shop.app, 'POST', `/api/aftersales/${created.body.id}/actions`, { action, idempotencyKey: key });
    expect((await act('confirm_received', 'ticket-3:receive-early')).status).toBe(409);
    expect((await act('approve', 'ticket-3:approve')).body.status).toBe('WAIT_BUYER_RETURN_GOODS');
    expect((await act('approve', 'ticket-3:approve')).body.status).toBe('WAIT_BUYER_RETURN_GOODS');
    expect((await act('mark_return_shipped', 'buyer:shipped')).body.returnShipment.carrierCode).toBe('sf');
    expect((await act('confirm_received', 'ticket-3:received')).body.status).toBe('SELLER_RECEIVED');
    const refund = await call(shop.app, 'POST', `/api/orders/${order.id}/refunds`, {
      amount: created.body.requestedAmount,
      reason: '退货退款',
      afterSaleId: created.body.id,
      idempotencyKey: `ticket-3:refund:${created.body.id}`,
    });
    expect(refund.status).toBe(201);
    const list = await call(shop.app, 'GET', `/api/orders/${order.id}/aftersales`);
    const done = list.body.items.find((a: any) => a.id === created.body.id);
    expect(done.status).toBe('SUCCESS');
    const after = await call(shop.app, 'GET', `/api/orders/${order.id}`);
    expect(after.body.lines[0].refundedQuantity).toBe(1);
    expect(await outboxTypes(order.id)).toEqual([
      'aftersale.updated',
      'aftersale.updated',
      'aftersale.updated',
      'aftersale.updated',
      'aftersale.updated',
      'refund.succeeded',
    ]);
    expect(after.body.version).toBeGreaterThan(detail.body.version);
  });

  it('refuses to return more than was bought', async () => {
    const order = await findRefundableOrder(shop.pool, 3);
    const detail = await call(shop.app, 'GET', `/api/orders/${order.id}`);
    const line = detail.body.lines[0];
    const response = await call(shop.app, 'POST', `/api/orders/${order.id}/aftersales`, {
      kind: 'exchange',
      lines: [{ orderLineId: line.id, quantity: line.quantity + 1 }],
      reason: '尺码不合适',
      idempotencyKey: `ticket-4:exchange:${order.id}`,
    });
    expect(response.status).toBe(422);
  });
});

describe('compensation and notes', () => {
  it('grants points once per idempotency key, and a coupon the member can see', async () => {
    const order = await findRefundableOrder(shop.pool, 4);
    const before = await call(shop.app, 'GET', `/api/members/${order.memberId}`);
    const grant = {
      kind: 'points',
      points: 500,
      reason: '物流延误补偿',
      orderId: order.id,
      idempotencyKey: `ticket-5:points`,
    };
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        call(shop.app, 'POST', `/api/members/${order.memberId}/compensations`, grant),
      ),
    );
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const coupon = await call(shop.app, 'POST', `/api/members/${order.memberId}/compensations`, {
      kind: 'coupon',
      amount: cny(2000),
      reason: '补偿券',
      idempotencyKey: 'ticket-5:coupon',
    });
    expect(coupon.status).toBe(201);
    const after = await call(shop.app, 'GET', `/api/members/${order.memberId}`);
    expect(after.body.pointsBalance).toBe(before.body.pointsBalance + 500);
    expect(after.body.coupons.map((c: any) => c.code)).toContain(coupon.body.couponCode);
    const missing = await call(shop.app, 'POST', `/api/members/${order.memberId}/compensations`, {
      kind: 'store_credit',
      reason: 'x',
      idempotencyKey: 'ticket-5:credit',
    });
    expect(missing.status).toBe(400);
  });

  it('adds a note once per idempotency key', async () => {
    const order = await findRefundableOrder(shop.pool, 5);
    const note = { body: 'PeakDesk 工单 #1234', visibility: 'internal', idempotencyKey: 'ticket-6:note' };
    const first = await call(shop.app, 'POST', `/api/orders/${order.id}/notes`, note);
    const again = await call(shop.app, 'POST', `/api/orders/${order.id}/notes`, note);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.id).toBe(first.body.id);
    const detail = await call(shop.app, 'GET', `/api/orders/${order.id}`);
    expect(detail.body.notes).toHaveLength(1);
  });
});

describe('parcel progress', () => {
  it('moves a parcel scan by scan to delivery, marks the order signed, and emits shipment.updated each time', async () => {
    const { rows } = await shop.pool.query<{ id: string; orderId: string; scans: number }>(
      `INSERT INTO shipments (id, order_id, carrier_code, tracking_number, warehouse_code, status, shipped_at, updated_at)
       SELECT 'SX-TEST', o.id, 'zto', '7300000000001', o.warehouse_code, 'WAIT_PICKUP', now(), now()
         FROM orders o WHERE o.status = 'WAIT_SELLER_SEND_GOODS' ORDER BY o.id LIMIT 1
       RETURNING id, order_id AS "orderId", 0 AS scans`,
    );
    const shipment = rows[0]!;
    await shop.pool.query(`UPDATE orders SET status = 'WAIT_BUYER_CONFIRM_GOODS' WHERE id = $1`, [
      shipment.orderId,
    ]);
    const steps: boolean[] = [];
    for (let i = 0; i < 6; i++)
      steps.push((await call(shop.app, 'POST', `/admin/shipments/${shipment.id}/advance`)).body.advanced);
    expect(steps).toEqual([true, true, true, true, true, false]);
    const order = await call(shop.app, 'GET', `/api/orders/${shipment.orderId}`);
    const parcel = order.body.shipments.find((s: any) => s.id === shipment.id);
    expect(parcel.events.map((e: any) => e.status)).toEqual(['揽收', '发往', '到达', '派送中', '已签收']);
    expect(parcel.status).toBe('SIGNED');
    expect(parcel.deliveredAt).not.toBeNull();
    expect(order.body.status).toBe('BUYER_SIGNED');
    expect(await outboxTypes(shipment.orderId)).toEqual(Array(5).fill('shipment.updated'));
  });
});
