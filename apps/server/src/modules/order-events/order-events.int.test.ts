import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Order } from '@peakdesk/commerce';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, createTestTenant, testDb, type TestTenant } from '../../../test/helpers.ts';
import { ShopGateway } from '../shops/shop-gateway.ts';
import { stubOrder } from '../shops/stub-shop.testing.ts';
import { postTicket } from '../tickets/ticket.factories.ts';
import { refetchJobKey } from './order-event.ingest.ts';
import { refetchOrderTask } from './order-refetch.job.ts';
import { createEventShop } from './order-events.testing.ts';

/**
 * Order events end to end through app.inject(), on the adapter kind `test-events` (order-events.testing.ts:
 * the demo shop's real signature check, orders from an in-memory stub). Re-fetch jobs run inline by calling
 * their handler.
 */
let app: FastifyInstance;
let tenant: TestTenant;
let other: TestTenant;
let seq = 0;
const gateway = new ShopGateway({ retries: 0 });

async function connect(t: TestTenant, secret: string, settings: Record<string, unknown> = {}) {
  const stub = createEventShop();
  seq++;
  const response = await call(app, t.adminToken, {
    method: 'POST',
    url: '/api/v1/shops',
    payload: {
      kind: 'test-events',
      name: `events ${seq}`,
      baseUrl: stub.baseUrl,
      credentials: {},
      webhookSecret: secret,
      settings,
    },
  });
  expect(response.statusCode).toBe(201);
  return { stub, connectionId: response.data.id as string };
}

interface DeliveryOptions {
  secret: string;
  signature?: string;
  tamper?: (body: string) => string;
}

