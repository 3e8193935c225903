import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Order } from '@peakdesk/commerce';
import { VendureAdapter } from '@peakdesk/commerce/vendure';
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

/**
 * PeakDesk with a real Vendure 3.7 server (apps/vendure-fixture: sql.js, the sample catalogue, 60 orders, and
 * PeakDesk's webhook plugin), end to end: a tenant connects the shop through /api/v1/shops, a ticket quoting
 * only a Vendure order code gets its order panel, a change made in Vendure reaches the ticket's timeline over
 * the plugin's signed webhook, a wrongly signed webhook changes nothing, and a change whose push was lost is
 * caught by the reconciliation job. `npm run test:vendure` (CI); out of the default `npm test`.
 *
 * The plugin posts to a small relay in this file, which forwards every delivery unchanged to PeakDesk's real
 * HTTP listener, or, while `losePushes` is set, answers 204 and forwards nothing: a push lost on the way, as
 * platforms lose them. Forwarding keeps the plugin's retries out of the reconciliation check.
 */
const connectionString = inject('databaseUrl');
const SECRET = 'vendure-e2e-webhook-secret';
const PASSWORD = 'vendure-e2e-password';
const POLL_MS = 60_000;

let vendure: VendureFixture;
let shop: VendureAdapter;
let app: FastifyInstance;
let relay: Server;
let tenant: TestTenant;
let connectionId: string;
let peakdeskUrl: string;
let losePushes = false;
/** Every delivery the plugin made, forwarded or lost: order code and event id. */
const deliveries: { code: string; eventId: string; lost: boolean }[] = [];
const timings: Record<string, number> = {};

async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings[name] = Math.round(performance.now() - started);
  }
}

function startRelay(): Promise<string> {
  relay = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const parsed = JSON.parse(body.toString()) as { id: string; order: { code: string } };
      deliveries.push({ code: parsed.order.code, eventId: parsed.id, lost: losePushes });
      if (losePushes) {
        response.writeHead(204).end();
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of [
        'content-type',
        'x-peakdesk-event-id',
        'x-peakdesk-timestamp',
        'x-peakdesk-signature',
      ]) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      fetch(`${peakdeskUrl}${request.url ?? '/'}`, { method: 'POST', headers, body }).then(
        async (forwarded) => {
          response.writeHead(forwarded.status).end(await forwarded.text());
        },
        () => response.writeHead(502).end(),
      );
    });
  });
  return new Promise((resolve) =>
    relay.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(relay.address() as AddressInfo).port}`)),
  );
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

/** The newest shipped or delivered, unrefunded order with a tracking code. */
async function trackedOrder(skip: readonly string[] = []): Promise<Order> {
  const page = await shop.listChangedOrders('2000-01-01T00:00:00.000Z', undefined, 100);
  for (const summary of [...page.items].reverse()) {
    if (skip.includes(summary.orderNumber)) continue;
    const order = await shop.getOrder({ orderId: summary.externalId });
    if (
      order &&
      (order.status === 'shipped' || order.status === 'delivered') &&
      order.totals.refunded.amountMinor === 0 &&
      order.shipments.some((s) => s.trackingNumber)
    ) {
      return order;
    }
  }
  throw new Error('no shipped order with a tracking code');
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
  const relayUrl = await startRelay();
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
      webhookUrl: `${relayUrl}${created.data.webhookPath as string}`,
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
  await new Promise((resolve) => relay?.close(resolve));
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
    order = await trackedOrder();
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
    expect(deliveries.some((d) => d.code === order.orderNumber && !d.lost)).toBe(true);

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

    losePushes = true;
    const lostFrom = deliveries.length;
    try {
      await shop.addOrderNote({
        orderId: order.externalId,
        body: 'Customer called about the refund',
        visibility: 'internal',
        idempotencyKey: `e2e-note-${order.externalId}`,
      });
      // The plugin has seen the note (and moved the order's updatedAt) once it tried to deliver it.
      await eventually('the lost delivery of the note', async () =>
        deliveries.slice(lostFrom).some((d) => d.code === order.orderNumber && d.lost) ? true : undefined,
      );
    } finally {
      losePushes = false;
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
