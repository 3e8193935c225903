import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildTestApp, call, createTestTenant, testDb, type TestTenant } from '../../../test/helpers.ts';
import { ensureDemoShopConnection, linkDemoTicketsToShop } from '../../seed/demo-shop.seed.ts';
import { seedDemoTickets } from '../../seed/demo-tickets.seed.ts';
import { startDemoShopProcess, type DemoShopProcess } from './demo-shop.process.ts';
import { enrichTicket } from './enrich-ticket.task.ts';
import { shopSecretBox } from './shop-secret-box.ts';
import { ShopGateway } from './shop-gateway.ts';
import type { ShopConnection } from './shop-connection.repository.ts';

/**
 * PeakDesk against the real demo shop, started as `npm start` starts it (a child process on the same
 * PostgreSQL, its own schema; here 300 orders and any free port): the demo tenant's connection, demo tickets
 * pointed at real orders, the order panel and customer context through DemoShopAdapter, the shop's chaos
 * switch → stale snapshot, enrichment of a ticket quoting a real order number, and the connection test.
 */
const databaseUrl = inject('databaseUrl');
const SCHEMA = `demo_shop_pd_${randomBytes(4).toString('hex')}`;
let shop: DemoShopProcess;
let baseUrl: string;
let app: FastifyInstance;
let tenant: TestTenant;
let connection: ShopConnection;
let apiKey: string;
const gateway = new ShopGateway({ retries: 0 });

async function chaos(body: Record<string, number>): Promise<void> {
  const response = await fetch(`${baseUrl}/admin/chaos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
}

beforeAll(async () => {
  tenant = await createTestTenant('Demo shop tenant');
  // The connection first (it holds the key and secret the shop is started with), at a placeholder URL.
  const link = await ensureDemoShopConnection(testDb(), tenant.id, shopSecretBox(), 'http://127.0.0.1:1');
  apiKey = link.apiKey;
  shop = startDemoShopProcess({
    databaseUrl,
    port: 0,
    apiKey: link.apiKey,
    webhookSecret: link.webhookSecret,
    webhookUrl: 'http://127.0.0.1:9/unused',
    log: () => undefined,
    env: { DEMO_SHOP_SCHEMA: SCHEMA, DEMO_SHOP_ORDERS: '300', DEMO_SHOP_CHAOS_HANG_MS: '2000' },
  });
  baseUrl = await shop.ready;
  connection = (await ensureDemoShopConnection(testDb(), tenant.id, shopSecretBox(), baseUrl)).connection;
  app = await buildTestApp({ shopGateway: gateway });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await shop?.stop();
  await sql`DROP SCHEMA IF EXISTS ${sql.id(SCHEMA)} CASCADE`.execute(testDb());
});

describe('PeakDesk with the demo shop', () => {
  it('points demo tickets at real orders and shows their order panel', async () => {
    await seedDemoTickets(testDb(), tenant.id, tenant.adminUserId, 20);
    const linked = await linkDemoTicketsToShop(testDb(), connection, gateway);
    expect(linked).toBeGreaterThan(0);
    expect(await linkDemoTicketsToShop(testDb(), connection, gateway)).toBe(0);

    const ticket = await testDb()
      .selectFrom('tickets')
      .select(['id', 'orderNumber', 'subject'])
      .where('tenantId', '=', tenant.id)
      .where('shopConnectionId', '=', connection.id)
      .orderBy('number')
      .executeTakeFirstOrThrow();
    expect(ticket.orderNumber).toMatch(/^DS\d{15}$/);
    const message = await testDb()
      .selectFrom('ticketMessages')
      .select('body')
      .where('tenantId', '=', tenant.id)
      .where('ticketId', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(message.body).not.toMatch(/E20261111/);

    const panel = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${ticket.id}/order`,
    });
    expect(panel.statusCode).toBe(200);
    expect(panel.data).toMatchObject({
      source: 'shop',
      stale: false,
      connection: { kind: 'demo-shop' },
      order: { orderNumber: ticket.orderNumber, currency: 'CNY' },
    });
    const order = panel.data.order as {
      lines: unknown[];
      payments: unknown[];
      totals: { total: { amountMinor: number } };
    };
    expect(order.lines.length).toBeGreaterThan(0);
    expect(order.payments.length).toBeGreaterThan(0);
    expect(order.totals.total.amountMinor).toBeGreaterThan(0);

    const context = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${ticket.id}/customer-context`,
    });
    expect(context.statusCode).toBe(200);
    const numbers = (context.data.orders.items as { orderNumber: string }[]).map((o) => o.orderNumber);
    expect(numbers).toContain(ticket.orderNumber);
  });

  it('serves the stored snapshot, marked stale, while the shop fails on purpose', async () => {
    const ticket = await testDb()
      .selectFrom('tickets')
      .select(['id', 'orderNumber'])
      .where('tenantId', '=', tenant.id)
      .where('shopConnectionId', '=', connection.id)
      .orderBy('number', 'desc')
      .executeTakeFirstOrThrow();
    // Cache off for this connection, so every panel request asks the shop.
    await testDb()
      .updateTable('shopConnections')
      .set({ settings: JSON.stringify({ cacheTtlSeconds: 0 }) })
      .where('tenantId', '=', tenant.id)
      .where('id', '=', connection.id)
      .execute();
    const fresh = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${ticket.id}/order`,
    });
    expect(fresh.data).toMatchObject({ stale: false, source: 'shop' });
    await chaos({ failureRate: 1 });
    try {
      const stale = await call(app, tenant.adminToken, {
        method: 'GET',
        url: `/api/v1/tickets/${ticket.id}/order`,
      });
      expect(stale.statusCode).toBe(200);
      expect(stale.data).toMatchObject({
        stale: true,
        source: 'snapshot',
        failure: { code: 'UNAVAILABLE' },
        order: { orderNumber: ticket.orderNumber },
      });
    } finally {
      await chaos({});
    }
  });

  it('links a ticket that quotes a real order number, with the buyer as a demo-shop identity', async () => {
    const real = await testDb()
      .selectFrom('orderSnapshots')
      .select(['orderNumber', 'customerExternalId'])
      .where('tenantId', '=', tenant.id)
      .where('connectionId', '=', connection.id)
      .executeTakeFirstOrThrow();
    const created = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { body: `订单${real.orderNumber}到哪了`, channel: 'im', customer: { phone: '13700000042' } },
    });
    expect(created.data.orderNumber).toBe(real.orderNumber);
    const outcome = await enrichTicket(
      { tenantId: tenant.id, ticketId: created.data.id as string },
      { db: testDb(), now: () => new Date() },
      gateway,
    );
    expect(outcome).toBe('linked');
    const identity = await testDb()
      .selectFrom('customerIdentities')
      .select('value')
      .where('tenantId', '=', tenant.id)
      .where('kind', '=', 'platform')
      .where('value', '=', `demo-shop:${real.customerExternalId}`)
      .executeTakeFirst();
    expect(identity).toBeDefined();
  });

  it('tests the connection with the stored credentials', async () => {
    const tested = await call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/shops/${connection.id}/test`,
    });
    expect(tested.statusCode).toBe(200);
    expect(tested.data).toMatchObject({
      ok: true,
      platform: 'demo-shop',
      capabilities: { sellerInitiatedRefund: true },
    });
    const listed = await call(app, tenant.adminToken, { method: 'GET', url: '/api/v1/shops' });
    expect(JSON.stringify(listed.data)).not.toContain(apiKey);
    expect(listed.data.items[0]).toMatchObject({
      kind: 'demo-shop',
      hasWebhookSecret: true,
      lastTestError: null,
    });
  });
});
