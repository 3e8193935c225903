import { randomBytes } from 'node:crypto';
import { ShopError, type Order, type ShopAdapter } from '@peakdesk/commerce';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  testDb,
  type TestTenant,
  type TestUser,
} from '../../../test/helpers.ts';
import { ensureDemoShopConnection } from '../../seed/demo-shop.seed.ts';
import { startDemoShopProcess, type DemoShopProcess } from '../shops/demo-shop.process.ts';
import type { ShopConnection } from '../shops/shop-connection.repository.ts';
import { shopSecretBox } from '../shops/shop-secret-box.ts';
import { ShopGateway } from '../shops/shop-gateway.ts';
import { createTeam, postTicket } from '../tickets/ticket.factories.ts';
import { DEFAULT_AFTERSALES_SETTINGS } from './aftersales-settings.ts';
import { RETRY_PAYOUT_TASK } from './payout.repository.ts';
import { retryPayout } from './payout-retry.task.ts';
import { PayoutService } from './payout.service.ts';
import { runCampaign } from './price-protection-campaign.task.ts';
import { processPriceProtectionTicket, PRICE_PROTECTION_TASK } from './price-protection.task.ts';

/**
 * Money out against the real demo shop (a child process on this PostgreSQL, its own schema): price protection
 * paid at once below the threshold and on approval above it, exactly-once payouts under concurrency, the
 * daily compensation cap under a race, approvals' rules, and a campaign bulk run resumed between batches.
 * Shop calls go through a gateway that counts the writes (refunds, grants) reaching the shop.
 */
const databaseUrl = inject('databaseUrl');
const SCHEMA = `demo_shop_pp_${randomBytes(4).toString('hex')}`;
const NOW = new Date('2026-11-25T12:00:00.000Z');
const now = () => NOW;

interface PayoutJson {
  id: string;
  status: string;
  kind: string;
  amount: number;
}
interface ItemJson {
  orderId: string;
  outcome: string;
}

