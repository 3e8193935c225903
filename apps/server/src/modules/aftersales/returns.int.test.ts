import { randomBytes } from 'node:crypto';
import type { Order } from '@peakdesk/commerce';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildTestApp, call, createTestTenant, testDb, type TestTenant } from '../../../test/helpers.ts';
import { ensureDemoShopConnection } from '../../seed/demo-shop.seed.ts';
import { refetchOrderTask } from '../order-events/order-refetch.job.ts';
import { startDemoShopProcess, type DemoShopProcess } from '../shops/demo-shop.process.ts';
import type { ShopConnection } from '../shops/shop-connection.repository.ts';
import { ShopGateway } from '../shops/shop-gateway.ts';
import { shopSecretBox } from '../shops/shop-secret-box.ts';
import { postTicket } from '../tickets/ticket.factories.ts';
import { advanceReturnsFromOrder } from './returns-events.ts';
import { ReturnService, type ReturnGateway } from './returns.service.ts';

/**
 * Returns and exchanges against the real demo shop (a child process on the test database, its own schema):
 * idempotency under concurrent requests, line checks, progress from re-fetched orders (forward only, once per
 * step under duplicates), and the tenant's choice of customer messages.
 */
const databaseUrl = inject('databaseUrl');
const SCHEMA = `demo_shop_ret_${randomBytes(4).toString('hex')}`;
let shop: DemoShopProcess;
let baseUrl: string;
let apiKey: string;
let app: FastifyInstance;
let tenant: TestTenant;
let connection: ShopConnection;
const gateway = new ShopGateway({ retries: 0 });
const orders: Order[] = [];

async function shopPost(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok, await response.clone().text()).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}

/** The warehouse acts on an after-sale in the shop, then PeakDesk re-fetches the order as an event would make it. */
async function warehouse(afterSaleId: string, action: string): Promise<void> {
  await shopPost(`/api/aftersales/${afterSaleId}/actions`, {
    action,
    idempotencyKey: `${afterSaleId}:${action}`,
  });
}

function refetch(order: Order): Promise<void> {
  return refetchOrderTask(
    { tenantId: tenant.id, connectionId: connection.id, orderNumber: order.orderNumber },
    { db: testDb(), now: () => new Date() },
    gateway,
  );
}

async function orderTicket(order: Order, body = '我要退货，商品有问题'): Promise<string> {
  const created = await postTicket(app, tenant.adminToken, { orderNumber: order.orderNumber, body });
  await testDb()
    .updateTable('tickets')
    .set({ shopConnectionId: connection.id })
    .where('tenantId', '=', tenant.id)
    .where('id', '=', created.id)
    .execute();
  return created.id;
}

const openReturn = (ticketId: string, payload: Record<string, unknown>) =>
  call(app, tenant.adminToken, { method: 'POST', url: `/api/v1/tickets/${ticketId}/returns`, payload });

async function ticketState(ticketId: string) {
  const db = testDb();
  const events = await db
    .selectFrom('ticketEvents')
    .select(['action', 'changes'])
    .where('tenantId', '=', tenant.id)
    .where('ticketId', '=', ticketId)
    .where('action', 'like', 'return.%')
    .orderBy('id')
    .execute();
  const messages = await db
    .selectFrom('ticketMessages')
    .select('body')
    .where('tenantId', '=', tenant.id)
    .where('ticketId', '=', ticketId)
    .where('authorType', '=', 'system')
    .orderBy('id')
    .execute();
  const ticket = await db
    .selectFrom('tickets')
    .select('status')
    .where('tenantId', '=', tenant.id)
    .where('id', '=', ticketId)
    .executeTakeFirstOrThrow();
  return { events, messages: messages.map((m) => m.body), status: ticket.status };
}

beforeAll(async () => {
  tenant = await createTestTenant('Returns tenant');
  const link = await ensureDemoShopConnection(testDb(), tenant.id, shopSecretBox(), 'http://127.0.0.1:1');
  apiKey = link.apiKey;
  shop = startDemoShopProcess({
    databaseUrl,
    port: 0,
    apiKey: link.apiKey,
    webhookSecret: link.webhookSecret,
    webhookUrl: 'http://127.0.0.1:9/unused',
    log: () => undefined,
    env: { DEMO_SHOP_SCHEMA: SCHEMA, DEMO_SHOP_ORDERS: '40' },
  });
  baseUrl = await shop.ready;
  connection = (await ensureDemoShopConnection(testDb(), tenant.id, shopSecretBox(), baseUrl)).connection;
  app = await buildTestApp({ shopGateway: gateway });
  // Paid orders nothing was refunded on, with a line of two or more units where possible.
  const page = await gateway.call(connection, (a) =>
    a.listChangedOrders('2000-01-01T00:00:00Z', undefined, 40),
  );
  for (const summary of page.items) {
    const order = await gateway.call(connection, (a) => a.getOrder({ orderId: summary.externalId }));
    if (order && order.totals.paid.amountMinor > 0 && order.totals.refunded.amountMinor === 0)
      orders.push(order);
  }
  expect(orders.length).toBeGreaterThanOrEqual(4);
  orders.sort(
    (a, b) => Math.max(...b.lines.map((l) => l.quantity)) - Math.max(...a.lines.map((l) => l.quantity)),
  );
  expect(orders.length).toBeGreaterThanOrEqual(3);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await shop?.stop();
  await sql`DROP SCHEMA IF EXISTS ${sql.id(SCHEMA)} CASCADE`.execute(testDb());
});

