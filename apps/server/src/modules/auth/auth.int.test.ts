import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  testDb,
  TEST_PASSWORD,
  type TestTenant,
} from '../../../test/helpers.ts';

function cookiesOf(response: { headers: Record<string, unknown> }): Record<string, string> {
  const raw = response.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : [raw];
  return Object.fromEntries(
    list
      .filter((c): c is string => typeof c === 'string')
      .map((c) => {
        const [pair] = c.split(';');
        const eq = pair!.indexOf('=');
        return [pair!.slice(0, eq), pair!.slice(eq + 1)];
      }),
  );
}

describe('authentication', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;

  beforeAll(async () => {
    app = await buildTestApp();
    tenant = await createTestTenant();
  });
  afterAll(() => app.close());

  async function login(email: string, password = TEST_PASSWORD, extra: Record<string, string> = {}) {
    return call(app, null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password, ...extra },
    });
  }

  it('signs in with email and password, sets an HttpOnly cookie and demands CSRF on writes', async () => {
    const response = await login(tenant.adminEmail);
    expect(response.statusCode).toBe(200);
    expect(String(response.headers['set-cookie'])).toMatch(/peakdesk_session=[^;]+;.*HttpOnly/);
    const cookies = cookiesOf(response);
    const me = await call(app, null, { method: 'GET', url: '/api/v1/auth/me', cookies });
    expect(me.statusCode).toBe(200);
    expect(me.data).toMatchObject({ role: 'admin', tenantId: tenant.id });

    const withoutCsrf = await call(app, null, {
      method: 'POST',
      url: '/api/v1/tokens',
      cookies,
      payload: { name: 'x', role: 'integration' },
    });
    expect(withoutCsrf.statusCode).toBe(403);
    expect(withoutCsrf.data.code).toBe('CSRF_FAILED');
    const withCsrf = await call(app, null, {
      method: 'POST',
      url: '/api/v1/tokens',
      cookies,
      headers: { 'x-csrf-token': response.data.csrfToken },
      payload: { name: 'x', role: 'integration' },
    });
    expect(withCsrf.statusCode).toBe(201);

    const logout = await call(app, null, {
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies,
      headers: { 'x-csrf-token': response.data.csrfToken },
    });
    expect(logout.statusCode).toBe(204);
    const after = await call(app, null, { method: 'GET', url: '/api/v1/auth/me', cookies });
    expect(after.statusCode).toBe(401);
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const wrong = await login(tenant.adminEmail, 'nope');
    const unknown = await login(`nobody@${tenant.slug}.test`);
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.data.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.data.code).toBe('INVALID_CREDENTIALS');
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('rate-limits repeated failed logins for one account', async () => {
    const user = await createTestUser(tenant, 'agent');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(user.email, 'wrong')).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    const limited = await login(user.email);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses an expired account, and its tokens stop working', async () => {
    const user = await createTestUser(tenant, 'agent', { expiresAt: new Date(Date.now() + 60_000) });
    expect((await call(app, user.token, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    await testDb()
      .updateTable('users')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('tenantId', '=', tenant.id)
      .where('id', '=', user.id)
      .execute();
    const response = await login(user.email);
    expect(response.statusCode).toBe(401);
    expect(response.data.code).toBe('ACCOUNT_EXPIRED');
    expect((await call(app, user.token, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
  });

  it('asks which tenant when an email has accounts in two', async () => {
    const other = await createTestTenant();
    const email = `shared-${Date.now()}@agency.test`;
    await createTestUser(tenant, 'outsourced_agent', { email });
    await createTestUser(other, 'outsourced_agent', { email });
    const ambiguous = await login(email);
    expect(ambiguous.statusCode).toBe(409);
    expect(ambiguous.data.code).toBe('TENANT_REQUIRED');
    expect((await login(email, TEST_PASSWORD, { tenant: other.slug })).statusCode).toBe(200);
  });

  it('rejects a revoked token at once', async () => {
    const created = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'shop sync', role: 'integration' },
    });
    expect(created.statusCode).toBe(201);
    const token = created.data.token as string;
    expect((await call(app, token, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    const listed = await call(app, tenant.adminToken, { method: 'GET', url: '/api/v1/tokens' });
    expect(JSON.stringify(listed.data)).not.toContain(token);
    expect(
      (
        await call(app, tenant.adminToken, {
          method: 'DELETE',
          url: `/api/v1/tokens/${created.data.apiToken.id}`,
        })
      ).statusCode,
    ).toBe(200);
    expect((await call(app, token, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    const audit = await testDb()
      .selectFrom('auditLog')
      .select('action')
      .where('tenantId', '=', tenant.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['token.created', 'token.revoked', 'auth.login_failed']),
    );
  });

  it('answers problem+json for unknown routes, malformed JSON and wrong types', async () => {
    const missing = await call(app, null, { method: 'GET', url: '/api/v1/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.data.code).toBe('ROUTE_NOT_FOUND');
    const malformed = await call(app, null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.data.code).toBe('MALFORMED_JSON');
    const wrongType = await call(app, null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 5, password: 'x' },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.data.code).toBe('VALIDATION_FAILED');
  });
});
