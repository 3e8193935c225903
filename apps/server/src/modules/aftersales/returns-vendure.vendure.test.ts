import type { Order } from '@peakdesk/commerce';
import { VendureAdapter } from '@peakdesk/commerce/vendure';
import { GraphqlClient } from '@peakdesk/vendure-fixture/graphql-client';
import { startVendureFixture, type VendureFixture } from '@peakdesk/vendure-fixture/spawn';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildTestApp, call, createTestTenant, testDb, type TestTenant } from '../../../test/helpers.ts';
import { runJobsOnce } from '../../jobs/testing.ts';
import { runDueJobs } from '../intake/follow-up.sweep.ts';
import { ENRICH_TICKET_TASK } from '../shops/enrich-ticket.task.ts';

/**
 * Returns opened from a ticket against a real Vendure 3.7 server (apps/vendure-fixture). Vendure has no return
 * object and no exchanges, so a return is the lines cancelled in PeakDesk plus one keyed refund per line in
 * Vendure, and an exchange is refused before anything is written. Vendure is read back through its own Admin
 * GraphQL API, not through PeakDesk's adapter, so a wrong mapping cannot hide a wrong write.
 */
const connectionString = inject('databaseUrl');
const PASSWORD = 'vendure-returns-password';

let vendure: VendureFixture;
let admin: GraphqlClient;
let app: FastifyInstance;
let tenant: TestTenant;

interface VendureRefund {
  id: string;
  total: number;
  state: string;
  reason: string | null;
}

/** The order's refunds as Vendure stores them. */
async function refundsInVendure(orderId: string): Promise<VendureRefund[]> {
  const { order } = await admin.request<{ order: { payments: { refunds: VendureRefund[] }[] } }>(
    `query($id: ID!) { order(id: $id) { payments { refunds { id total state reason } } } }`,
    { id: orderId },
  );
  return order.payments.flatMap((p) => p.refunds);
}

async function ticketFor(order: Order): Promise<string> {
  const created = await call(app, tenant.adminToken, {
    method: 'POST',
    url: '/api/v1/tickets',
    payload: {
      body: '收到的商品坏了，我要退货',
      channel: 'web',
      customer: {},
      orderNumber: order.orderNumber,
    },
  });
  expect(created.statusCode).toBe(201);
  const ticketId = created.data.id as string;
  await runDueJobs(testDb(), new Date(), 500, tenant.id);
  await runJobsOnce(testDb(), { connectionString, tasks: [ENRICH_TICKET_TASK] });
  return ticketId;
}

const openReturn = (ticketId: string, payload: Record<string, unknown>) =>
  call(app, tenant.adminToken, { method: 'POST', url: `/api/v1/tickets/${ticketId}/returns`, payload });

beforeAll(async () => {
  tenant = await createTestTenant('Vendure returns');
  app = await buildTestApp();
  vendure = await startVendureFixture({ superadminPassword: PASSWORD });
  const created = await call(app, tenant.adminToken, {
    method: 'POST',
    url: '/api/v1/shops',
    payload: {
      kind: 'vendure',
      name: 'Vendure',
      baseUrl: vendure.adminApiUrl,
      credentials: { username: 'superadmin', password: PASSWORD },
      webhookSecret: 'vendure-returns-webhook-secret',
      isDefault: true,
    },
  });
  expect(created.statusCode).toBe(201);
  admin = new GraphqlClient(vendure.adminApiUrl);
  await admin.mutate(
    'login',
    `mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
      ... on CurrentUser { id } ... on ErrorResult { errorCode message } } }`,
    { u: 'superadmin', p: PASSWORD },
  );
}, 240_000);

afterAll(async () => {
  await vendure?.stop();
  await app?.close();
});

describe('returns from a ticket on a real Vendure shop', () => {
  let order: Order;
  let ticketId: string;

  beforeAll(async () => {
    // A paid order with a settled payment and nothing refunded yet, read as PeakDesk reads it.
    const shop = new VendureAdapter({
      adminApiUrl: vendure.adminApiUrl,
      auth: { username: 'superadmin', password: PASSWORD },
      webhookSecret: 'unused',
      timeoutMs: 10_000,
    });
    const page = await shop.listChangedOrders('2000-01-01T00:00:00.000Z', undefined, 100);
    for (const summary of [...page.items].reverse()) {
      const candidate = await shop.getOrder({ orderId: summary.externalId });
      if (
        candidate &&
        ['paid', 'shipped', 'delivered'].includes(candidate.status) &&
        candidate.payments.some((p) => p.status === 'succeeded') &&
        candidate.totals.refunded.amountMinor === 0 &&
        candidate.lines.some((l) => l.paidUnitPrice.amountMinor > 0)
      ) {
        order = candidate;
        break;
      }
    }
    expect(order).toBeDefined();
    ticketId = await ticketFor(order);
  }, 120_000);

  it('cancels one unit in PeakDesk and refunds its prorated paid price in Vendure, once', async () => {
    const line = order.lines.find((l) => l.paidUnitPrice.amountMinor > 0)!;
    const payload = {
      kind: 'return',
      lines: [{ lineId: line.externalId, quantity: 1 }],
      reason: '商品破损',
    };
    const first = await openReturn(ticketId, payload);
    expect(first.statusCode, JSON.stringify(first.data)).toBe(201);
    expect(first.data).toMatchObject({ kind: 'return', mode: 'cancel_refund', status: 'refunded' });

    const expected = Math.min(line.total.amountMinor, line.paidUnitPrice.amountMinor);
    const refunds = await refundsInVendure(order.externalId);
    expect(refunds).toEqual([
      expect.objectContaining({ id: first.data.externalId, total: expected, state: 'Settled' }),
    ]);
    expect(refunds[0]!.reason).toContain('商品破损');

    const again = await openReturn(ticketId, payload);
    expect(again.statusCode).toBe(200);
    expect(again.data).toMatchObject({
      id: first.data.id,
      status: 'refunded',
      externalId: first.data.externalId,
    });
    expect(await refundsInVendure(order.externalId)).toHaveLength(1);

    const history = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${ticketId}/history`,
    });
    expect(history.statusCode).toBe(200);
    const opened = (history.data.items as { action: string }[]).filter((e) => e.action === 'return.opened');
    expect(opened).toHaveLength(1);
    expect(JSON.stringify(opened[0])).toContain(first.data.id as string);
  });

  it('refuses an exchange, since Vendure has none, and writes nothing in Vendure', async () => {
    const listed = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${ticketId}/returns`,
    });
    expect(listed.data.allowed).toMatchObject({ return: true, exchange: false });
    const before = await refundsInVendure(order.externalId);
    const line = order.lines.at(-1)!;
    const refused = await openReturn(ticketId, {
      kind: 'exchange',
      lines: [{ lineId: line.externalId, quantity: 1 }],
      reason: '换个颜色',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.data.code).toBe('RETURN_UNSUPPORTED');
    expect(await refundsInVendure(order.externalId)).toEqual(before);
    expect(listed.data.items).toHaveLength(1);
    const after = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${ticketId}/returns`,
    });
    expect(after.data.items).toHaveLength(1);
  });
});
