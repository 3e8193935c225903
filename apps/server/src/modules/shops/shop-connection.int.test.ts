import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  testDb,
  type TestTenant,
} from '../../../test/helpers.ts';
import { findConnection, openSecrets } from './shop-connection.repository.ts';
import { shopSecretBox } from './shop-secret-box.ts';

let app: FastifyInstance;
let tenant: TestTenant;

beforeAll(async () => {
  app = await buildTestApp();
  tenant = await createTestTenant('Shop connections');
});
afterAll(async () => {
  await app.close();
});

const create = (payload: Record<string, unknown>, token = tenant.adminToken) =>
  call(app, token, { method: 'POST', url: '/api/v1/shops', payload });

const demo = (name: string) => ({
  kind: 'demo-shop',
  name,
  baseUrl: 'http://127.0.0.1:3100',
  credentials: { apiKey: 'first-api-key' },
  webhookSecret: 'first-webhook-secret',
  settings: { cacheTtlSeconds: 10 },
});

describe('/api/v1/shops', () => {
  it('stores credentials sealed and never returns them; changes are versioned and audited without secrets', async () => {
    const created = await create(demo('天猫旗舰店'));
    expect(created.statusCode).toBe(201);
    expect(created.body).not.toContain('first-api-key');
    expect(created.body).not.toContain('first-webhook-secret');
    const id = created.data.id as string;
    expect(created.data).toMatchObject({
      kind: 'demo-shop',
      hasWebhookSecret: true,
      webhookPath: `/api/v1/webhooks/shops/${id}`,
      settings: { cacheTtlSeconds: 10 },
      version: 1,
    });

    const stale = await call(app, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/shops/${id}`,
      payload: { version: 7, name: 'x' },
    });
    expect(stale.data).toMatchObject({ status: 412, code: 'VERSION_MISMATCH' });
    const patched = await call(app, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/shops/${id}`,
      payload: { version: 1, credentials: { apiKey: 'second-api-key' }, webhookSecret: null },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.data).toMatchObject({ version: 2, hasWebhookSecret: false });
    const row = await findConnection(testDb(), tenant.id, id);
    expect(openSecrets(shopSecretBox(), row!)).toEqual({
      credentials: { apiKey: 'second-api-key' },
      webhookSecret: null,
    });

    const audit = await testDb()
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('tenantId', '=', tenant.id)
      .where('targetId', '=', id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['shop.created', 'shop.updated']);
    expect(JSON.stringify(audit)).not.toMatch(/api-key|webhook-secret/);

    expect(
      (await call(app, tenant.adminToken, { method: 'DELETE', url: `/api/v1/shops/${id}` })).statusCode,
    ).toBe(204);
    expect(
      (await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/shops/${id}` })).data,
    ).toMatchObject({
      code: 'SHOP_NOT_FOUND',
    });
  });

  it.each([
    ['an unknown kind', { ...demo('a'), kind: 'no-such-shop' }],
    ['missing credentials of the kind', { ...demo('b'), credentials: {} }],
    ['a base URL that is not http(s)', { ...demo('c'), baseUrl: 'file:///etc/passwd' }],
    ['a vendure shop without a login', { ...demo('d'), kind: 'vendure', credentials: { username: 'x' } }],
    [
      'a vendure shop with a key and a login',
      { ...demo('e'), kind: 'vendure', credentials: { apiKey: 'k', username: 'u', password: 'p' } },
    ],
  ])('refuses %s', async (_name, payload) => {
    expect((await create(payload)).data).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('takes a vendure shop with an API key or an administrator login, and a shopify shop', async () => {
    const vendure = (name: string, credentials: Record<string, string>) => ({
      ...demo(name),
      kind: 'vendure',
      baseUrl: 'http://127.0.0.1:3000/admin-api',
      credentials,
    });
    expect((await create(vendure('vendure key', { apiKey: 'vendure-api-key' }))).statusCode).toBe(201);
    const login = await create(vendure('vendure login', { username: 'superadmin', password: 'pw' }));
    expect(login.data).toMatchObject({ kind: 'vendure', hasWebhookSecret: true });
    const shopify = await create({
      ...demo('shopify'),
      kind: 'shopify',
      baseUrl: 'https://peak.myshopify.com',
      credentials: { accessToken: 'shpat_x' },
    });
    expect(shopify.statusCode).toBe(201);
  });

  it('refuses a second shop with the same name (any case)', async () => {
    expect((await create(demo('Same Name'))).statusCode).toBe(201);
    expect((await create(demo('same name'))).data).toMatchObject({ status: 409, code: 'NAME_TAKEN' });
  });

  it('is for admins only', async () => {
    const supervisor = await createTestUser(tenant, 'supervisor');
    expect((await create(demo('by supervisor'), supervisor.token)).statusCode).toBe(403);
    expect((await call(app, supervisor.token, { method: 'GET', url: '/api/v1/shops' })).statusCode).toBe(403);
  });

  it('reports a failed connection test and records it', async () => {
    const created = await create({
      ...demo('unreachable'),
      baseUrl: 'http://127.0.0.1:9',
      settings: { timeoutMs: 500 },
    });
    const id = created.data.id as string;
    const tested = await call(app, tenant.adminToken, { method: 'POST', url: `/api/v1/shops/${id}/test` });
    expect(tested.statusCode).toBe(200);
    expect(tested.data).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    const shown = await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/shops/${id}` });
    expect(shown.data.lastTestError).toMatch(/^UNAVAILABLE/);
    expect(shown.data.lastTestedAt).not.toBeNull();
  });
});