function deliver(connectionId: string, event: Record<string, unknown>, options: DeliveryOptions) {
  const body = JSON.stringify({ occurredAt: new Date().toISOString(), data: {}, ...event });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature =
    options.signature ??
    `sha256=${createHmac('sha256', options.secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return call(app, null, {
    method: 'POST',
    url: `/api/v1/webhooks/shops/${connectionId}`,
    headers: {
      'content-type': 'application/json',
      'x-demoshop-signature': signature,
      'x-demoshop-timestamp': String(timestamp),
    },
    payload: options.tamper ? options.tamper(body) : body,
  });
}

const eventRows = async (tenantId: string, eventId: string) =>
  (
    await testDb()
      .selectFrom('shopEvents')
      .select('eventId')
      .where('tenantId', '=', tenantId)
      .where('eventId', '=', eventId)
      .execute()
  ).length;

const timeline = (tenantId: string, ticketId: string) =>
  testDb()
    .selectFrom('ticketEvents')
    .select(['action', 'changes'])
    .where('tenantId', '=', tenantId)
    .where('ticketId', '=', ticketId)
    .where('action', 'in', ['order.event', 'auto_replied'])
    .orderBy('id')
    .execute();

const systemMessages = (tenantId: string, ticketId: string) =>
  testDb()
    .selectFrom('ticketMessages')
    .select(['body', 'visibility'])
    .where('tenantId', '=', tenantId)
    .where('ticketId', '=', ticketId)
    .where('authorType', '=', 'system')
    .execute();

async function shippingTicket(t: TestTenant, orderNumber: string, body = `订单 ${orderNumber} 什么时候到？`) {
  const ticket = await postTicket(app, t.adminToken, { orderNumber, body });
  await testDb()
    .updateTable('tickets')
    .set({ category: 'shipping_eta' })
    .where('tenantId', '=', t.id)
    .where('id', '=', ticket.id)
    .execute();
  return ticket.id;
}

const runRefetch = (t: TestTenant, connectionId: string, order: Order) =>
  refetchOrderTask(
    { tenantId: t.id, connectionId, orderId: order.externalId, orderNumber: order.orderNumber },
    { db: testDb(), now: () => new Date() },
    gateway,
  );

beforeAll(async () => {
  app = await buildTestApp({ orderEvents: { connectionTtlMs: 0 } });
  tenant = await createTestTenant('Events shop');
  other = await createTestTenant('Other events shop');
});
afterAll(async () => {
  await app.close();
});

describe('POST /webhooks/shops/:connectionId', () => {
  it('takes a signed event once: a second delivery of the same id is acknowledged and dropped', async () => {
    const { connectionId } = await connect(tenant, 'whsec-first-secret');
    const event = {
      id: `evt_once_${seq}`,
      type: 'order.paid',
      orderId: 'o-none',
      orderNumber: 'DS-NONE',
      orderVersion: 2,
    };
    const first = await deliver(connectionId, event, { secret: 'whsec-first-secret' });
    expect(first.statusCode).toBe(200);
    expect(first.data).toEqual({ received: 1, duplicates: 0, stale: 0, applied: 0 });
    const again = await deliver(connectionId, event, { secret: 'whsec-first-secret' });
    expect(again.data).toMatchObject({ received: 1, duplicates: 1 });
    expect(await eventRows(tenant.id, event.id)).toBe(1);
  });

  it.each([
    ['a wrong secret', { secret: 'whsec-not-the-secret' }],
    ['no signature', { secret: 'whsec-bad-secret', signature: '' }],
    [
      'a tampered body',
      { secret: 'whsec-bad-secret', tamper: (b: string) => b.replace('DS-BAD', 'DS-EVIL') },
    ],
  ])('refuses %s with 401 problem+json and stores nothing', async (_name, options) => {
    const { connectionId } = await connect(tenant, 'whsec-bad-secret');
    const id = `evt_bad_${seq}`;
    const response = await deliver(connectionId, { id, type: 'order.paid', orderNumber: 'DS-BAD' }, options);
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.data.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(await eventRows(tenant.id, id)).toBe(0);
  });

  it('refuses a signed event PostgreSQL cannot store with 400, storing nothing', async () => {
    const { connectionId } = await connect(tenant, 'whsec-nul-secret');
    const id = `evt_nul_${seq}`;
    const response = await deliver(
      connectionId,
      { id, type: 'order.paid', orderNumber: 'DS\u0000X' },
      { secret: 'whsec-nul-secret' },
    );
    expect(response.statusCode).toBe(400);
    expect(response.data.code).toBe('VALIDATION_FAILED');
    expect(await eventRows(tenant.id, id)).toBe(0);
  });

  it('answers 404 for an unknown connection', async () => {
    const response = await deliver(
      '01937f5e-0000-7000-8000-000000000000',
      { id: 'evt_x', type: 'order.paid' },
      { secret: 'x' },
    );
    expect(response.statusCode).toBe(404);
    expect(response.data.code).toBe('SHOP_NOT_FOUND');
  });

  it('adds a timeline entry to open tickets of the order and enqueues one re-fetch of it', async () => {
    const { stub, connectionId } = await connect(tenant, 'whsec-timeline');
    const order = stubOrder({ externalId: `ord-t${seq}`, orderNumber: `DS-T${seq}`, version: 4 });
    stub.orders.set(order.externalId, order);
    const ticketId = await shippingTicket(tenant, order.orderNumber);
    const response = await deliver(
      connectionId,
      {
        id: `evt_tl_${seq}`,
        type: 'order.shipped',
        orderId: order.externalId,
        orderNumber: order.orderNumber,
        orderVersion: 4,
        data: { shipmentId: 's1', carrierCode: 'sf', trackingNumber: 'SF1234567890123' },
      },
      { secret: 'whsec-timeline' },
    );
    expect(response.data).toMatchObject({ applied: 1 });
    const entries = await timeline(tenant.id, ticketId);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.changes[0]).toMatchObject({
      field: 'order',
      after: {
        event: 'order.shipped',
        orderNumber: order.orderNumber,
        shipment: { carrierCode: 'sf', trackingNumber: 'SF1234567890123' },
      },
    });
    const jobs = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = ${refetchJobKey({ tenantId: tenant.id, connectionId, orderId: order.externalId })}`.execute(
      testDb(),
    );
    expect(jobs.rows[0]!.n).toBe(1);
    const job = await sql<{ taskIdentifier: string; maxAttempts: number; payload: unknown }>`
      SELECT t.identifier AS task_identifier, j.max_attempts, j.payload
        FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
       WHERE j.key = ${refetchJobKey({ tenantId: tenant.id, connectionId, orderId: order.externalId })}`.execute(
      testDb(),
    );
    expect(job.rows[0]).toEqual({
      taskIdentifier: 'shops.refetch-order',
      maxAttempts: 12,
      payload: {
        tenantId: tenant.id,
        connectionId,
        orderId: order.externalId,
        orderNumber: order.orderNumber,
      },
    });
  });

  it('never moves an order backwards: an event older than the snapshot changes nothing', async () => {
    const { stub, connectionId } = await connect(tenant, 'whsec-ordering');
    const order = stubOrder({
      externalId: `ord-o${seq}`,
      orderNumber: `DS-O${seq}`,
      version: 7,
      shipments: [],
    });
    stub.orders.set(order.externalId, order);
    const ticketId = await shippingTicket(tenant, order.orderNumber);
    await runRefetch(tenant, connectionId, order);
    const late = await deliver(
      connectionId,
      {
        id: `evt_late_${seq}`,
        type: 'order.paid',
        orderId: order.externalId,
        orderNumber: order.orderNumber,
        orderVersion: 5,
      },
      { secret: 'whsec-ordering' },
    );
    expect(late.data).toMatchObject({ stale: 1, applied: 0 });
    expect(await timeline(tenant.id, ticketId)).toHaveLength(0);
    const snapshot = await testDb()
      .selectFrom('orderSnapshots')
      .select(['version', 'isStale'])
      .where('tenantId', '=', tenant.id)
      .where('connectionId', '=', connectionId)
      .where('orderId', '=', order.externalId)
      .executeTakeFirstOrThrow();
    expect([Number(snapshot.version), snapshot.isStale]).toEqual([7, false]);
  });

  it('answers a shipping ticket once per shipment state, whatever duplicates and concurrent jobs do', async () => {
    const secret = 'whsec-autoreply';
    const { stub, connectionId } = await connect(tenant, secret, { autoReplyOnShipment: true });
    const order = stubOrder({ externalId: `ord-a${seq}`, orderNumber: `DS-A${seq}`, version: 5 });
    stub.orders.set(order.externalId, order);
    const ticketId = await shippingTicket(tenant, order.orderNumber);
    const shipped = {
      id: `evt_ship_${seq}`,
      type: 'order.shipped',
      orderId: order.externalId,
      orderNumber: order.orderNumber,
      orderVersion: 5,
    };
    await Promise.all([
      deliver(connectionId, shipped, { secret }),
      deliver(connectionId, shipped, { secret }),
    ]);
    await Promise.all([1, 2, 3].map(() => runRefetch(tenant, connectionId, order)));

    let messages = await systemMessages(tenant.id, ticketId);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.visibility).toBe('public');
    expect(messages[0]!.body).toContain('顺丰速运');
    expect(messages[0]!.body).toContain('SF1234567890123');
    let ticket = await testDb()
      .selectFrom('tickets')
      .select('status')
      .where('tenantId', '=', tenant.id)
      .where('id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(ticket.status).toBe('pending');

    const delivered = stubOrder({
      ...order,
      status: 'delivered',
      version: 6,
      updatedAt: '2026-11-12T09:00:00.000Z',
      shipments: [{ ...order.shipments[0]!, status: 'delivered', deliveredAt: '2026-11-12T08:00:00.000Z' }],
    });
    stub.orders.set(order.externalId, delivered);
    await deliver(
      connectionId,
      { ...shipped, id: `evt_dlv_${seq}`, type: 'shipment.updated', orderVersion: 6 },
      { secret },
    );
    await Promise.all([
      runRefetch(tenant, connectionId, delivered),
      runRefetch(tenant, connectionId, delivered),
    ]);
    messages = await systemMessages(tenant.id, ticketId);
    expect(messages).toHaveLength(2);
    ticket = await testDb()
      .selectFrom('tickets')
      .select('status')
      .where('tenantId', '=', tenant.id)
      .where('id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(ticket.status).toBe('solved');
    expect((await timeline(tenant.id, ticketId)).map((e) => e.action)).toEqual([
      'order.event',
      'auto_replied',
      'order.event',
      'auto_replied',
    ]);
  });

  it('does not answer when the setting is off', async () => {
    const { stub, connectionId } = await connect(tenant, 'whsec-no-reply');
    const order = stubOrder({ externalId: `ord-n${seq}`, orderNumber: `DS-N${seq}` });
    stub.orders.set(order.externalId, order);
    const ticketId = await shippingTicket(tenant, order.orderNumber);
    await runRefetch(tenant, connectionId, order);
    expect(await systemMessages(tenant.id, ticketId)).toHaveLength(0);
  });

  it("keeps tenants apart: another tenant's secret does not verify, and its events never touch this tenant's tickets", async () => {
    const mine = await connect(tenant, 'whsec-tenant-a');
    const theirs = await connect(other, 'whsec-tenant-b');
    const orderNumber = `DS-ISO${seq}`;
    const myTicket = await shippingTicket(tenant, orderNumber);
    const forged = await deliver(
      mine.connectionId,
      { id: `evt_forged_${seq}`, type: 'order.paid', orderNumber },
      { secret: 'whsec-tenant-b' },
    );
    expect(forged.statusCode).toBe(401);
    const theirEvent = await deliver(
      theirs.connectionId,
      { id: `evt_b_${seq}`, type: 'order.paid', orderNumber },
      { secret: 'whsec-tenant-b' },
    );
    expect(theirEvent.data).toMatchObject({ applied: 0 });
    expect(await timeline(tenant.id, myTicket)).toHaveLength(0);
    expect(await eventRows(tenant.id, `evt_b_${seq}`)).toBe(0);
    expect(await eventRows(other.id, `evt_b_${seq}`)).toBe(1);
  });

  it('takes Shopify webhooks (recorded payload) signed with X-Shopify-Hmac-Sha256, and refuses a bad HMAC', async () => {
    const created = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/shops',
      payload: {
        kind: 'shopify',
        name: `shopify ${++seq}`,
        baseUrl: 'https://peakdesk-demo.myshopify.com',
        credentials: { accessToken: 'shpat_recorded' },
        webhookSecret: 'shopify-app-secret',
      },
    });
    expect(created.statusCode).toBe(201);
    const body = readFileSync(
      new URL(
        '../../../../../packages/commerce/src/fixtures/shopify/webhook-orders-updated.json',
        import.meta.url,
      ),
      'utf8',
    );
    const post = (hmac: string) =>
      call(app, null, {
        method: 'POST',
        url: `/api/v1/webhooks/shops/${created.data.id as string}`,
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': 'orders/updated',
          'x-shopify-hmac-sha256': hmac,
          'x-shopify-webhook-id': `wh-${seq}`,
        },
        payload: body,
      });
    const good = createHmac('sha256', 'shopify-app-secret').update(body).digest('base64');
    expect((await post(good)).data).toEqual({ received: 1, duplicates: 0, stale: 0, applied: 0 });
    expect((await post(good)).data).toMatchObject({ duplicates: 1 });
    const bad = createHmac('sha256', 'another-secret').update(body).digest('base64');
    expect((await post(bad)).statusCode).toBe(401);
  });
});
