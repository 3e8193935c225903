import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sweepOutbox, backoffDelay } from '../src/modules/events/outbox.sweep.ts';
import { isValidSignature, signPayload } from '../src/modules/events/signature.ts';
import { call, createTestShop, findRefundableOrder, type TestShop } from './helpers.ts';

const SECRET = 'test-webhook-secret';

describe('webhook signatures', () => {
  const body = '{"id":"evt_1","type":"order.paid"}';
  const signature = signPayload(SECRET, 1_800_000_000, body);

  it.each([
    ['the exact body, timestamp and secret', SECRET, 1_800_000_000, body, signature, true],
    ['a changed body', SECRET, 1_800_000_000, body.replace('paid', 'shipped'), signature, false],
    ['a replayed request with a new timestamp', SECRET, 1_800_000_999, body, signature, false],
    ['another secret', 'other-secret', 1_800_000_000, body, signature, false],
    ['a truncated signature', SECRET, 1_800_000_000, body, signature.slice(0, 20), false],
    ['a garbage signature', SECRET, 1_800_000_000, body, 'sha256=nothex', false],
  ])('with %s: valid=%s', (_label, secret, timestamp, raw, sig, expected) => {
    expect(isValidSignature(secret, timestamp, raw, sig)).toBe(expected);
  });

  it('is sha256=<64 hex>', () => {
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});

describe('backoff', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [5, 16000],
    [30, 600_000],
  ])('attempt %i waits about %i ms', (attempts, expected) => {
    expect(backoffDelay(attempts, 1000, () => 0.5)).toBe(expected);
    expect(backoffDelay(attempts, 1000, () => 0)).toBe(Math.round(expected * 0.8));
  });
});

describe('outbox delivery', () => {
  let shop: TestShop;
  let receiver: Server;
  let url: string;
  const received: { eventId: string; valid: boolean; body: any }[] = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    shop = await createTestShop({ orders: 100 });
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks);
        const valid = isValidSignature(
          SECRET,
          Number(request.headers['x-demoshop-timestamp']),
          raw,
          String(request.headers['x-demoshop-signature']),
        );
        if (failuresLeft > 0) {
          failuresLeft--;
          response.writeHead(500).end();
          return;
        }
        received.push({
          eventId: String(request.headers['x-demoshop-event-id']),
          valid,
          body: JSON.parse(raw.toString()),
        });
        response.writeHead(valid ? 204 : 401).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver.close(resolve));
    await shop.close();
  });

  const options = () => ({
    webhookUrl: url,
    secret: SECRET,
    timeoutMs: 2000,
    backoffMs: 0,
    duplicateRate: 0,
  });

  it('delivers signed events, retrying with backoff until the receiver accepts', async () => {
    const order = await findRefundableOrder(shop.pool);
    await call(shop.app, 'POST', `/api/orders/${order.id}/refunds`, {
      amount: { amountMinor: 100, currency: 'CNY' },
      reason: 'test',
      idempotencyKey: 'events-test-refund-1',
    });
    failuresLeft = 2;
    const first = await sweepOutbox(shop.pool, options());
    expect(first).toMatchObject({ claimed: 1, delivered: 0, failed: 1 });
    await sweepOutbox(shop.pool, options());
    const third = await sweepOutbox(shop.pool, options());
    expect(third).toMatchObject({ claimed: 1, delivered: 1 });
    expect(received).toHaveLength(1);
    expect(received[0]!.valid).toBe(true);
    expect(received[0]!.body).toMatchObject({
      type: 'refund.succeeded',
      orderId: order.id,
      id: received[0]!.eventId,
    });
    const { rows } = await shop.pool.query(
      `SELECT attempts, delivered_at IS NOT NULL AS delivered FROM outbox`,
    );
    expect(rows).toEqual([{ attempts: 3, delivered: true }]);
    expect(await sweepOutbox(shop.pool, options())).toMatchObject({ claimed: 0 });
  });

  it('schedules a failed event for later instead of retrying it at once', async () => {
    const order = await findRefundableOrder(shop.pool, 1);
    await call(shop.app, 'POST', `/api/orders/${order.id}/refunds`, {
      amount: { amountMinor: 100, currency: 'CNY' },
      reason: 'test',
      idempotencyKey: 'events-test-refund-2',
    });
    failuresLeft = 1;
    expect(await sweepOutbox(shop.pool, { ...options(), backoffMs: 60_000 })).toMatchObject({ failed: 1 });
    expect(await sweepOutbox(shop.pool, options())).toMatchObject({ claimed: 0 });
    const { rows } = await shop.pool.query<{ lastError: string }>(
      `SELECT last_error AS "lastError" FROM outbox WHERE delivered_at IS NULL AND next_attempt_at > now() + interval '40 seconds'`,
    );
    expect(rows[0]!.lastError).toContain('500');
    await shop.pool.query(`UPDATE outbox SET next_attempt_at = now() WHERE delivered_at IS NULL`);
    expect(await sweepOutbox(shop.pool, options())).toMatchObject({ delivered: 1 });
  });

  it('sends duplicates when asked to, with the same event id', async () => {
    received.length = 0;
    const order = await findRefundableOrder(shop.pool, 2);
    await call(shop.app, 'POST', `/api/orders/${order.id}/notes`, {
      body: 'x',
      visibility: 'internal',
      idempotencyKey: 'events-note-1',
    });
    await call(shop.app, 'POST', `/api/orders/${order.id}/refunds`, {
      amount: { amountMinor: 100, currency: 'CNY' },
      reason: 'test',
      idempotencyKey: 'events-test-refund-3',
    });
    const result = await sweepOutbox(shop.pool, { ...options(), duplicateRate: 1 });
    expect(result).toMatchObject({ delivered: 1, duplicates: 1 });
    expect(received).toHaveLength(2);
    expect(received[0]!.eventId).toBe(received[1]!.eventId);
  });

  it('runs a bounded surge of orders and events that stops by itself', async () => {
    const before = await shop.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders`);
    const started = await call(shop.app, 'POST', '/admin/surge', {
      orders: 30,
      eventsPerSecond: 200,
      durationSeconds: 1,
    });
    expect(started.status).toBe(202);
    expect(
      (await call(shop.app, 'POST', '/admin/surge', { orders: 1, eventsPerSecond: 1, durationSeconds: 1 }))
        .status,
    ).toBe(409);
    await vi.waitFor(
      async () => expect((await call(shop.app, 'GET', '/admin/surge')).body.running).toBe(false),
      {
        timeout: 10_000,
        interval: 100,
      },
    );
    const status = (await call(shop.app, 'GET', '/admin/surge')).body;
    expect(status.error ?? null).toBeNull();
    expect(status.ordersCreated).toBe(30);
    const after = await shop.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders`);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n + 30);
    const events = await shop.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE delivered_at IS NULL`,
    );
    expect(events.rows[0]!.n).toBe(status.eventsEmitted);
    expect(status.eventsEmitted).toBeGreaterThan(30);
  });
});
