import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, call, createTestShop, type TestShop } from './helpers.ts';

let shop: TestShop;
let base: string;
beforeAll(async () => {
  shop = await createTestShop({ orders: 50, chaosHangMs: 1_000 });
  await shop.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(shop.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => shop.close());

describe('chaos switches', () => {
  it('fails every API call at failureRate 1 while health and admin keep working, and recovers when reset', async () => {
    await call(shop.app, 'POST', '/admin/chaos', { failureRate: 1 });
    const failed = await call(shop.app, 'GET', '/api/capabilities');
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('CHAOS_FAILURE');
    expect((await shop.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await call(shop.app, 'POST', '/admin/chaos', {});
    expect((await call(shop.app, 'GET', '/api/capabilities')).status).toBe(200);
  });

  it('adds the configured latency', async () => {
    await call(shop.app, 'POST', '/admin/chaos', { latencyMs: 300 });
    const started = performance.now();
    const response = await call(shop.app, 'GET', '/api/capabilities');
    const elapsed = performance.now() - started;
    await call(shop.app, 'POST', '/admin/chaos', {});
    expect(response.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(290);
  });

  it('holds requests without an answer at timeoutRate 1, so clients hit their own timeout', async () => {
    await call(shop.app, 'POST', '/admin/chaos', { timeoutRate: 1 });
    const attempt = fetch(`${base}/api/capabilities`, { headers: AUTH, signal: AbortSignal.timeout(300) });
    await expect(attempt).rejects.toThrow(/timeout|aborted/i);
    expect((await call(shop.app, 'GET', '/admin/chaos')).body.timeoutRate).toBe(1);
    await call(shop.app, 'POST', '/admin/chaos', {});
    const ok = await fetch(`${base}/api/capabilities`, { headers: AUTH, signal: AbortSignal.timeout(2000) });
    expect(ok.status).toBe(200);
  });
});
