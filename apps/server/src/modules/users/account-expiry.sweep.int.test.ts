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
  type TestUser,
} from '../../../test/helpers.ts';
import { expireAccounts, expireAllDueAccounts } from './account-expiry.sweep.ts';

describe('account expiry sweep', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;

  beforeAll(async () => {
    app = await buildTestApp();
    tenant = await createTestTenant();
  });
  afterAll(() => app.close());

  async function expireAt(user: TestUser, at: Date) {
    await testDb()
      .updateTable('users')
      .set({ expiresAt: at })
      .where('tenantId', '=', tenant.id)
      .where('id', '=', user.id)
      .execute();
  }

  async function expiredAudits(): Promise<string[]> {
    const rows = await testDb()
      .selectFrom('auditLog')
      .select(['targetId', 'actorType'])
      .where('tenantId', '=', tenant.id)
      .where('action', '=', 'user.expired')
      .execute();
    expect(rows.every((r) => r.actorType === 'system')).toBe(true);
    return rows.map((r) => r.targetId!).sort();
  }

  it('deactivates due accounts once, even with two sweeps at the same time, and ends their access', async () => {
    const soon = new Date(Date.now() + 60_000);
    const users = await Promise.all(
      Array.from({ length: 7 }, () => createTestUser(tenant, 'outsourced_agent', { expiresAt: soon })),
    );
    const [survivor, ...due] = users as [TestUser, ...TestUser[]];
    const session = await call(app, null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: due[0]!.email, password: TEST_PASSWORD },
    });
    expect(session.statusCode).toBe(200);
    const now = new Date();
    for (const user of due) await expireAt(user, new Date(now.getTime() - 1000));

    // Two sweeps with small batches race for the same six rows: SKIP LOCKED hands each row to one of them.
    const results = await Promise.all([
      expireAccounts(testDb(), now, { limit: 2, tenantId: tenant.id }),
      expireAccounts(testDb(), now, { limit: 2, tenantId: tenant.id }),
      expireAccounts(testDb(), now, { limit: 2, tenantId: tenant.id }),
    ]);
    const rest = await expireAllDueAccounts(testDb(), now, { batch: 2, tenantId: tenant.id });
    expect(results.reduce((sum, r) => sum + r.expired, 0) + rest).toBe(6);
    expect(await expiredAudits()).toEqual(due.map((u) => u.id).sort());

    const rows = await testDb()
      .selectFrom('users')
      .select(['id', 'isActive'])
      .where('tenantId', '=', tenant.id)
      .where(
        'id',
        'in',
        users.map((u) => u.id),
      )
      .execute();
    expect(
      rows
        .filter((r) => !r.isActive)
        .map((r) => r.id)
        .sort(),
    ).toEqual(due.map((u) => u.id).sort());
    const sessions = await testDb()
      .selectFrom('sessions')
      .select('userId')
      .where('tenantId', '=', tenant.id)
      .where('userId', '=', due[0]!.id)
      .execute();
    expect(sessions).toHaveLength(0);
    const tokens = await testDb()
      .selectFrom('apiTokens')
      .select(['userId', 'revokedAt'])
      .where('tenantId', '=', tenant.id)
      .where(
        'userId',
        'in',
        users.map((u) => u.id),
      )
      .execute();
    expect(
      tokens
        .filter((t) => t.revokedAt)
        .map((t) => t.userId)
        .sort(),
    ).toEqual(due.map((u) => u.id).sort());
    const login = await call(app, null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: due[1]!.email, password: TEST_PASSWORD },
    });
    expect(login.statusCode).toBe(401);
    expect((await call(app, survivor.token, { method: 'GET', url: '/api/v1/users/me' })).statusCode).toBe(
      200,
    );

    // Run again: nothing left to do, nothing recorded twice.
    expect(await expireAccounts(testDb(), now, { tenantId: tenant.id })).toEqual({ expired: 0 });
    expect(await expiredAudits()).toHaveLength(6);
  });

  it('leaves accounts alone until their expiresAt has passed', async () => {
    const own = await createTestTenant();
    const user = await createTestUser(own, 'agent', { expiresAt: new Date(Date.now() + 3_600_000) });
    expect(await expireAccounts(testDb(), new Date(), { tenantId: own.id })).toEqual({ expired: 0 });
    const row = await testDb()
      .selectFrom('users')
      .select('isActive')
      .where('tenantId', '=', own.id)
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.isActive).toBe(true);
    expect(await expireAccounts(testDb(), new Date(Date.now() + 3_700_000), { tenantId: own.id })).toEqual({
      expired: 1,
    });
  });
});