class CountingGateway extends ShopGateway {
  writes = 0;
  /** Makes the next writes fail as a shop outage would (the demo shop's chaos would fail the reads too). */
  failWrites = 0;
  override call<T>(
    connection: ShopConnection,
    fn: (adapter: ShopAdapter, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return super.call(connection, (adapter, signal) => {
      const counted = new Proxy(adapter, {
        get: (target, name, receiver) => {
          const value: unknown = Reflect.get(target, name, receiver);
          if ((name === 'issueRefund' || name === 'issueCompensation') && typeof value === 'function') {
            return (...args: unknown[]) => {
              if (this.failWrites > 0) {
                this.failWrites -= 1;
                return Promise.reject(new ShopError('UNAVAILABLE', 'simulated outage'));
              }
              this.writes += 1;
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          }
          return value;
        },
      });
      return fn(counted, signal);
    });
  }
}

let shop: DemoShopProcess;
let baseUrl: string;
let apiKey: string;
let app: FastifyInstance;
let tenant: TestTenant;
let connection: ShopConnection;
let supervisor: TestUser;
let agent: TestUser;
const gateway = new CountingGateway({ retries: 0 });
const deps = { db: testDb(), gateway, now };
const orders: Order[] = [];

async function shopAdmin(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
}

async function putSettings(
  priceProtection: Partial<typeof DEFAULT_AFTERSALES_SETTINGS.priceProtection>,
  caps = {},
) {
  const response = await call(app, tenant.adminToken, {
    method: 'PUT',
    url: '/api/v1/aftersales/settings',
    payload: {
      priceProtection: { ...DEFAULT_AFTERSALES_SETTINGS.priceProtection, ...priceProtection },
      compensationCaps: { ...DEFAULT_AFTERSALES_SETTINGS.compensationCaps, ...caps },
    },
  });
  expect(response.statusCode, response.body).toBe(200);
}

/** A price-protection ticket on the next unused paid order, linked to the demo shop. */
async function priceProtectionTicket(options: { teamId?: string; body?: string } = {}) {
  const order = orders.shift();
  if (!order) throw new Error('out of demo orders');
  const created = await postTicket(app, tenant.adminToken, {
    orderNumber: order.orderNumber,
    body: options.body ?? `订单 ${order.orderNumber} 买贵了，双11降价了，申请价保`,
    ...(options.teamId ? { teamId: options.teamId } : {}),
  });
  await testDb()
    .updateTable('tickets')
    .set({ shopConnectionId: connection.id, category: 'price_protection' })
    .where('tenantId', '=', tenant.id)
    .where('id', '=', created.id)
    .execute();
  return { ticketId: created.id, order };
}

const priceProtection = (ticketId: string, token = tenant.adminToken) =>
  call(app, token, { method: 'GET', url: `/api/v1/tickets/${ticketId}/price-protection` });

async function ticketRow(ticketId: string) {
  return testDb()
    .selectFrom('tickets')
    .select(['status', 'solvedAt'])
    .where('tenantId', '=', tenant.id)
    .where('id', '=', ticketId)
    .executeTakeFirstOrThrow();
}

async function publicSystemMessages(ticketId: string) {
  return testDb()
    .selectFrom('ticketMessages')
    .select('body')
    .where('tenantId', '=', tenant.id)
    .where('ticketId', '=', ticketId)
    .where('authorType', '=', 'system')
    .where('visibility', '=', 'public')
    .execute();
}

beforeAll(async () => {
  tenant = await createTestTenant('Payouts');
  const link = await ensureDemoShopConnection(testDb(), tenant.id, shopSecretBox(), 'http://127.0.0.1:1');
  apiKey = link.apiKey;
  shop = startDemoShopProcess({
    databaseUrl,
    port: 0,
    apiKey: link.apiKey,
    webhookSecret: link.webhookSecret,
    webhookUrl: 'http://127.0.0.1:9/unused',
    log: () => undefined,
    env: { DEMO_SHOP_SCHEMA: SCHEMA, DEMO_SHOP_ORDERS: '120' },
  });
  baseUrl = await shop.ready;
  connection = (await ensureDemoShopConnection(testDb(), tenant.id, shopSecretBox(), baseUrl)).connection;
  app = await buildTestApp({ shopGateway: gateway, now });
  supervisor = await createTestUser(tenant, 'supervisor');
  agent = await createTestUser(tenant, 'agent');

  // Paid, untouched orders whose window (30 days) is open at NOW; each test takes its own.
  const feed = await gateway.call(connection, (a) =>
    a.listChangedOrders('2026-10-01T00:00:00Z', undefined, 200),
  );
  for (const summary of feed.items) {
    if (summary.status === 'pending_payment' || summary.status === 'cancelled') continue;
    const order = await gateway.call(connection, (a) => a.getOrder({ orderId: summary.externalId }));
    if (!order?.paidAt || Date.parse(order.paidAt) < Date.parse('2026-10-27T00:00:00Z')) continue;
    if (order.totals.refunded.amountMinor > 0 || order.lines.some((l) => l.refundedQuantity > 0)) continue;
    if (orders.some((o) => o.lines.some((l) => order.lines.some((m) => m.sku === l.sku)))) continue;
    orders.push(order);
    if (orders.length >= 12) break;
  }
  expect(orders.length).toBeGreaterThanOrEqual(10);
  // A campaign price at half of what each order's first line paid, after the orders were paid.
  for (const order of orders) {
    const line = order.lines[0]!;
    await shopAdmin('/admin/prices', {
      skuId: line.sku,
      kind: 'campaign',
      amountMinor: Math.floor(line.paidUnitPrice.amountMinor / 2),
      startsAt: '2026-11-24T00:00:00.000Z',
      endsAt: '2026-11-24T12:00:00.000Z',
      campaign: 'PeakDesk test',
    });
  }
}, 180_000);

afterAll(async () => {
  await app?.close();
  await shop?.stop();
  await sql`DROP SCHEMA IF EXISTS ${sql.id(SCHEMA)} CASCADE`.execute(testDb());
});

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

describe('campaign bulk run', () => {
  it('with scope "requested" settles the tickets that asked, each on its ticket', async () => {
    await putSettings({ autoPayMaxMinor: 100_000_000, autoPayMaxByTier: {} });
    const { ticketId, order } = await priceProtectionTicket();
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
    expect(midway.items).toHaveLength(2);
    expect(midway.total).toBeGreaterThan(2);

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
