import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  testDb,
  TEST_PASSWORD,
  type TestTenant,
} from '../../../test/helpers.ts';
import type { CachedAuth } from './auth.service.ts';
import { PrincipalCache } from './principal-cache.ts';

/** Polls (bounded) until the notification of another process has reached this cache. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function sessionCookie(response: { headers: Record<string, unknown> }): Record<string, string> {
  const raw = response.headers['set-cookie'];
  const list = (Array.isArray(raw) ? raw : [raw]).filter((c): c is string => typeof c === 'string');
  return Object.fromEntries(
    list.map((c) => c.split(';')[0]!.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
}

const me = { method: 'GET', url: '/api/v1/auth/me' } as const;

// Two app instances over one database stand for two processes: A serves from its cache, B changes access.
describe('auth cache across processes (LISTEN/NOTIFY)', () => {
  let a: FastifyInstance;
  let b: FastifyInstance;
  const cacheA = new PrincipalCache<CachedAuth>();
  let tenant: TestTenant;

  beforeAll(async () => {
    const databaseUrl = inject('databaseUrl');
    a = await buildTestApp({ databaseUrl, authCache: cacheA });
    b = await buildTestApp({ databaseUrl });
    tenant = await createTestTenant();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('serves a token from the cache until another process revokes it, then refuses at once', async () => {
    expect(cacheA.isListening).toBe(true);
    const created = await call(b, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'cached', role: 'integration' },
    });
    const token = created.data.token as string;
    const tokenId = created.data.apiToken.id as string;
    expect((await call(a, token, me)).statusCode).toBe(200);
    const hits = cacheA.stats.hits;
    expect((await call(a, token, me)).statusCode).toBe(200);
    expect(cacheA.stats.hits).toBe(hits + 1);

    // Revoked behind PeakDesk's back (no NOTIFY): A still trusts its cache, which shows the cache is used.
    await testDb()
      .updateTable('apiTokens')
      .set({ revokedAt: new Date() })
      .where('id', '=', tokenId)
      .execute();
    expect((await call(a, token, me)).statusCode).toBe(200);
    expect((await call(b, token, me)).statusCode).toBe(401);

    const revoked = await call(b, tenant.adminToken, { method: 'DELETE', url: `/api/v1/tokens/${tokenId}` });
    expect(revoked.statusCode).toBe(200);
    await until(() => !cacheA.holds(tenant.id, tokenId), 'the revocation');
    expect((await call(a, token, me)).statusCode).toBe(401);
  });

  it('reads a cold token once for many concurrent requests, and a bad one is not kept', async () => {
    const user = await createTestUser(tenant, 'agent');
    const lookups = cacheA.stats.lookups;
    const burst = await Promise.all(Array.from({ length: 32 }, () => call(a, user.token, me)));
    expect(burst.map((r) => r.statusCode)).toEqual(Array(32).fill(200));
    expect(cacheA.stats.lookups).toBe(lookups + 1);

    const size = cacheA.size;
    const bad = `${user.token.slice(0, -4)}xxxx`;
    expect((await call(a, bad, me)).statusCode).toBe(401);
    expect((await call(a, bad, me)).statusCode).toBe(401);
    expect(cacheA.stats.lookups).toBe(lookups + 3);
    expect(cacheA.size).toBe(size);
  });

  it('refuses a deactivated user’s token on the next request', async () => {
    const user = await createTestUser(tenant, 'agent');
    expect((await call(a, user.token, me)).statusCode).toBe(200);
    expect(cacheA.holds(tenant.id, user.id)).toBe(true);
    const off = await call(b, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/users/${user.id}/deactivate`,
    });
    expect(off.statusCode).toBe(200);
    await until(() => !cacheA.holds(tenant.id, user.id), 'the deactivation');
    expect((await call(a, user.token, me)).statusCode).toBe(401);
  });

  it('re-scopes an outsourced agent removed from a team on the next request', async () => {
    const team = await call(b, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/teams',
      payload: { name: `vendor ${Date.now()}` },
    });
    expect(team.statusCode).toBe(201);
    const teamId = team.data.id as string;
    const agent = await createTestUser(tenant, 'outsourced_agent', { teamIds: [teamId] });
    expect((await call(a, agent.token, me)).data.teamIds).toEqual([teamId]);
    expect((await call(a, agent.token, me)).data.teamIds).toEqual([teamId]);
    const removed = await call(b, tenant.adminToken, {
      method: 'DELETE',
      url: `/api/v1/teams/${teamId}/members/${agent.id}`,
    });
    expect(removed.statusCode).toBeLessThan(300);
    await until(() => !cacheA.holds(tenant.id, agent.id), 'the membership change');
    const after = await call(a, agent.token, me);
    expect(after.statusCode).toBe(200);
    expect(after.data.teamIds).toEqual([]);
  });

  it('ends a session in every process when it logs out in one', async () => {
    const user = await createTestUser(tenant, 'agent');
    const login = await call(b, null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const cookies = sessionCookie(login);
    expect((await call(a, null, { ...me, cookies })).statusCode).toBe(200);
    expect(cacheA.holds(tenant.id, user.id)).toBe(true);
    const out = await call(b, null, {
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies,
      headers: { 'x-csrf-token': login.data.csrfToken },
    });
    expect(out.statusCode).toBeLessThan(300);
    await until(() => !cacheA.holds(tenant.id, user.id), 'the logout');
    expect((await call(a, null, { ...me, cookies })).statusCode).toBe(401);
  });
});

describe('auth cache and expiry', () => {
  let app: FastifyInstance;
  let clock = Date.now();
  const cache = new PrincipalCache<CachedAuth>();

  beforeAll(async () => {
    app = await buildTestApp({
      databaseUrl: inject('databaseUrl'),
      authCache: cache,
      now: () => new Date(clock),
    });
  });
  afterAll(() => app.close());

  it('honours the cached expiresAt without any notification', async () => {
    const tenant = await createTestTenant();
    // From now, not from when the file loaded: a slow beforeAll would otherwise eat the 5 s margin below.
    clock = Date.now();
    const user = await createTestUser(tenant, 'agent', { expiresAt: new Date(Date.now() + 20_000) });
    expect((await call(app, user.token, me)).statusCode).toBe(200);
    const hits = cache.stats.hits;
    expect((await call(app, user.token, me)).statusCode).toBe(200);
    expect(cache.stats.hits).toBe(hits + 1);
    clock += 25_000; // past the account's end, within the cache's 30 s
    expect((await call(app, user.token, me)).statusCode).toBe(401);
  });
});
