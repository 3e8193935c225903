import { createHmac } from 'node:crypto';
import type { Order } from '@peakdesk/commerce';
import { VendureAdapter } from '@peakdesk/commerce/vendure';
import { GraphqlClient } from '@peakdesk/vendure-fixture/graphql-client';
import { startVendureFixture, type VendureFixture } from '@peakdesk/vendure-fixture/spawn';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildTestApp, call, createTestTenant, testDb, type TestTenant } from '../../../test/helpers.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import { runJobsOnce } from '../../jobs/testing.ts';
import { runDueJobs } from '../intake/follow-up.sweep.ts';
import { REFETCH_TASK } from '../order-events/order-event.ingest.ts';
import { RECONCILE_CONNECTION_TASK } from '../order-events/order-reconcile.job.ts';
import { ENRICH_TICKET_TASK } from './enrich-ticket.task.ts';
import { findSnapshot } from './order-snapshot.repository.ts';
import { startWebhookRelay, type WebhookRelay } from './vendure-relay.testing.ts';

/**
 * PeakDesk with a real Vendure 3.7 server (apps/vendure-fixture: sql.js, the sample catalogue, 60 orders, and
 * PeakDesk's webhook plugin), end to end: a tenant connects the shop through /api/v1/shops, a ticket quoting
 * only a Vendure order code gets its order panel, a refund and a shipment made in Vendure reach the ticket's
 * timeline over the plugin's signed webhooks and move the snapshot, a wrongly signed webhook changes nothing,
 * and a change whose push was lost is caught by the reconciliation job. `npm run test:vendure` (CI); out of
 * the default `npm test`.
 *
 * The plugin posts to a small relay (vendure-relay.testing.ts) that forwards every delivery unchanged to
 * PeakDesk's real HTTP listener, or, while `losePushes` is set, answers 204 and forwards nothing: a push lost
 * on the way, as platforms lose them (the 2xx keeps the plugin from delivering it later).
 */
const connectionString = inject('databaseUrl');
const SECRET = 'vendure-e2e-webhook-secret';
const PASSWORD = 'vendure-e2e-password';
const POLL_MS = 60_000;

let vendure: VendureFixture;
let shop: VendureAdapter;
let app: FastifyInstance;
let relay: WebhookRelay;
let tenant: TestTenant;
let connectionId: string;
let peakdeskUrl: string;
const timings: Record<string, number> = {};

async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings[name] = Math.round(performance.now() - started);
  }
}

/** Polls until `probe` answers something other than undefined, for at most POLL_MS. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + POLL_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const timeline = (ticketId: string) =>
  testDb()
    .selectFrom('ticketEvents')
    .select(['id', 'changes'])
    .where('tenantId', '=', tenant.id)
    .where('ticketId', '=', ticketId)
    .where('action', '=', 'order.event')
    .orderBy('id')
    .execute();

const snapshotOf = async (order: Order) =>
  (await findSnapshot(testDb(), tenant.id, connectionId, { orderId: order.externalId }))!;

/** The newest order that `accept`s, read through the adapter as PeakDesk reads it. */
async function findOrder(accept: (order: Order) => boolean): Promise<Order> {
  const page = await shop.listChangedOrders('2000-01-01T00:00:00.000Z', undefined, 100);
  for (const summary of [...page.items].reverse()) {
    const order = await shop.getOrder({ orderId: summary.externalId });
    if (order && accept(order)) return order;
  }
  throw new Error('no order fits');
}

/** The back office ships an order in Vendure: one fulfilment of every line with a carrier and tracking code. */
async function shipInVendure(order: Order, trackingCode: string): Promise<void> {
  const admin = new GraphqlClient(vendure.adminApiUrl);
  await admin.mutate(
    'login',
    `mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
      ... on CurrentUser { id } ... on ErrorResult { errorCode message } } }`,
    { u: 'superadmin', p: PASSWORD },
  );
  const fulfillment = await admin.mutate<{ id: string }>(
    'addFulfillmentToOrder',
    `mutation($input: FulfillOrderInput!) { addFulfillmentToOrder(input: $input) {
      ... on Fulfillment { id } ... on ErrorResult { errorCode message } } }`,
    {
      input: {
        lines: order.lines.map((l) => ({ orderLineId: l.externalId, quantity: l.quantity })),
        handler: {
          code: 'manual-fulfillment',
          arguments: [
            { name: 'method', value: 'SF Express' },
            { name: 'trackingCode', value: trackingCode },
          ],
        },
      },
    },
  );
  await admin.mutate(
    'transitionFulfillmentToState',
    `mutation($id: ID!) { transitionFulfillmentToState(id: $id, state: "Shipped") {
      ... on Fulfillment { id } ... on ErrorResult { errorCode message } } }`,
    { id: fulfillment.id },
  );
}

async function ticketFor(order: Order): Promise<string> {
  const created = await call(app, tenant.adminToken, {
    method: 'POST',
    url: '/api/v1/tickets',
    payload: { body: 'Where is my parcel?', channel: 'web', customer: {}, orderNumber: order.orderNumber },
  });
  expect(created.statusCode).toBe(201);
  const ticketId = created.data.id as string;
  await runDueJobs(testDb(), new Date(), 500, tenant.id);
  await runJobsOnce(testDb(), { connectionString, tasks: [ENRICH_TICKET_TASK] });
  return ticketId;
}

