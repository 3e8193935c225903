// Response bodies are untyped JSON here; the assertions check their shape.
/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestShop, type TestShop } from './helpers.ts';

let shop: TestShop;
beforeAll(async () => {
  shop = await createTestShop({ orders: 400 });
});
afterAll(async () => shop.close());

describe('order lookup', () => {
  it('refuses requests without the API key', async () => {
    const response = await shop.app.inject({ method: 'GET', url: '/api/capabilities' });
    expect(response.statusCode).toBe(401);
    const wrong = await shop.app.inject({
      method: 'GET',
      url: '/api/capabilities',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('returns a shipped order by id and by number, with lines, payments, shipments and money in fen', async () => {
    const { rows } = await shop.pool.query<{ id: string; orderNumber: string; totalFen: number }>(
      `SELECT o.id, o.order_number AS "orderNumber", o.total_fen AS "totalFen" FROM orders o
        WHERE EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id) ORDER BY o.id LIMIT 1`,
    );
    const expected = rows[0]!;
    const byId = await call(shop.app, 'GET', `/api/orders/${expected.id}`);
    expect(byId.status).toBe(200);
    expect(byId.body.orderNumber).toBe(expected.orderNumber);
    expect(byId.body.totals.total).toEqual({ amountMinor: expected.totalFen, currency: 'CNY' });
    expect(byId.body.lines.length).toBeGreaterThan(0);
    const lineSum = byId.body.lines.reduce((sum: number, l: any) => sum + l.total.amountMinor, 0);
    expect(lineSum + byId.body.totals.shipping.amountMinor).toBe(expected.totalFen);
    expect(byId.body.payments[0].amount.amountMinor).toBe(expected.totalFen);
    expect(byId.body.shipments[0].events[0].status).toBe('揽收');
    const byNumber = await call(shop.app, 'GET', `/api/orders/by-number/${expected.orderNumber}`);
    expect(byNumber.body).toEqual(byId.body);
  });

  it('answers 404 for an unknown order', async () => {
    const response = await call(shop.app, 'GET', '/api/orders/by-number/DS000');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });

  it('masks names, phones and streets when the PII switch is on', async () => {
    const { rows } = await shop.pool.query<{ id: string; phone: string }>(
      `SELECT id, recipient_phone AS phone FROM orders LIMIT 1`,
    );
    await call(shop.app, 'POST', '/admin/settings', { piiMasked: true });
    const masked = await call(shop.app, 'GET', `/api/orders/${rows[0]!.id}`);
    await call(shop.app, 'POST', '/admin/settings', { piiMasked: false });
    const clear = await call(shop.app, 'GET', `/api/orders/${rows[0]!.id}`);
    expect(masked.body.piiMasked).toBe(true);
    expect(masked.body.shippingAddress.phone).toBe(
      `${rows[0]!.phone.slice(0, 3)}****${rows[0]!.phone.slice(-4)}`,
    );
    expect(masked.body.shippingAddress.street).toBe('****');
    expect(clear.body.shippingAddress.phone).toBe(rows[0]!.phone);
    expect((await call(shop.app, 'GET', '/api/capabilities')).body.piiMasked).toBe(false);
  });

  it("finds a customer's orders by phone and by email", async () => {
    const { rows } = await shop.pool.query<{ phone: string; email: string; n: number }>(
      `SELECT m.phone, m.email, count(*)::int AS n FROM members m JOIN orders o ON o.member_id = m.id
        WHERE m.email IS NOT NULL GROUP BY m.id ORDER BY count(*) DESC, m.id LIMIT 1`,
    );
    const byPhone = await call(shop.app, 'GET', `/api/orders?phone=${rows[0]!.phone}`);
    expect(byPhone.body.items).toHaveLength(rows[0]!.n);
    const byEmail = await call(
      shop.app,
      'GET',
      `/api/orders?email=${encodeURIComponent(rows[0]!.email.toUpperCase())}`,
    );
    expect(byEmail.body.items.map((o: any) => o.id)).toEqual(byPhone.body.items.map((o: any) => o.id));
  });

  it('pages through changed orders with a cursor, each order once, oldest change first', async () => {
    const since = '2026-11-15T00:00:00.000Z';
    const { rows } = await shop.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM orders WHERE updated_at >= $1`,
      [since],
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    let last = '';
    do {
      const page = await call(
        shop.app,
        'GET',
        `/api/orders/changes?since=${since}&limit=37${cursor ? `&cursor=${cursor}` : ''}`,
      );
      for (const item of page.body.items) {
        expect(item.updatedAt >= last).toBe(true);
        last = item.updatedAt;
        seen.push(item.id);
      }
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(rows[0]!.n);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('tracks a shipment by tracking number', async () => {
    const { rows } = await shop.pool.query<{ trackingNumber: string; n: number }>(
      `SELECT s.tracking_number AS "trackingNumber", count(e.*)::int AS n FROM shipments s
         JOIN tracking_events e ON e.shipment_id = s.id GROUP BY s.id ORDER BY s.id LIMIT 1`,
    );
    const tracked = await call(
      shop.app,
      'GET',
      `/api/shipments/track?trackingNumber=${rows[0]!.trackingNumber}`,
    );
    expect(tracked.body.shipments[0].events).toHaveLength(rows[0]!.n);
  });

  it('serves price history with campaign prices below the list price, and member info', async () => {
    const prices = await call(
      shop.app,
      'GET',
      '/api/skus/P1001-1/prices?from=2026-10-01T00:00:00Z&to=2026-11-30T00:00:00Z',
    );
    const list = prices.body.items.find((p: any) => p.kind === 'list');
    const campaign = prices.body.items.find((p: any) => p.campaign === '双11');
    expect(campaign.price.amountMinor).toBeLessThan(list.price.amountMinor);
    const { rows } = await shop.pool.query<{ id: string; points: number }>(
      `SELECT id, points_balance AS points FROM members LIMIT 1`,
    );
    const member = await call(shop.app, 'GET', `/api/members/${rows[0]!.id}`);
    expect(member.body.pointsBalance).toBe(rows[0]!.points);
    expect(['普通', '银卡', '金卡', '黑钻']).toContain(member.body.tier);
  });

  it('rejects bodies with unknown fields or wrongly typed values', async () => {
    const { rows } = await shop.pool.query<{ id: string }>(`SELECT id FROM orders LIMIT 1`);
    const extra = await call(shop.app, 'POST', `/api/orders/${rows[0]!.id}/notes`, {
      body: 'x',
      visibility: 'internal',
      idempotencyKey: 'note-key-0001',
      sneaky: true,
    });
    expect(extra.status).toBe(400);
    const refund = await call(shop.app, 'POST', `/api/orders/${rows[0]!.id}/refunds`, {
      amount: { amountMinor: '100', currency: 'CNY' },
      reason: 'x',
      idempotencyKey: 'refund-key-0001',
    });
    expect(refund.status).toBe(400);
  });
});
