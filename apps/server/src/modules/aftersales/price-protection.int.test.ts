import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestUser, testDb } from '../../../test/helpers.ts';
import { createTeam, postTicket } from '../tickets/ticket.factories.ts';
import {
  agent,
  app,
  connection,
  deps,
  gateway,
  orders,
  priceProtection,
  priceProtectionTicket,
  publicSystemMessages,
  putSettings,
  shopAdmin,
  startMoneyFixture,
  stopMoneyFixture,
  supervisor,
  tenant,
  ticketRow,
  type ItemJson,
  type PayoutJson,
} from './money.testing.ts';
import { RETRY_PAYOUT_TASK } from './payout.repository.ts';
import { retryPayout } from './payout-retry.task.ts';
import { runCampaign } from './price-protection-campaign.task.ts';
import { processPriceProtectionTicket, PRICE_PROTECTION_TASK } from './price-protection.task.ts';

/**
 * Price protection against the real demo shop (money.testing.ts): paid at once below the threshold and on
 * approval above it, a shop outage finished by the payout's retry job, the job enqueued on re-categorising, and
 * campaign runs (requested / all affected) with progress, resume and no double payouts.
 */
beforeAll(startMoneyFixture, 180_000);
afterAll(stopMoneyFixture);

describe('price protection on a ticket', () => {
  it('pays at once below the threshold, answers the customer and solves the ticket; a re-run pays nothing more', async () => {
    await putSettings({ autoPayMaxMinor: 100_000_000, autoPayMaxByTier: {} });
    const { ticketId, order } = await priceProtectionTicket();
    const writes = gateway.writes;
    expect(await processPriceProtectionTicket(deps, tenant.id, ticketId)).toBe('paid');
    const view = await priceProtection(ticketId);
    expect(view.statusCode).toBe(200);
    const { calculation, pendingApproval } = view.data;
    const payouts = view.data.payouts as PayoutJson[];
    expect(calculation.outcome).toBe('paid');
    expect(calculation.payable).toBeGreaterThanOrEqual(
      Math.ceil(order.lines[0]!.paidUnitPrice.amountMinor / 2) * order.lines[0]!.quantity,
    );
    expect(pendingApproval).toBeNull();
    expect(payouts.length).toBeGreaterThan(0);
    expect(payouts.every((p) => p.status === 'succeeded' && p.kind === 'refund')).toBe(true);
    expect(payouts.reduce((s, p) => s + p.amount, 0)).toBe(calculation.payable);
    expect(gateway.writes - writes).toBe(payouts.length);
    expect(await ticketRow(ticketId)).toMatchObject({ status: 'solved' });
    const replies = await publicSystemMessages(ticketId);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain(order.orderNumber);
    expect(replies[0]!.body).toContain('价保');

    const refunded = await gateway.call(connection, (a) => a.getOrder({ orderId: order.externalId }));
    expect(refunded!.totals.refunded.amountMinor).toBe(calculation.payable);

    expect(await processPriceProtectionTicket(deps, tenant.id, ticketId)).toBe('already_settled');
    expect((await priceProtection(ticketId)).data.payouts).toHaveLength(payouts.length);
    expect(gateway.writes - writes).toBe(payouts.length);
  });

  it('waits for a supervisor above the threshold; approving pays once, approving again is harmless', async () => {
    await putSettings({ autoPayMaxMinor: 0, autoPayMaxByTier: {} });
    const team = await createTeam(tenant);
    const { ticketId } = await priceProtectionTicket({ teamId: team });
    expect(await processPriceProtectionTicket(deps, tenant.id, ticketId)).toBe('awaiting_approval');
    const view = (await priceProtection(ticketId)).data;
    expect(view.calculation.outcome).toBe('awaiting_approval');
    expect(view.payouts).toEqual([]);
    const approvalId = view.pendingApproval.id as string;
    expect(view.pendingApproval.amount).toBe(view.calculation.payable);
    expect((await ticketRow(ticketId)).status).not.toBe('solved');

    // An agent may not decide; a supervisor of another team does not see it; the team's supervisor does.
    const byAgent = await call(app, agent.token, {
      method: 'POST',
      url: `/api/v1/approvals/${approvalId}/approve`,
      payload: {},
    });
    expect(byAgent.statusCode).toBe(403);
    const outsider = await createTestUser(tenant, 'supervisor', { teamIds: [await createTeam(tenant)] });
    const hidden = await call(app, outsider.token, {
      method: 'GET',
      url: '/api/v1/approvals?status=pending',
    });
    expect((hidden.data.items as { id: string }[]).map((a) => a.id)).not.toContain(approvalId);
    expect(
      (
        await call(app, outsider.token, {
          method: 'POST',
          url: `/api/v1/approvals/${approvalId}/approve`,
          payload: {},
        })
      ).statusCode,
    ).toBe(404);
    const lead = await createTestUser(tenant, 'supervisor', { teamIds: [team] });
    const listed = await call(app, lead.token, {
      method: 'GET',
      url: '/api/v1/approvals?status=pending&limit=1',
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.data.items).toHaveLength(1);

    const writes = gateway.writes;
    const approved = await call(app, lead.token, {
      method: 'POST',
      url: `/api/v1/approvals/${approvalId}/approve`,
      payload: {},
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.data.approval.status).toBe('approved');
    expect(approved.data.payouts.length).toBeGreaterThan(0);
    expect((approved.data.payouts as PayoutJson[]).every((p) => p.status === 'succeeded')).toBe(true);
    expect(gateway.writes - writes).toBe(approved.data.payouts.length);
    expect(await ticketRow(ticketId)).toMatchObject({ status: 'solved' });

    const again = await call(app, lead.token, {
      method: 'POST',
      url: `/api/v1/approvals/${approvalId}/approve`,
      payload: {},
    });
    expect(again.statusCode).toBe(200);
    expect((again.data.payouts as PayoutJson[]).map((p) => p.id)).toEqual(
      (approved.data.payouts as PayoutJson[]).map((p) => p.id),
    );
    expect(gateway.writes - writes).toBe(approved.data.payouts.length);
    expect(await publicSystemMessages(ticketId)).toHaveLength(1);
    const reject = await call(app, lead.token, {
      method: 'POST',
      url: `/api/v1/approvals/${approvalId}/reject`,
      payload: {},
    });
    expect(reject.statusCode).toBe(409);
  });

  it('leaves payouts pending when the shop fails, and a retry pays them with the same keys and answers once', async () => {
    await putSettings({ autoPayMaxMinor: 100_000_000, autoPayMaxByTier: {} });
    const { ticketId, order } = await priceProtectionTicket({
      body: 'I paid too much, the price dropped: price protection please',
    });
    gateway.failWrites = 1;
    expect(await processPriceProtectionTicket(deps, tenant.id, ticketId)).toBe('payout_pending');
    const pending = (await priceProtection(ticketId)).data;
    expect(pending.calculation.outcome).toBe('payout_pending');
    expect((pending.payouts as PayoutJson[]).map((p) => p.status)).toEqual(['pending']);
    expect((await ticketRow(ticketId)).status).not.toBe('solved');

    // The row's retry job (due after the claim's lease) is there; run its handler now.
    const payoutId = pending.payouts[0].id as string;
    const retryJobs = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM graphile_worker.jobs
      WHERE task_identifier = ${RETRY_PAYOUT_TASK} AND key = ${`${RETRY_PAYOUT_TASK}:${tenant.id}:${payoutId}`}`.execute(
      testDb(),
    );
    expect(retryJobs.rows[0]!.n).toBe(1);
    const writes = gateway.writes;
    expect((await retryPayout(deps, tenant.id, payoutId))?.status).toBe('succeeded');
    expect(await processPriceProtectionTicket(deps, tenant.id, ticketId)).toBe('paid');
    expect(await processPriceProtectionTicket(deps, tenant.id, ticketId)).toBe('already_settled');
    const paid = (await priceProtection(ticketId)).data;
    expect((paid.payouts as PayoutJson[]).map((p) => [p.id, p.status])).toEqual([
      [pending.payouts[0].id, 'succeeded'],
    ]);
    expect(gateway.writes - writes).toBe(1);
    const replies = await publicSystemMessages(ticketId);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain(`price protection for your order ${order.orderNumber} is done`);
  });

  it('is enqueued when an agent re-categorises a ticket with an order as price protection', async () => {
    const created = await postTicket(app, tenant.adminToken, { orderNumber: orders[0]!.orderNumber });
    const patched = await call(app, agent.token, {
      method: 'PATCH',
      url: `/api/v1/tickets/${created.id}`,
      headers: { 'if-match': String(created.version) },
      payload: { category: 'price_protection' },
    });
    expect(patched.statusCode).toBe(200);
    const jobs = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM graphile_worker.jobs
      WHERE task_identifier = ${PRICE_PROTECTION_TASK}
        AND key = ${`${PRICE_PROTECTION_TASK}:${tenant.id}:${created.id}`}`.execute(testDb());
    expect(jobs.rows[0]!.n).toBe(1);
  });
});

describe('campaign bulk run', () => {
  it('with scope "requested" settles the tickets that asked, each on its ticket, paying only the further difference', async () => {
    await putSettings({ autoPayMaxMinor: 100_000_000, autoPayMaxByTier: {} });
    const { ticketId, order } = await priceProtectionTicket();
    expect(await processPriceProtectionTicket(deps, tenant.id, ticketId)).toBe('paid');
    const line = order.lines[0]!;
    // The campaign's drop: a fifth of what was paid, after the first payout.
    await shopAdmin('/admin/prices', {
      skuId: line.sku,
      kind: 'campaign',
      amountMinor: Math.floor(line.paidUnitPrice.amountMinor / 5),
      startsAt: '2026-11-24T14:00:00.000Z',
      endsAt: '2026-11-24T20:00:00.000Z',
    });
    const started = await call(app, supervisor.token, {
      method: 'POST',
      url: '/api/v1/price-protection/campaigns',
      payload: {
        connectionId: connection.id,
        skus: [order.lines[0]!.sku],
        since: '2026-11-24T00:00:00.000Z',
        scope: 'requested',
      },
    });
    expect(started.statusCode).toBe(202);
    expect(await runCampaign(deps, tenant.id, started.data.id as string, 1000)).toBe('done');
    const done = (
      await call(app, supervisor.token, {
        method: 'GET',
        url: `/api/v1/price-protection/campaigns/${started.data.id}`,
      })
    ).data;
    expect(done.status).toBe('done');
    expect(done.items).toContainEqual(
      expect.objectContaining({ orderNumber: order.orderNumber, ticketId, outcome: 'paid' }),
    );
    expect(await ticketRow(ticketId)).toMatchObject({ status: 'solved' });
    const view = (await priceProtection(ticketId)).data;
    type LineJson = { lineId: string; lowestPrice: number; protectedQuantity: number };
    const checked = (view.calculation.lines as LineJson[]).find((l) => l.lineId === line.externalId)!;
    expect(checked.lowestPrice).toBe(Math.floor(line.paidUnitPrice.amountMinor / 5));
    const linePayouts = (view.payouts as (PayoutJson & { orderLineId: string })[]).filter(
      (p) => p.orderLineId === line.externalId,
    );
    expect(linePayouts.map((p) => p.status)).toEqual(['succeeded', 'succeeded']);
    expect(linePayouts.reduce((sum, p) => sum + p.amount, 0)).toBe(
      (line.paidUnitPrice.amountMinor - checked.lowestPrice) * checked.protectedQuantity,
    );
    expect(await publicSystemMessages(ticketId)).toHaveLength(2);
    // Tickets about other products are listed but not this campaign's to settle.
    const others = (done.items as (ItemJson & { ticketId: string | null })[]).filter(
      (i) => i.orderId !== order.externalId,
    );
    expect(others.length).toBeGreaterThan(0);
    expect(new Set(others.map((i) => i.outcome))).toEqual(new Set(['not_affected']));
  });

  it('pays every affected order in batches with progress, and resumes without paying twice', async () => {
    await putSettings({ autoPayMaxMinor: 100_000_000, autoPayMaxByTier: {} });
    const order = orders.shift()!;
    const sku = order.lines[0]!.sku;
    const started = await call(app, supervisor.token, {
      method: 'POST',
      url: '/api/v1/price-protection/campaigns',
      payload: {
        connectionId: connection.id,
        skus: [sku],
        since: '2026-11-24T00:00:00.000Z',
        scope: 'all_affected',
      },
    });
    expect(started.statusCode).toBe(202);
    const id = started.data.id as string;
    expect(started.data).toMatchObject({ status: 'running', processed: 0 });

    expect(await runCampaign(deps, tenant.id, id, 2)).toBe('more');
    const midway = (
      await call(app, supervisor.token, { method: 'GET', url: `/api/v1/price-protection/campaigns/${id}` })
    ).data;
    expect(midway).toMatchObject({ status: 'running', processed: 2 });
    expect(midway.total).toBeGreaterThan(2);
    // Every affected order is listed at once; two are settled, the rest wait in the queue.
    expect(midway.items).toHaveLength(midway.total);
    const outcomes = (midway.items as ItemJson[]).map((i) => i.outcome);
    expect(outcomes.filter((o) => o !== 'queued')).toHaveLength(2);

    // A crashed run is simply run again: recorded items are skipped.
    expect(await runCampaign(deps, tenant.id, id, 1000)).toBe('done');
    const done = (
      await call(app, supervisor.token, { method: 'GET', url: `/api/v1/price-protection/campaigns/${id}` })
    ).data;
    expect(done.status).toBe('done');
    expect(done.processed).toBe(done.total);
    expect(done.items).toHaveLength(done.total);
    const paid = (done.items as ItemJson[]).filter((i) => i.outcome === 'paid');
    expect(paid.map((i) => i.orderId)).toContain(order.externalId);
    expect(done.paid).toBe(paid.length);

    const ledger = await testDb()
      .selectFrom('payouts')
      .select(['orderId', 'status'])
      .where('tenantId', '=', tenant.id)
      .where('purpose', '=', 'price_protection')
      .where('ticketId', 'is', null)
      .where('idempotencyKey', 'like', 'pp:%')
      .execute();
    expect(new Set(ledger.map((r) => r.orderId))).toEqual(new Set(paid.map((i) => i.orderId)));
    const writes = gateway.writes;
    expect(await runCampaign(deps, tenant.id, id, 1000)).toBe('done');
    expect(gateway.writes).toBe(writes);
  });
});