beforeAll(async () => {
  const started = performance.now();
  tenant = await createTestTenant('Vendure shop');
  app = await buildTestApp();
  peakdeskUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  relay = await startWebhookRelay(peakdeskUrl);
  // The connection first, at a placeholder URL: its id is in the webhook URL Vendure is started with.
  const created = await call(app, tenant.adminToken, {
    method: 'POST',
    url: '/api/v1/shops',
    payload: {
      kind: 'vendure',
      name: 'Vendure',
      baseUrl: 'http://127.0.0.1:9/admin-api',
      credentials: { username: 'superadmin', password: PASSWORD },
      webhookSecret: SECRET,
      isDefault: true,
    },
  });
  expect(created.statusCode).toBe(201);
  connectionId = created.data.id as string;
  vendure = await timed('vendureStart', () =>
    startVendureFixture({
      superadminPassword: PASSWORD,
      webhookUrl: `${relay.url}${created.data.webhookPath as string}`,
      webhookSecret: SECRET,
    }),
  );
  const patched = await call(app, tenant.adminToken, {
    method: 'PATCH',
    url: `/api/v1/shops/${connectionId}`,
    payload: { version: 1, baseUrl: vendure.adminApiUrl },
  });
  expect(patched.statusCode).toBe(200);
  shop = new VendureAdapter({
    adminApiUrl: vendure.adminApiUrl,
    auth: { username: 'superadmin', password: PASSWORD },
    webhookSecret: SECRET,
    timeoutMs: 10_000,
  });
  timings.setup = Math.round(performance.now() - started);
}, 240_000);

afterAll(async () => {
  await vendure?.stop();
  await app?.close();
  await relay?.close();
  console.info(`vendure end-to-end timings (ms): ${JSON.stringify(timings)}`);
});

