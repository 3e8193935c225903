import { randomBytes } from 'node:crypto';
import { ShopError, type Order, type ShopAdapter } from '@peakdesk/commerce';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { expect, inject } from 'vitest';
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
import { postTicket } from '../tickets/ticket.factories.ts';
import { DEFAULT_AFTERSALES_SETTINGS } from './aftersales-settings.ts';

/**
 * The money-out tests' world: the real demo shop (a child process on this PostgreSQL, its own schema), a tenant
 * connected to it, staff, and paid orders whose protection window is open at NOW, each with a campaign price
 * at half of what its first line paid. Shop calls go through a gateway that counts the writes (refunds, grants)
 * reaching the shop. State is exported as live bindings, set by startMoneyFixture().
 */
const databaseUrl = inject('databaseUrl');
const SCHEMA = `demo_shop_pp_${randomBytes(4).toString('hex')}`;
export const NOW = new Date('2026-11-25T12:00:00.000Z');
export const now = () => NOW;

export interface PayoutJson {
  id: string;
  status: string;
  kind: string;
  amount: number;
}
export interface ItemJson {
  orderId: string;
  outcome: string;
}

export class CountingGateway extends ShopGateway {
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
export let app: FastifyInstance;
export let tenant: TestTenant;
export let connection: ShopConnection;
export let supervisor: TestUser;
export let agent: TestUser;
export const gateway = new CountingGateway({ retries: 0 });
export const deps = { db: testDb(), gateway, now };
export const orders: Order[] = [];

export async function shopAdmin(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
}

export async function putSettings(
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
export async function priceProtectionTicket(options: { teamId?: string; body?: string } = {}) {
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

export const priceProtection = (ticketId: string, token = tenant.adminToken) =>
  call(app, token, { method: 'GET', url: `/api/v1/tickets/${ticketId}/price-protection` });

export async function ticketRow(ticketId: string) {
  return testDb()
    .selectFrom('tickets')
    .select(['status', 'solvedAt'])
    .where('tenantId', '=', tenant.id)
    .where('id', '=', ticketId)
    .executeTakeFirstOrThrow();
}

export async function publicSystemMessages(ticketId: string) {
  return testDb()
    .selectFrom('ticketMessages')
    .select('body')
    .where('tenantId', '=', tenant.id)
    .where('ticketId', '=', ticketId)
    .where('authorType', '=', 'system')
    .where('visibility', '=', 'public')
    .execute();
}

export async function startMoneyFixture(): Promise<void> {
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
}

export async function stopMoneyFixture(): Promise<void> {
  await app?.close();
  await shop?.stop();
  await sql`DROP SCHEMA IF EXISTS ${sql.id(SCHEMA)} CASCADE`.execute(testDb());
}
