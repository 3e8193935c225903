import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeShopAdapterContract } from './contract/shop-adapter.contract.ts';
import { ShopError } from './errors.ts';
import type { Order } from './types.ts';
import { VENDURE_ADAPTER_PERMISSIONS, VendureAdapter } from './vendure.adapter.ts';

/**
 * A real Vendure server (apps/vendure-fixture: Vendure 3.7 on sql.js, the sample catalogue, 60 orders placed
 * through the Shop API, PeakDesk's webhook plugin) started as its own process on a free port, as PeakDesk
 * would talk to it; then the shared contract and what is particular to Vendure. `npm run test:vendure`.
 */
const BIN = fileURLToPath(new URL('../../../apps/vendure-fixture/bin/vendure-fixture.js', import.meta.url));
const SECRET = 'vendure-contract-webhook-secret';
const PASSWORD = 'vendure-contract-password';

interface Delivery {
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

let vendure: ChildProcess;
let receiver: Server;
let adminApiUrl: string;
let adapter: VendureAdapter;
let since: string;
const deliveries: Delivery[] = [];
/** Answer this many deliveries with 503, to see the plugin retry. */
let failNext = 0;
const failedEventIds: string[] = [];

const newAdapter = () =>
  new VendureAdapter({
    adminApiUrl,
    auth: { username: 'superadmin', password: PASSWORD },
    webhookSecret: SECRET,
    timeoutMs: 5000,
  });

async function startVendure(webhookUrl: string): Promise<string> {
  vendure = spawn(process.execPath, [BIN, 'start'], {
    env: {
      ...process.env,
      PORT: '0',
      VENDURE_FIXTURE_ORDERS: '60',
      VENDURE_FIXTURE_SUPERADMIN_PASSWORD: PASSWORD,
      VENDURE_FIXTURE_WEBHOOK_URL: webhookUrl,
      VENDURE_FIXTURE_WEBHOOK_SECRET: SECRET,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  vendure.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    vendure.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { adminApiUrl: string }).adminApiUrl);
    });
    vendure.once('exit', (code) => reject(new Error(`Vendure exited (${code}): ${errors}`)));
  });
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (failNext > 0) {
        failNext--;
        failedEventIds.push(String(request.headers['x-peakdesk-event-id']));
        response.writeHead(503).end();
        return;
      }
      deliveries.push({ headers: request.headers, rawBody: Buffer.concat(chunks) });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  since = new Date(Date.now() - 60_000).toISOString();
  adminApiUrl = await startVendure(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/vendure`);
  adapter = newAdapter();
});

afterAll(async () => {
  if (vendure && vendure.exitCode === null) {
    const exited = new Promise((resolve) => vendure.once('exit', resolve));
    vendure.kill('SIGTERM');
    await exited;
  }
  await new Promise((resolve) => receiver?.close(resolve));
});

describeShopAdapterContract('vendure', () => adapter, '2026-01-01T00:00:00.000Z', {
  finishedStatus: 'delivered',
});

/** Orders the contract leaves alone: it takes the first delivered, unrefunded ones. */
async function lastOrder(accept: (o: Order) => boolean): Promise<Order> {
  const summaries = [];
  let cursor: string | undefined;
  do {
    const page = await adapter.listChangedOrders(since, cursor, 100);
    summaries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  for (const summary of summaries.reverse()) {
    const order = await adapter.getOrder({ orderId: summary.externalId });
    if (order && accept(order)) return order;
  }
  throw new Error('no order fits');
}

const unrefundedDelivered = (o: Order) => o.status === 'delivered' && o.totals.refunded.amountMinor === 0;

let adminToken: string | undefined;

/** The shop's back office (the Admin API as staff use it), for changes the adapter does not make. */
async function admin<T = unknown>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const call = async (q: string, v: Record<string, unknown>) => {
    const response = await fetch(adminApiUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(adminToken ? { authorization: `Bearer ${adminToken}` } : {}),
      },
      body: JSON.stringify({ query: q, variables: v }),
    });
    adminToken = response.headers.get('vendure-auth-token') ?? adminToken;
    const json = (await response.json()) as { data: T; errors?: unknown[] };
    expect(json.errors).toBeUndefined();
    return json.data;
  };
  if (!adminToken) {
    await call(`mutation($p: String!) { login(username: "superadmin", password: $p) { __typename } }`, {
      p: PASSWORD,
    });
  }
  return call(query, variables);
}

function waitForDelivery(accept: (body: Record<string, unknown>) => boolean): Promise<Delivery> {
  return vi.waitFor(
    () => {
      const found = deliveries.find((d) =>
        accept(JSON.parse(d.rawBody.toString()) as Record<string, unknown>),
      );
      if (!found) throw new Error('not delivered yet');
      return found;
    },
    { timeout: 15_000, interval: 50 },
  );
}

describe('VendureAdapter', () => {
  it('declares what Vendure has: seller refunds, coupons, notes, tracking codes; no returns, points or exchanges', async () => {
    expect(await adapter.capabilities()).toMatchObject({
      sellerInitiatedRefund: true,
      partialAmountRefund: true,
      sellerInitiatedReturn: false,
      exchange: false,
      afterSaleResponses: false,
      coupons: true,
      points: false,
      storeCredit: false,
      tracking: true,
      priceHistory: false,
      piiMasked: false,
      currencies: ['USD'],
    });
    await expect(adapter.getMember('1')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('reads an order by its code with lines, payments and fulfilments with carrier and tracking code', async () => {
    const order = await lastOrder((o) => o.status === 'partially_shipped');
    expect(order.rawStatus).toBe('PartiallyShipped');
    expect(order.payments[0]).toMatchObject({
      status: 'succeeded',
      rawStatus: 'Settled',
      method: 'standard-payment',
    });
    const shipment = order.shipments[0]!;
    expect(shipment.trackingNumber).not.toBe('');
    expect(['sf', 'dhl', 'ups', 'royalmail']).toContain(shipment.carrierCode);
    expect(shipment).toMatchObject({ status: 'in_transit', rawStatus: 'Shipped' });
    expect(order.lines.every((l) => Number.isInteger(l.total.amountMinor) && l.sku !== '')).toBe(true);
    expect(await adapter.getOrder({ orderNumber: order.orderNumber })).toEqual(order);
    expect(order.customer.email!.value).toMatch(/@example\.com$/);
  });

  it('finds a customer’s orders by email', async () => {
    const order = await lastOrder((o) => Boolean(o.customer.email));
    const page = await adapter.searchOrders({ email: order.customer.email!.value });
    expect(page.items.map((s) => s.externalId)).toContain(order.externalId);
    expect(page.items.every((s) => s.customerId === order.customer.externalId)).toBe(true);
  });

  it('refunds once for concurrent calls from two adapter instances and for a later retry', async () => {
    const order = await lastOrder(unrefundedDelivered);
    const input = {
      orderId: order.externalId,
      amount: { amountMinor: 500, currency: order.currency },
      reason: 'Late delivery',
      idempotencyKey: `vendure:refund:${order.externalId}`,
    };
    const [a, b] = await Promise.all([adapter.issueRefund(input), newAdapter().issueRefund(input)]);
    const retried = await newAdapter().issueRefund(input);
    expect(new Set([a.externalId, b.externalId, retried.externalId]).size).toBe(1);
    expect(a).toMatchObject({ status: 'succeeded', rawStatus: 'Settled', reason: 'Late delivery' });
    const after = (await adapter.getOrder({ orderId: order.externalId }))!;
    expect(after.payments.flatMap((p) => p.refunds)).toHaveLength(1);
    expect(after.totals.refunded.amountMinor).toBe(500);
    const conflicting = newAdapter().issueRefund({ ...input, amount: { ...input.amount, amountMinor: 600 } });
    await expect(conflicting).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
  });

  it('takes an item back by cancelling the line and refunding it, once per key', async () => {
    const order = await lastOrder((o) => o.status === 'shipped' && o.totals.refunded.amountMinor === 0);
    const line = order.lines[0]!;
    const input = {
      orderId: order.externalId,
      lines: [{ orderLineId: line.externalId, quantity: 1 }],
      reason: 'Wrong size, returned to the warehouse',
      idempotencyKey: `vendure:cancel:${order.externalId}`,
    };
    const [a, b] = await Promise.all([
      adapter.cancelLinesAndRefund(input),
      adapter.cancelLinesAndRefund(input),
    ]);
    const retried = await newAdapter().cancelLinesAndRefund(input);
    expect(new Set([a.refund!.externalId, b.refund!.externalId, retried.refund!.externalId]).size).toBe(1);
    expect(a.refund!.amount.amountMinor).toBe(line.paidUnitPrice.amountMinor);
    const after = retried.order;
    expect(after.lines.find((l) => l.externalId === line.externalId)!.quantity).toBe(line.quantity - 1);
    expect(after.totals.total.amountMinor).toBe(
      order.totals.total.amountMinor - line.paidUnitPrice.amountMinor,
    );
    expect(after.totals.paid.amountMinor - after.totals.refunded.amountMinor).toBe(
      after.totals.total.amountMinor,
    );
    const tooMany = newAdapter().cancelLinesAndRefund({
      ...input,
      lines: [{ orderLineId: line.externalId, quantity: line.quantity + 1 }],
      idempotencyKey: `vendure:cancel-too-many:${order.externalId}`,
    });
    await expect(tooMany).rejects.toMatchObject({ code: 'REJECTED' });
  });

  it('grants a single-use coupon once per key and refuses points', async () => {
    const order = await lastOrder((o) => o.status === 'shipped');
    const grant = {
      customerId: order.customer.externalId,
      kind: 'coupon' as const,
      amount: { amountMinor: 1000, currency: order.currency },
      reason: 'Parcel late',
      orderId: order.externalId,
      idempotencyKey: `vendure:coupon:${order.externalId}`,
    };
    const [a, b] = await Promise.all([adapter.issueCompensation(grant), adapter.issueCompensation(grant)]);
    const retried = await newAdapter().issueCompensation(grant);
    expect(a.couponCode).toMatch(/^PD-[0-9A-F]{12}$/);
    expect(new Set([a.externalId, b.externalId, retried.externalId]).size).toBe(1);
    await expect(
      adapter.issueCompensation({ ...grant, kind: 'points', points: 100, idempotencyKey: 'vendure:points' }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('lists an order the back office shipped since a time, and sends its fulfilment with the tracking code', async () => {
    const order = await lastOrder((o) => o.status === 'paid');
    const from = new Date().toISOString();
    const fulfillment = await admin<{ addFulfillmentToOrder: { id: string } }>(
      `mutation($input: FulfillOrderInput!) { addFulfillmentToOrder(input: $input) { ... on Fulfillment { id } } }`,
      {
        input: {
          lines: order.lines.map((l) => ({ orderLineId: l.externalId, quantity: l.quantity })),
          handler: {
            code: 'manual-fulfillment',
            arguments: [
              { name: 'method', value: 'SF Express' },
              { name: 'trackingCode', value: 'SF1234567890123' },
            ],
          },
        },
      },
    );
    await admin(
      `mutation($id: ID!) { transitionFulfillmentToState(id: $id, state: "Shipped") { __typename } }`,
      {
        id: fulfillment.addFulfillmentToOrder.id,
      },
    );
    // Vendure itself leaves updatedAt alone on a state change; the plugin moves it after the commit.
    const changed = await vi.waitFor(
      async () => {
        const page = await adapter.listChangedOrders(from);
        if (!page.items.some((s) => s.externalId === order.externalId)) throw new Error('not listed yet');
        return page;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(changed.items.find((s) => s.externalId === order.externalId)).toMatchObject({ status: 'shipped' });
    expect(changed.items.every((s) => s.updatedAt >= `${from.slice(0, 19)}.000Z`)).toBe(true);

    const delivery = await waitForDelivery(
      (b) =>
        b.topic === 'ORDER_FULFILLMENT_TRANSITION' &&
        (b.order as { id: string }).id === order.externalId &&
        (b.data as { to?: string }).to === 'Shipped',
    );
    const [event] = adapter.parseWebhook({ headers: delivery.headers, rawBody: delivery.rawBody });
    expect(event).toMatchObject({
      type: 'shipment.updated',
      orderNumber: order.orderNumber,
      shipment: { carrierCode: 'sf', trackingNumber: 'SF1234567890123', status: 'in_transit' },
    });
  });

  it('delivers signed webhooks (retried after failures) that the adapter verifies and rejects when tampered', async () => {
    const order = await lastOrder(unrefundedDelivered);
    failNext = 2;
    const refund = await adapter.issueRefund({
      orderId: order.externalId,
      amount: { amountMinor: 250, currency: order.currency },
      reason: 'Price protection',
      idempotencyKey: `vendure:webhook-refund:${order.externalId}`,
    });
    const delivery = await waitForDelivery(
      (b) =>
        b.topic === 'ORDER_REFUND_TRANSITION' &&
        (b.order as { id: string }).id === order.externalId &&
        (b.data as { to?: string }).to === 'Settled',
    );
    expect(failedEventIds).toHaveLength(2);
    await vi.waitFor(
      () => {
        const delivered = new Set(deliveries.map((d) => d.headers['x-peakdesk-event-id']));
        if (!failedEventIds.every((id) => delivered.has(id))) throw new Error('not retried yet');
      },
      { timeout: 15_000, interval: 100 },
    );
    const [event] = adapter.parseWebhook({ headers: delivery.headers, rawBody: delivery.rawBody });
    const after = (await adapter.getOrder({ orderId: order.externalId }))!;
    expect(event).toMatchObject({
      type: 'refund.succeeded',
      orderId: order.externalId,
      orderNumber: order.orderNumber,
      rawType: 'ORDER_REFUND_TRANSITION',
    });
    expect(event!.eventId).toBe(delivery.headers['x-peakdesk-event-id']);
    expect(event!.orderVersion).toBeGreaterThan(order.version);
    expect(event!.orderVersion).toBeLessThanOrEqual(after.version);
    expect(after.payments.flatMap((p) => p.refunds).map((r) => r.externalId)).toContain(refund.externalId);

    const tampered = Buffer.from(delivery.rawBody.toString().replace('"Settled"', '"Failed"'));
    expect(() => adapter.parseWebhook({ headers: delivery.headers, rawBody: tampered })).toThrow(ShopError);
    const forged = { ...delivery.headers, 'x-peakdesk-signature': `sha256=${'0'.repeat(64)}` };
    expect(() => adapter.parseWebhook({ headers: forged, rawBody: delivery.rawBody })).toThrow(/signature/);
    const later = new Date(Number(delivery.headers['x-peakdesk-timestamp']) * 1000 + 3_600_000);
    expect(() =>
      adapter.parseWebhook({ headers: delivery.headers, rawBody: delivery.rawBody, now: later }),
    ).toThrow(/replay window/);
    const other = new VendureAdapter({ adminApiUrl, auth: { apiKey: 'x' }, webhookSecret: 'another secret' });
    expect(() => other.parseWebhook({ headers: delivery.headers, rawBody: delivery.rawBody })).toThrow(
      expect.objectContaining({ code: 'BAD_SIGNATURE' }) as Error,
    );
  });

  it('works with an Admin API key whose role has only the permissions the adapter needs', async () => {
    const { createRole } = await admin<{ createRole: { id: string } }>(
      `mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }`,
      { input: { code: 'peakdesk', description: 'PeakDesk', permissions: [...VENDURE_ADAPTER_PERMISSIONS] } },
    );
    const { createApiKey } = await admin<{ createApiKey: { apiKey: string } }>(
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey } }`,
      { input: { roleIds: [createRole.id], translations: [{ languageCode: 'en', name: 'PeakDesk' }] } },
    );
    const keyed = new VendureAdapter({
      adminApiUrl,
      auth: { apiKey: createApiKey.apiKey },
      webhookSecret: SECRET,
    });
    const order = await lastOrder((o) => o.status === 'shipped');
    expect(await keyed.getOrder({ orderNumber: order.orderNumber })).toEqual(
      await adapter.getOrder({ orderNumber: order.orderNumber }),
    );
    const note = await keyed.addOrderNote({
      orderId: order.externalId,
      body: 'via API key',
      visibility: 'internal',
      idempotencyKey: `vendure:key-note:${order.externalId}`,
    });
    expect(note.body).toBe('via API key');
    const coupon = await keyed.issueCompensation({
      customerId: order.customer.externalId,
      kind: 'coupon',
      amount: { amountMinor: 300, currency: order.currency },
      reason: 'API key',
      idempotencyKey: `vendure:key-coupon:${order.externalId}`,
    });
    expect(coupon.couponCode).toMatch(/^PD-/);
    const revoked = new VendureAdapter({ adminApiUrl, auth: { apiKey: 'not-a-key' }, webhookSecret: SECRET });
    await expect(revoked.getOrder({ orderId: order.externalId })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('reports an unreachable shop as retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const gone = new VendureAdapter({
      adminApiUrl: `http://127.0.0.1:${port}/admin-api`,
      auth: { apiKey: 'x' },
      webhookSecret: SECRET,
    });
    await expect(gone.capabilities()).rejects.toMatchObject({ code: 'UNAVAILABLE', isRetryable: true });
  });

  it('reports a wrong password as unauthorised and an unknown order as null', async () => {
    const wrong = new VendureAdapter({
      adminApiUrl,
      auth: { username: 'superadmin', password: 'wrong' },
      webhookSecret: SECRET,
    });
    await expect(wrong.capabilities()).rejects.toMatchObject({ code: 'UNAUTHORIZED', isRetryable: false });
    expect(await adapter.getOrder({ orderId: '999999' })).toBeNull();
  });
});