describe('PeakDesk with a real Vendure server', () => {
  let order: Order;
  let ticketId: string;

  it('connects, and tests the connection with the stored login', async () => {
    const tested = await call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/shops/${connectionId}/test`,
    });
    expect(tested.data).toMatchObject({ ok: true, platform: 'vendure', capabilities: { coupons: true } });
  });

  it('shows the full order panel of a ticket that quotes only a Vendure order code', async () => {
    order = await findOrder(
      (o) =>
        (o.status === 'shipped' || o.status === 'delivered') &&
        o.totals.refunded.amountMinor === 0 &&
        o.shipments.some((s) => s.trackingNumber),
    );
    ticketId = await timed('enrich', () => ticketFor(order));
    const panel = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${ticketId}/order`,
    });
    expect(panel.statusCode).toBe(200);
    expect(panel.data).toMatchObject({
      state: 'ok',
      stale: false,
      orderNumber: order.orderNumber,
      connection: { id: connectionId, kind: 'vendure' },
      order: { externalId: order.externalId, orderNumber: order.orderNumber, currency: order.currency },
    });
    const shown = panel.data.order as Order;
    expect(shown.lines.length).toBeGreaterThan(0);
    expect(shown.lines.every((l) => l.quantity > 0)).toBe(true);
    expect(shown.totals.total.amountMinor).toBe(order.totals.total.amountMinor);
    expect(shown.totals.paid.amountMinor).toBeGreaterThan(0);
    expect(shown.payments).toEqual([expect.objectContaining({ status: 'succeeded' })]);
    const tracking = order.shipments.find((s) => s.trackingNumber)!.trackingNumber;
    expect(shown.shipments.map((s) => s.trackingNumber)).toContain(tracking);
    // The requester is the Vendure buyer now, not the placeholder named by the order.
    const requester = await testDb()
      .selectFrom('tickets')
      .innerJoin('customerIdentities', (join) =>
        join
          .onRef('customerIdentities.tenantId', '=', 'tickets.tenantId')
          .onRef('customerIdentities.customerId', '=', 'tickets.requesterId'),
      )
      .select('customerIdentities.value')
      .where('tickets.tenantId', '=', tenant.id)
      .where('tickets.id', '=', ticketId)
      .where('customerIdentities.kind', '=', 'platform')
      .execute();
    expect(requester.map((r) => r.value)).toContain(`vendure:${order.customer.externalId}`);
  });

  it('follows a refund made in Vendure: the signed webhook adds a timeline entry and the snapshot moves on', async () => {
    const before = await snapshotOf(order);
    const refund = await shop.issueRefund({
      orderId: order.externalId,
      amount: { amountMinor: 500, currency: order.currency },
      reason: 'damaged box',
      idempotencyKey: `e2e-refund-${order.externalId}`,
    });
    expect(refund.status).toBe('succeeded');
    const entries = await timed('webhookToTimeline', () =>
      eventually('a timeline entry from the refund', async () => {
        const found = await timeline(ticketId);
        return found.some((e) => JSON.stringify(e.changes).includes('refund.succeeded')) ? found : undefined;
      }),
    );
    expect(entries.length).toBeGreaterThan(0);
    expect(relay.deliveries.some((d) => d.code === order.orderNumber && !d.lost)).toBe(true);

    await runJobsOnce(testDb(), { connectionString, tasks: [REFETCH_TASK] });
    const after = await snapshotOf(order);
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.order.totals.refunded.amountMinor).toBe(500);
    const panel = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${ticketId}/order`,
    });
    expect(panel.data.order.totals.refunded.amountMinor).toBe(500);
  });

  it('follows a shipment made in Vendure: the tracking code reaches the timeline and the order panel', async () => {
    const waiting = await findOrder((o) => o.status === 'paid' && o.shipments.length === 0);
    const waitingTicket = await ticketFor(waiting);
    const before = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${waitingTicket}/order`,
    });
    expect(before.data).toMatchObject({ state: 'ok', order: { shipments: [] } });

    const trackingCode = `SF${Date.now()}`;
    await shipInVendure(waiting, trackingCode);
    await eventually('a timeline entry with the tracking code', async () => {
      const found = await timeline(waitingTicket);
      return found.some((e) => JSON.stringify(e.changes).includes(trackingCode)) ? true : undefined;
    });
    await runJobsOnce(testDb(), { connectionString, tasks: [REFETCH_TASK] });
    const after = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${waitingTicket}/order`,
    });
    expect(after.data.order.status).toBe('shipped');
    expect(after.data.order.shipments).toEqual([
      expect.objectContaining({ trackingNumber: trackingCode, carrierCode: 'sf', status: 'in_transit' }),
    ]);
  });

  it('answers 401 to a wrongly signed webhook and changes nothing', async () => {
    const entries = (await timeline(ticketId)).length;
    const snapshot = await snapshotOf(order);
    const eventId = 'vendure-history-999999999';
    const body = JSON.stringify({
      id: eventId,
      topic: 'ORDER_STATE_TRANSITION',
      occurredAt: new Date().toISOString(),
      order: {
        id: order.externalId,
        code: order.orderNumber,
        state: 'Cancelled',
        updatedAt: new Date().toISOString(),
        version: 999_999_999,
      },
      data: { from: 'Delivered', to: 'Cancelled' },
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const wrong = createHmac('sha256', 'not-the-secret').update(`${timestamp}.${body}`).digest('hex');
    const response = await fetch(`${peakdeskUrl}/api/v1/webhooks/shops/${connectionId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-peakdesk-event-id': eventId,
        'x-peakdesk-timestamp': String(timestamp),
        'x-peakdesk-signature': `sha256=${wrong}`,
      },
      body,
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(await timeline(ticketId)).toHaveLength(entries);
    expect((await snapshotOf(order)).version).toBe(snapshot.version);
    const stored = await testDb()
      .selectFrom('shopEvents')
      .select('eventId')
      .where('tenantId', '=', tenant.id)
      .where('eventId', '=', eventId)
      .execute();
    expect(stored).toEqual([]);
  });

  it('catches a change whose push was lost with the reconciliation job', async () => {
    const reconcile = async () => {
      await enqueueJob(
        testDb(),
        RECONCILE_CONNECTION_TASK,
        { tenantId: tenant.id, connectionId },
        { jobKey: `${RECONCILE_CONNECTION_TASK}:${tenant.id}:${connectionId}`, maxAttempts: 3 },
      );
      await runJobsOnce(testDb(), { connectionString, tasks: [RECONCILE_CONNECTION_TASK] });
    };
    // A first run sets the connection's cursor. It reports the refund once more, with the version the
    // snapshot already shows, so the ticket does not get that entry twice.
    const entries = (await timeline(ticketId)).length;
    const current = (await shop.getOrder({ orderId: order.externalId }))!.version;
    expect((await snapshotOf(order)).version).toBe(current);
    await reconcile();
    expect(await timeline(ticketId)).toHaveLength(entries);

    relay.losePushes = true;
    const lostFrom = relay.deliveries.length;
    try {
      await shop.addOrderNote({
        orderId: order.externalId,
        body: 'Customer called about the refund',
        visibility: 'internal',
        idempotencyKey: `e2e-note-${order.externalId}`,
      });
      // The plugin has seen the note (and moved the order's updatedAt) once it tried to deliver it.
      await eventually('the lost delivery of the note', async () =>
        relay.deliveries.slice(lostFrom).some((d) => d.code === order.orderNumber && d.lost)
          ? true
          : undefined,
      );
    } finally {
      relay.losePushes = false;
    }
    expect(await timeline(ticketId)).toHaveLength(entries);

    await timed('reconcile', reconcile);
    const after = await timeline(ticketId);
    expect(after).toHaveLength(entries + 1);
    expect(JSON.stringify(after.at(-1)!.changes)).toContain('reconciliation');
    await runJobsOnce(testDb(), { connectionString, tasks: [REFETCH_TASK] });
    const snapshot = await snapshotOf(order);
    expect(snapshot.order.version).toBe((await shop.getOrder({ orderId: order.externalId }))!.version);
  });
});
