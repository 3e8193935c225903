import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { adapterFor, adapterKinds, credentialProblem } from './adapter-registry.ts';
import type { ShopConnection } from './shop-connection.repository.ts';

describe('adapter kinds', () => {
  it('registers the demo shop, Shopify and Vendure', () => {
    expect(adapterKinds()).toEqual(expect.arrayContaining(['demo-shop', 'shopify', 'vendure']));
  });

  it.each([
    ['vendure', { apiKey: 'key' }, undefined],
    ['vendure', { username: 'superadmin', password: 'pw' }, undefined],
    ['vendure', { apiKey: 'key', channelToken: 'eu' }, undefined],
    ['vendure', {}, 'apiKey, or username and password'],
    ['vendure', { username: 'superadmin' }, 'apiKey, or username and password'],
    ['vendure', { password: 'pw' }, 'apiKey, or username and password'],
    ['vendure', { apiKey: 'key', password: 'pw' }, 'not both'],
    ['vendure', { apiKey: 'key', token: 'x' }, 'no credentials named: token'],
    ['shopify', { accessToken: 'shpat' }, undefined],
    ['shopify', {}, 'needs credentials: accessToken'],
    ['demo-shop', {}, 'needs credentials: apiKey'],
  ])('%s with %j: %s', (kind, credentials: Record<string, string>, problem) => {
    const found = credentialProblem(kind, credentials);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});

describe('the vendure kind', () => {
  const connection = {
    tenantId: 't',
    id: 'c',
    kind: 'vendure',
    name: 'Vendure',
    baseUrl: 'http://127.0.0.1:3000/admin-api',
    settings: {},
  } as unknown as ShopConnection;
  const now = new Date('2026-11-11T00:00:00.000Z');
  const body = JSON.stringify({
    id: 'vendure-history-7',
    topic: 'ORDER_NOTE',
    occurredAt: now.toISOString(),
    order: { id: '3', code: 'ABC123', state: 'Shipped', updatedAt: now.toISOString(), version: 7 },
    data: { note: 'hello' },
  });
  const signed = (secret: string) => {
    const timestamp = now.getTime() / 1000;
    const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    return {
      headers: { 'x-peakdesk-timestamp': String(timestamp), 'x-peakdesk-signature': `sha256=${signature}` },
      rawBody: Buffer.from(body),
      now,
    };
  };

  it('verifies webhooks with the connection webhook secret (the plugin secret)', () => {
    const adapter = adapterFor(connection, { credentials: { apiKey: 'k' }, webhookSecret: 'plugin-secret' });
    expect(adapter.platform).toBe('vendure');
    expect(adapter.parseWebhook(signed('plugin-secret'))).toEqual([
      expect.objectContaining({ eventId: 'vendure-history-7', orderNumber: 'ABC123', orderVersion: 7 }),
    ]);
    expect(() => adapter.parseWebhook(signed('another-secret'))).toThrow(
      expect.objectContaining({ code: 'BAD_SIGNATURE' }) as Error,
    );
  });
});
