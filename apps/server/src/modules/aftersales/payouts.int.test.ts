import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestUser, testDb } from '../../../test/helpers.ts';
import { createTeam, postTicket } from '../tickets/ticket.factories.ts';
import {
  agent,
  app,
  connection,
  gateway,
  now,
  orders,
  putSettings,
  startMoneyFixture,
  stopMoneyFixture,
  supervisor,
  tenant,
} from './money.testing.ts';
import { PayoutService } from './payout.service.ts';

/**
 * Payouts and compensation against the real demo shop (money.testing.ts): exactly one shop write for 20
 * concurrent payouts with one key, compensation within and above the caps, the daily cap under a race, the
 * approval rules (own requests, admins, keyset pages) and outsourced agents' scope.
 */
beforeAll(startMoneyFixture, 180_000);
afterAll(stopMoneyFixture);

describe('payouts are made exactly once', () => {
  it('20 concurrent payouts with one idempotency key make one ledger row and one shop refund', async () => {
    const order = orders.shift()!;
    const line = order.lines[0]!;
    const payouts = new PayoutService(testDb(), gateway, now);
    const writes = gateway.writes;
    const key = `test:${order.externalId}:${line.externalId}`;
    const payout = {
      tenantId: tenant.id,
      idempotencyKey: key,
      purpose: 'price_protection' as const,
      kind: 'refund' as const,
      connectionId: connection.id,
      orderId: order.externalId,
      orderLineId: line.externalId,
      amount: 100,
      currency: 'CNY',
      reason: 'concurrency test',
      actorType: 'system' as const,
      actorId: null,
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => payouts.pay(payout)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(gateway.writes - writes).toBe(1);
    const rows = await testDb()
      .selectFrom('payouts')
      .selectAll()
      .where('tenantId', '=', tenant.id)
      .where('idempotencyKey', '=', key)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('succeeded');
    const after = await gateway.call(connection, (a) => a.getOrder({ orderId: order.externalId }));
    expect(after!.totals.refunded.amountMinor).toBe(100);
    // A later retry finds the settled row and never calls the shop.
    expect((await payouts.pay(payout)).id).toBe(rows[0]!.id);
    expect(gateway.writes - writes).toBe(1);
  });
});

describe('compensation', () => {
  async function ticketWithBuyer() {
    const order = orders.shift()!;
    const created = await postTicket(app, tenant.adminToken, { orderNumber: order.orderNumber });
    await testDb()
      .updateTable('tickets')
      .set({ shopConnectionId: connection.id })
      .where('tenantId', '=', tenant.id)
      .where('id', '=', created.id)
      .execute();
    // The order panel fetches the order and stores the snapshot naming the buyer.
    expect(
      (await call(app, agent.token, { method: 'GET', url: `/api/v1/tickets/${created.id}/order` }))
        .statusCode,
    ).toBe(200);
    return created.id;
  }

  const grant = (token: string, ticketId: string, payload: Record<string, unknown>) =>
    call(app, token, { method: 'POST', url: `/api/v1/tickets/${ticketId}/compensations`, payload });

  it('grants within the cap at once (ledger, timeline, audit) and asks for approval above it', async () => {
    await putSettings({});
    const ticketId = await ticketWithBuyer();
    const small = await grant(agent.token, ticketId, {
      kind: 'coupon',
      amount: 1500,
      reason: '物流延误补偿',
    });
    expect(small.statusCode).toBe(200);
    expect(small.data).toMatchObject({
      status: 'succeeded',
      approval: null,
      payout: { kind: 'coupon', amount: 1500 },
    });
    expect(small.data.payout.shopReference).toBeTruthy();
    const replay = await grant(agent.token, ticketId, {
      kind: 'coupon',
      amount: 1500,
      reason: '物流延误补偿',
    });
    expect(replay.data.payout.id).toBe(small.data.payout.id);

    const big = await grant(agent.token, ticketId, { kind: 'points', amount: 500, reason: '大额积分补偿' });
    expect(big.statusCode).toBe(200);
    expect(big.data).toMatchObject({
      status: 'awaiting_approval',
      payout: null,
      approval: { kind: 'compensation', amount: 500 },
    });

    const money = await call(app, agent.token, { method: 'GET', url: `/api/v1/tickets/${ticketId}/payouts` });
    expect(money.statusCode).toBe(200);
    expect(money.data).toMatchObject({
      payouts: [{ id: small.data.payout.id, purpose: 'compensation' }],
      approvals: [{ kind: 'compensation', status: 'pending', amount: 500 }],
    });

    const events = await testDb()
      .selectFrom('ticketEvents')
      .select('action')
      .where('tenantId', '=', tenant.id)
      .where('ticketId', '=', ticketId)
      .execute();
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['compensation.granted', 'approval.requested']),
    );
    const audit = await testDb()
      .selectFrom('auditLog')
      .select('action')
      .where('tenantId', '=', tenant.id)
      .where('action', 'like', 'compensation.%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['compensation.granted', 'compensation.requested']),
    );
  });

  it('lets two concurrent grants fit under the daily cap only once', async () => {
    await putSettings(
      {},
      {
        agent: {
          perAction: { coupon: 2000, store_credit: 2000, points: 200 },
          perDay: { money: 3000, points: 2000 },
        },
      },
    );
    const racer = await createTestUser(tenant, 'agent');
    const ticketId = await ticketWithBuyer();
    const results = await Promise.all([
      grant(racer.token, ticketId, { kind: 'coupon', amount: 2000, reason: 'race A' }),
      grant(racer.token, ticketId, { kind: 'store_credit', amount: 2000, reason: 'race B' }),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(results.map((r) => (r.data as { status: string }).status).sort()).toEqual([
      'awaiting_approval',
      'succeeded',
    ]);
  });

  it('an approver may not approve their own request; an admin may approve it', async () => {
    await putSettings({});
    const ticketId = await ticketWithBuyer();
    const asked = await grant(supervisor.token, ticketId, {
      kind: 'coupon',
      amount: 90_000,
      reason: '超大额补偿',
    });
    expect(asked.data.status).toBe('awaiting_approval');
    const id = asked.data.approval.id as string;
    const own = await call(app, supervisor.token, {
      method: 'POST',
      url: `/api/v1/approvals/${id}/approve`,
      payload: {},
    });
    expect(own.statusCode).toBe(403);
    expect(own.data.code).toBe('APPROVAL_SELF');
    // Keyset pages over everything an admin sees: no id twice.
    const first = await call(app, tenant.adminToken, { method: 'GET', url: '/api/v1/approvals?limit=1' });
    const cursor = first.data.nextCursor as string | null;
    expect(cursor).toBeTruthy();
    const second = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/approvals?limit=1&cursor=${cursor!}`,
    });
    expect(second.statusCode).toBe(200);
    expect(second.data.items[0].id).not.toBe(first.data.items[0].id);
    const byAdmin = await call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/approvals/${id}/approve`,
      payload: {},
    });
    expect(byAdmin.statusCode).toBe(200);
    expect(byAdmin.data.payouts).toMatchObject([{ kind: 'coupon', amount: 90_000, status: 'succeeded' }]);
  });

  it('keeps outsourced agents to their teams’ tickets', async () => {
    const ticketId = await ticketWithBuyer();
    const outsider = await createTestUser(tenant, 'outsourced_agent', {
      teamIds: [await createTeam(tenant)],
    });
    const response = await grant(outsider.token, ticketId, { kind: 'coupon', amount: 100, reason: 'x' });
    expect(response.statusCode).toBe(404);
  });
});
