import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeShopAdapterContract } from './contract/shop-adapter.contract.ts';
import { DemoShopAdapter } from './demo-shop.adapter.ts';
import { ShopError } from './errors.ts';

/**
 * Runs the real demo shop as its own process (listening on port 0), as PeakDesk will talk to it, and checks
 * the adapter against it: the shared contract, then what is particular to the demo shop.
 */
const DATABASE_URL =
  process.env.DEMO_SHOP_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `demo_shop_c_${randomBytes(5).toString('hex')}`;
const API_KEY = 'contract-key';
const SECRET = 'contract-webhook-secret';
const BIN = fileURLToPath(new URL('../../../apps/demo-shop/bin/demo-shop.js', import.meta.url));

let shop: ChildProcess;
let baseUrl: string;
let adapter: DemoShopAdapter;
let receiver: Server;
const deliveries: { headers: IncomingHttpHeaders; rawBody: Buffer }[] = [];

async function startShop(webhookUrl: string): Promise<string> {
  shop = spawn(process.execPath, [BIN, 'start'], {
    env: {
      ...process.env,
      PORT: '0',
      DEMO_SHOP_DATABASE_URL: DATABASE_URL,
      DEMO_SHOP_SCHEMA: SCHEMA,
      DEMO_SHOP_ORDERS: '300',
      DEMO_SHOP_API_KEY: API_KEY,
      DEMO_SHOP_WEBHOOK_URL: webhookUrl,
      DEMO_SHOP_WEBHOOK_SECRET: SECRET,
      DEMO_SHOP_OUTBOX_INTERVAL_MS: '50',
      DEMO_SHOP_DUPLICATE_RATE: '0',
      DEMO_SHOP_CHAOS_HANG_MS: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  shop.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    shop.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`);
    });
    shop.once('exit', (code) => reject(new Error(`demo shop exited (${code}): ${errors}`)));
  });
}

async function admin(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({ headers: request.headers, rawBody: Buffer.concat(chunks) });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  baseUrl = await startShop(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`);
  adapter = new DemoShopAdapter({ baseUrl, apiKey: API_KEY, webhookSecret: SECRET, timeoutMs: 2000 });
});

afterAll(async () => {
  if (shop && shop.exitCode === null) {
    const exited = new Promise((resolve) => shop.once('exit', resolve));
    shop.kill('SIGTERM');
    await exited;
  }
  await new Promise((resolve) => receiver?.close(resolve));
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await client.end();
});

describeShopAdapterContract('demo shop', () => adapter, '2026-10-01T00:00:00.000Z');

describe('DemoShopAdapter', () => {
  it('declares seller refunds, exchanges, points and price history', async () => {
    expect(await adapter.capabilities()).toMatchObject({
      sellerInitiatedRefund: true,
      exchange: true,
      points: true,
      priceHistory: true,
      platformPriceProtection: false,
      piiMasked: false,
    });
  });

  it('marks personal data as masked when the shop masks it', async () => {
    const page = await adapter.listChangedOrders('2026-10-01T00:00:00.000Z', undefined, 1);
    await admin('/admin/settings', { piiMasked: true });
    const masked = await adapter.getOrder({ orderId: page.items[0]!.externalId });
    await admin('/admin/settings', { piiMasked: false });
    expect(masked!.shippingAddress!.phone).toMatchObject({
      masked: true,
      value: expect.stringMatching(/^\d{3}\*{4}\d{4}$/),
    });
    expect(masked!.customer.phone!.masked).toBe(true);
  });

  it('reads a price history with campaign, flash-sale and member-only prices', async () => {
    const points = await adapter.getPriceHistory({
      sku: 'P1001-1',
      from: '2026-10-01T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
    });
    expect(points.map((p) => p.kind)).toContain('campaign');
    expect(points.every((p) => Number.isInteger(p.price.amountMinor) && p.price.currency === 'CNY')).toBe(
      true,
    );
  });

  it('reads members with their normalised tier and the shop tier name', async () => {
    const page = await adapter.listChangedOrders('2026-10-01T00:00:00.000Z', undefined, 1);
    const member = await adapter.getMember(page.items[0]!.customerId);
    expect(['regular', 'silver', 'gold', 'black_diamond']).toContain(member!.tier);
    expect(['普通', '银卡', '金卡', '黑钻']).toContain(member!.rawTier);
    expect(await adapter.getMember('NO-SUCH-MEMBER')).toBeNull();
  });

  it('accepts the signed events the shop delivers and rejects tampered or replayed ones', async () => {
    const page = await adapter.listChangedOrders('2026-10-01T00:00:00.000Z', undefined, 100);
    const order = (await adapter.getOrder({ orderId: page.items[99]!.externalId }))!;
    await adapter.addOrderNote({
      orderId: order.externalId,
      body: 'x',
      visibility: 'internal',
      idempotencyKey: 'events:note:1',
    });
    const refund = await adapter.issueRefund({
      orderId: order.externalId,
      amount: { amountMinor: 1, currency: 'CNY' },
      reason: 'event test',
      idempotencyKey: `events:refund:${order.externalId}`,
    });
    const delivery = await vi.waitFor(
      () => {
        const found = deliveries.find((d) => d.rawBody.toString().includes(refund.externalId));
        if (!found) throw new Error('not delivered yet');
        return found;
      },
      { timeout: 10_000, interval: 50 },
    );
    const [event] = adapter.parseWebhook({ headers: delivery.headers, rawBody: delivery.rawBody });
    expect(event).toMatchObject({
      type: 'refund.succeeded',
      orderId: order.externalId,
      orderNumber: order.orderNumber,
    });
    expect(event!.orderVersion).toBeGreaterThan(order.version);

    const tampered = Buffer.from(delivery.rawBody.toString().replace('"amountMinor":1', '"amountMinor":100'));
    expect(() => adapter.parseWebhook({ headers: delivery.headers, rawBody: tampered })).toThrow(ShopError);
    const later = new Date(Number(delivery.headers['x-demoshop-timestamp']) * 1000 + 3_600_000);
    expect(() =>
      adapter.parseWebhook({ headers: delivery.headers, rawBody: delivery.rawBody, now: later }),
    ).toThrow(/replay window/);
    const forged = { ...delivery.headers, 'x-demoshop-signature': `sha256=${'0'.repeat(64)}` };
    expect(() => adapter.parseWebhook({ headers: forged, rawBody: delivery.rawBody })).toThrow(/signature/);
  });

  it('turns shop failures into retryable errors and a hanging shop into a timeout', async () => {
    await admin('/admin/chaos', { failureRate: 1 });
    await expect(adapter.capabilities()).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      isRetryable: true,
      status: 503,
    });
    await admin('/admin/chaos', { timeoutRate: 1 });
    const impatient = new DemoShopAdapter({
      baseUrl,
      apiKey: API_KEY,
      webhookSecret: SECRET,
      timeoutMs: 200,
    });
    await expect(impatient.capabilities()).rejects.toMatchObject({ code: 'TIMEOUT', isRetryable: true });
    await admin('/admin/chaos', {});
    expect((await adapter.capabilities()).sellerInitiatedRefund).toBe(true);
  });

  it('keeps the order line a price-protection refund was for', async () => {
    const page = await adapter.listChangedOrders('2026-10-01T00:00:00.000Z', undefined, 100);
    const order = (await adapter.getOrder({ orderId: page.items[98]!.externalId }))!;
    const line = order.lines[0]!;
    const refund = await adapter.issueRefund({
      orderId: order.externalId,
      amount: { amountMinor: 50, currency: 'CNY' },
      reason: '价保差价',
      orderLineId: line.externalId,
      idempotencyKey: `pp:${order.externalId}:${line.externalId}:campaign`,
    });
    expect(refund.orderLineId).toBe(line.externalId);
    const after = (await adapter.getOrder({ orderId: order.externalId }))!;
    const stored = after.payments.flatMap((p) => p.refunds).find((r) => r.externalId === refund.externalId);
    expect(stored).toEqual(refund);
  });

  it('reports a wrong API key as unauthorised', async () => {
    const wrong = new DemoShopAdapter({ baseUrl, apiKey: 'wrong', webhookSecret: SECRET });
    await expect(wrong.capabilities()).rejects.toMatchObject({ code: 'UNAUTHORIZED', isRetryable: false });
  });
});