describe('POST /tickets/:id/returns', () => {
  it('opens one return in the shop however many identical requests race', async () => {
    const order = orders[0]!;
    const ticketId = await orderTicket(order);
    const line = order.lines[0]!;
    const payload = { kind: 'return', lines: [{ lineId: line.externalId, quantity: 1 }], reason: '质量问题' };
    const responses = await Promise.all(Array.from({ length: 5 }, () => openReturn(ticketId, payload)));
    expect(responses.map((r) => r.statusCode).sort(), responses.map((r) => r.body).join('\n')).toEqual([
      200, 200, 200, 200, 201,
    ]);
    expect(new Set(responses.map((r) => r.data.id as string)).size).toBe(1);
    expect(responses[0]!.data).toMatchObject({ kind: 'return', mode: 'shop_return', status: 'approved' });

    const afterSales = await gateway.call(connection, (a) => a.listAfterSales(order.externalId));
    expect(afterSales).toHaveLength(1);
    const state = await ticketState(ticketId);
    expect(state.events.map((e) => e.action)).toEqual(['return.opened']);
    // The seller opened it, so the shop has it approved at once: the customer is told to send it back.
    expect(state.messages).toHaveLength(1);
    expect(state.messages[0]).toMatch(/退货申请已通过/);
    const audits = await testDb()
      .selectFrom('auditLog')
      .select('action')
      .where('tenantId', '=', tenant.id)
      .where('action', '=', 'return.opened')
      .where('targetId', '=', ticketId)
      .execute();
    expect(audits).toHaveLength(1);

    const again = await openReturn(ticketId, payload);
    expect(again.statusCode).toBe(200);
    expect(again.data.id).toBe(responses[0]!.data.id);
  });

  it('refuses lines that are not on the order or more units than the buyer holds', async () => {
    const order = orders[1]!;
    const ticketId = await orderTicket(order);
    const line = order.lines[0]!;
    const tooMany = await openReturn(ticketId, {
      kind: 'return',
      lines: [{ lineId: line.externalId, quantity: line.quantity + 1 }],
      reason: 'x',
    });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.data).toMatchObject({ code: 'RETURN_LINES_INVALID' });
    const unknown = await openReturn(ticketId, {
      kind: 'return',
      lines: [{ lineId: 'no-such-line', quantity: 1 }],
      reason: 'x',
    });
    expect(unknown.statusCode).toBe(422);
    const rows = await testDb()
      .selectFrom('ticketReturns')
      .select('id')
      .where('tenantId', '=', tenant.id)
      .where('ticketId', '=', ticketId)
      .execute();
    expect(rows).toHaveLength(0);
    const noOrder = await postTicket(app, tenant.adminToken, { body: 'hello' });
    const notLinked = await openReturn(noOrder.id, {
      kind: 'return',
      lines: [{ lineId: line.externalId, quantity: 1 }],
      reason: 'x',
    });
    expect(notLinked.statusCode).toBe(409);
    expect(notLinked.data).toMatchObject({ code: 'ORDER_NOT_LINKED' });
  });
});

describe('return progress from the shop', () => {
  it('moves forward step by step, once per step under repeats, never backwards, and solves at the refund', async () => {
    const order = orders[1]!;
    const ticketId = await orderTicket(order);
    const line = order.lines[0]!;
    const opened = await openReturn(ticketId, {
      kind: 'return',
      lines: [{ lineId: line.externalId, quantity: 1 }],
      reason: '尺码不合适',
    });
    expect(opened.statusCode).toBe(201);
    const afterSaleId = opened.data.externalId as string;
    const approvedOrder = await gateway.call(connection, (a) => a.getOrder({ orderId: order.externalId }));

    await warehouse(afterSaleId, 'mark_return_shipped');
    await refetch(order);
    await refetch(order);
    await warehouse(afterSaleId, 'confirm_received');
    await Promise.all([refetch(order), refetch(order)]);
    // An older fetch arriving late (a slow event, a lagging replica) changes nothing.
    expect(await advanceReturnsFromOrder(testDb(), connection, approvedOrder!, new Date())).toBe(0);

    await shopPost(`/api/orders/${order.externalId}/refunds`, {
      amount: { amountMinor: line.paidUnitPrice.amountMinor, currency: line.paidUnitPrice.currency },
      reason: 'return received',
      afterSaleId,
      idempotencyKey: `${afterSaleId}:refund`,
    });
    await refetch(order);
    await refetch(order);

    const list = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${ticketId}/returns`,
    });
    expect(list.statusCode).toBe(200);
    expect(list.data.allowed).toMatchObject({ return: true, exchange: true, coupon: true });
    const ret = (list.data.items as { status: string; history: { status: string }[] }[])[0]!;
    expect(ret.status).toBe('refunded');
    expect(ret.history.map((h) => h.status)).toEqual([
      'pending',
      'approved',
      'return_shipped',
      'received',
      'refunded',
    ]);
    const state = await ticketState(ticketId);
    expect(state.events.map((e) => e.action)).toEqual([
      'return.opened',
      'return.progressed',
      'return.progressed',
      'return.progressed',
    ]);
    // Default steps: approved, received, refunded (return shipped is not one).
    expect(state.messages).toHaveLength(3);
    expect(state.messages[2]).toMatch(/退款已原路退回/);
    expect(state.status).toBe('solved');
  });

  it('sends only the messages the tenant chose, in English for an English ticket, and leaves the ticket open', async () => {
    const put = await call(app, tenant.adminToken, {
      method: 'PUT',
      url: '/api/v1/aftersales/return-settings',
      payload: { customerMessageSteps: ['exchange_shipped'], solveWhenDone: false },
    });
    expect(put.statusCode).toBe(200);
    const read = await call(app, tenant.adminToken, {
      method: 'GET',
      url: '/api/v1/aftersales/return-settings',
    });
    expect(read.data).toEqual({ customerMessageSteps: ['exchange_shipped'], solveWhenDone: false });
    const order = orders[2]!;
    const ticketId = await orderTicket(order, 'The shoes are too small, I would like a bigger size please');
    const opened = await openReturn(ticketId, {
      kind: 'exchange',
      lines: [{ lineId: order.lines[0]!.externalId, quantity: 1 }],
      reason: 'size',
    });
    expect(opened.statusCode).toBe(201);
    const id = opened.data.externalId as string;
    for (const action of ['mark_return_shipped', 'confirm_received', 'ship_exchange']) {
      await warehouse(id, action);
      await refetch(order);
    }
    const state = await ticketState(ticketId);
    expect(state.events).toHaveLength(4);
    expect(state.messages).toEqual([expect.stringMatching(/replacement for order .* has been shipped/)]);
    expect(state.status).not.toBe('solved');
  });
});

describe('a shop without a return object', () => {
  it('cancels the lines in PeakDesk and refunds them through the adapter, once', async () => {
    // The real demo shop, with its capabilities narrowed to those of a shop that has no return object (as
    // Vendure's): ReturnService must then refund the lines instead of calling createReturn.
    const narrowed: ReturnGateway = {
      call: (c, fn) =>
        gateway.call(c, (adapter, signal) =>
          fn(
            new Proxy(adapter, {
              get(target, prop, receiver) {
                if (prop === 'capabilities') {
                  return async () => ({
                    ...(await target.capabilities()),
                    sellerInitiatedReturn: false,
                    exchange: false,
                  });
                }
                if (prop === 'createReturn') throw new Error('createReturn must not be called');
                return Reflect.get(target, prop, receiver) as unknown;
              },
            }),
            signal,
          ),
        ),
    };
    await testDb()
      .updateTable('tenants')
      .set({ settings: JSON.stringify({}) })
      .where('id', '=', tenant.id)
      .execute();
    const service = new ReturnService(testDb(), app.shops.lookup, narrowed);
    const actor = {
      tenantId: tenant.id,
      kind: 'user' as const,
      id: tenant.adminUserId,
      userId: tenant.adminUserId,
      role: 'admin' as const,
      department: null,
      teamIds: [],
    };
    const order = orders[3]!;
    const ticketId = await orderTicket(order);
    const line = order.lines[0]!;
    const input = {
      kind: 'return' as const,
      lines: [{ lineId: line.externalId, quantity: 1 }],
      reason: '质量问题',
    };
    const [first, second] = await Promise.all([
      service.open(actor, ticketId, input),
      service.open(actor, ticketId, input),
    ]);
    expect(first.row.id).toBe(second.row.id);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    const again = await service.open(actor, ticketId, input);
    expect(again).toMatchObject({ created: false, row: { mode: 'cancel_refund', status: 'refunded' } });

    const fetched = await gateway.call(connection, (a) => a.getOrder({ orderId: order.externalId }));
    expect(fetched!.totals.refunded.amountMinor).toBe(
      Math.min(line.total.amountMinor, line.paidUnitPrice.amountMinor),
    );
    const refunds = fetched!.payments.flatMap((p) => p.refunds);
    expect(refunds).toHaveLength(1);
    const state = await ticketState(ticketId);
    expect(state.events.map((e) => e.action)).toEqual(['return.opened']);
    // Default settings: the refund is the last step, so the customer hears of it and the ticket is solved.
    expect(state.messages).toEqual([expect.stringMatching(/退款已原路退回/)]);
    expect(state.status).toBe('solved');
  });
});
