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
import { uuidv7 } from '../../lib/ids.ts';

describe('users API', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;

  beforeAll(async () => {
    app = await buildTestApp();
    tenant = await createTestTenant();
  });
  afterAll(() => app.close());

  const login = (email: string, password = TEST_PASSWORD) =>
    call(app, null, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

  function cookiesOf(response: { headers: Record<string, unknown> }): Record<string, string> {
    const raw = response.headers['set-cookie'];
    return Object.fromEntries(
      [raw]
        .flat()
        .filter((c): c is string => typeof c === 'string')
        .map((c) => c.split(';')[0]!.split('=') as [string, string]),
    );
  }

  async function auditActions(targetId: string): Promise<string[]> {
    const rows = await testDb()
      .selectFrom('auditLog')
      .select('action')
      .where('tenantId', '=', tenant.id)
      .where('targetId', '=', targetId)
      .orderBy('id')
      .execute();
    return rows.map((r) => r.action);
  }

  it('creates, reads, updates and lists users; the login directory follows the email', async () => {
    const email = `Mei.${uuidv7().slice(-6)}@Shop.test`;
    const created = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { email, name: '梅 Mei', role: 'agent', password: TEST_PASSWORD, capacity: 30 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.data).toMatchObject({
      email: email.toLowerCase(),
      role: 'agent',
      capacity: 30,
      presence: 'offline',
      isActive: true,
      teams: [],
      skills: [],
      expiresAt: null,
    });
    expect(created.body).not.toMatch(/password|scrypt/i);
    const id = created.data.id as string;

    const read = await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/users/${id}` });
    expect(read.statusCode).toBe(200);
    expect(read.data.name).toBe('梅 Mei');

    const newEmail = `renamed-${uuidv7().slice(-6)}@shop.test`;
    const patched = await call(app, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      payload: { email: newEmail, name: 'Mei Lin' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.data).toMatchObject({ email: newEmail, name: 'Mei Lin' });
    expect((await login(email.toLowerCase())).statusCode).toBe(401);
    expect((await login(newEmail)).statusCode).toBe(200);

    const dup = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: newEmail.toUpperCase(), name: 'Other', role: 'agent' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.data.code).toBe('EMAIL_TAKEN');
    const dupPatch = await call(app, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      payload: { email: tenant.adminEmail },
    });
    expect(dupPatch.data.code).toBe('EMAIL_TAKEN');

    const agents = await call(app, tenant.adminToken, {
      method: 'GET',
      url: '/api/v1/users?role=agent&limit=1&q=mei',
    });
    expect(agents.statusCode).toBe(200);
    expect((agents.data.items as Array<{ id: string }>).map((u) => u.id)).toEqual([id]);

    expect(await auditActions(id)).toEqual(['user.created', 'user.updated', 'auth.login']);
  });

  it('pages through users with a cursor, without repeats', async () => {
    const other = await createTestTenant();
    for (let i = 0; i < 5; i++) await createTestUser(other, 'agent');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof call>> = await call(app, other.adminToken, {
        method: 'GET',
        url: `/api/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      });
      expect(page.statusCode).toBe(200);
      seen.push(...(page.data.items as Array<{ id: string }>).map((u) => u.id));
      cursor = page.data.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    const bad = await call(app, other.adminToken, { method: 'GET', url: '/api/v1/users?cursor=nope' });
    expect(bad.data.code).toBe('INVALID_CURSOR');
  });

  it('creates a user without a password who can sign in only after an admin sets one', async () => {
    const email = `nopass-${uuidv7().slice(-6)}@shop.test`;
    const created = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { email, name: 'No Pass', role: 'outsourced_agent' },
    });
    expect(created.statusCode).toBe(201);
    expect((await login(email)).statusCode).toBe(401);
    const short = await call(app, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/users/${created.data.id}/password`,
      payload: { password: 'short' },
    });
    expect(short.statusCode).toBe(400);
    const set = await call(app, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/users/${created.data.id}/password`,
      payload: { password: 'a-new-password' },
    });
    expect(set.statusCode).toBe(204);
    expect((await login(email, 'a-new-password')).statusCode).toBe(200);
    expect(await auditActions(created.data.id)).toContain('user.password_set');
  });

  it('lets a supervisor manage agents but not admins or supervisors; agents manage nobody', async () => {
    const supervisor = await createTestUser(tenant, 'supervisor');
    const peer = await createTestUser(tenant, 'supervisor');
    const agent = await createTestUser(tenant, 'agent');
    const asAdmin = await call(app, supervisor.token, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: `boss-${uuidv7().slice(-6)}@shop.test`, name: 'Boss', role: 'admin' },
    });
    expect(asAdmin.statusCode).toBe(403);
    expect(asAdmin.data.code).toBe('FORBIDDEN');
    const asAgent = await call(app, supervisor.token, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: `temp-${uuidv7().slice(-6)}@shop.test`, name: 'Temp', role: 'agent' },
    });
    expect(asAgent.statusCode).toBe(201);
    const promote = await call(app, supervisor.token, {
      method: 'PATCH',
      url: `/api/v1/users/${asAgent.data.id}`,
      payload: { role: 'supervisor' },
    });
    expect(promote.statusCode).toBe(403);
    const editPeer = await call(app, supervisor.token, {
      method: 'PATCH',
      url: `/api/v1/users/${peer.id}`,
      payload: { name: 'Renamed' },
    });
    expect(editPeer.statusCode).toBe(403);
    const deactivatePeer = await call(app, supervisor.token, {
      method: 'POST',
      url: `/api/v1/users/${peer.id}/deactivate`,
    });
    expect(deactivatePeer.statusCode).toBe(403);
    const byAgent = await call(app, agent.token, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: `x-${uuidv7().slice(-6)}@shop.test`, name: 'X', role: 'agent' },
    });
    expect(byAgent.statusCode).toBe(403);
    const readByAgent = await call(app, agent.token, { method: 'GET', url: `/api/v1/users/${peer.id}` });
    expect(readByAgent.statusCode).toBe(200);
    const { count } = await testDb()
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('tenantId', '=', tenant.id)
      .where('name', '=', 'Renamed')
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(0);
  });

  it('deactivation ends sessions and tokens at once; reactivation restores login only', async () => {
    const user = await createTestUser(tenant, 'agent');
    const session = await login(user.email);
    expect(session.statusCode).toBe(200);
    const cookies = cookiesOf(session);
    expect((await call(app, null, { method: 'GET', url: '/api/v1/users/me', cookies })).statusCode).toBe(200);
    expect((await call(app, user.token, { method: 'GET', url: '/api/v1/users/me' })).statusCode).toBe(200);

    const deactivated = await call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/users/${user.id}/deactivate`,
    });
    expect(deactivated.statusCode).toBe(200);
    expect(deactivated.data.isActive).toBe(false);
    expect((await call(app, null, { method: 'GET', url: '/api/v1/users/me', cookies })).statusCode).toBe(401);
    expect((await call(app, user.token, { method: 'GET', url: '/api/v1/users/me' })).statusCode).toBe(401);
    expect((await login(user.email)).statusCode).toBe(401);
    const sessions = await testDb()
      .selectFrom('sessions')
      .select('userId')
      .where('tenantId', '=', tenant.id)
      .where('userId', '=', user.id)
      .execute();
    expect(sessions).toHaveLength(0);

    const reactivated = await call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/users/${user.id}/reactivate`,
    });
    expect(reactivated.data.isActive).toBe(true);
    expect((await login(user.email)).statusCode).toBe(200);
    expect((await call(app, user.token, { method: 'GET', url: '/api/v1/users/me' })).statusCode).toBe(401);
    expect(await auditActions(user.id)).toEqual(
      expect.arrayContaining(['user.deactivated', 'user.reactivated']),
    );
  });

  it('refuses to deactivate yourself and to reactivate an expired account', async () => {
    const self = await call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/users/${tenant.adminUserId}/deactivate`,
    });
    expect(self.statusCode).toBe(403);
    const user = await createTestUser(tenant, 'outsourced_agent', {
      expiresAt: new Date(Date.now() + 60_000),
    });
    await call(app, tenant.adminToken, { method: 'POST', url: `/api/v1/users/${user.id}/deactivate` });
    await call(app, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      payload: { expiresAt: new Date(Date.now() - 1000).toISOString() },
    });
    const back = await call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/users/${user.id}/reactivate`,
    });
    expect(back.statusCode).toBe(409);
  });

  it("revokes a user's tokens when the role changes, since tokens carry their role", async () => {
    const user = await createTestUser(tenant, 'agent');
    const patched = await call(app, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      payload: { role: 'collaborator', department: 'logistics' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.data).toMatchObject({ role: 'collaborator', department: 'logistics' });
    expect((await call(app, user.token, { method: 'GET', url: '/api/v1/users/me' })).statusCode).toBe(401);
    const noDepartment = await call(app, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      payload: { department: null },
    });
    expect(noDepartment.statusCode).toBe(400);
  });

  it('lets every user read itself and set its own presence', async () => {
    const collaborator = await createTestUser(tenant, 'collaborator');
    const me = await call(app, collaborator.token, { method: 'GET', url: '/api/v1/users/me' });
    expect(me.statusCode).toBe(200);
    expect(me.data.id).toBe(collaborator.id);
    const away = await call(app, collaborator.token, {
      method: 'PATCH',
      url: '/api/v1/users/me/presence',
      payload: { presence: 'away' },
    });
    expect(away.statusCode).toBe(200);
    expect(away.data.presence).toBe('away');
    const bad = await call(app, collaborator.token, {
      method: 'PATCH',
      url: '/api/v1/users/me/presence',
      payload: { presence: 'asleep' },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (await call(app, collaborator.token, { method: 'GET', url: `/api/v1/users/${tenant.adminUserId}` }))
        .statusCode,
    ).toBe(403);
  });

  it("replaces a user's skills and rejects unknown skills and levels outside 1–5", async () => {
    const user = await createTestUser(tenant, 'agent');
    const skillId = uuidv7();
    await testDb()
      .insertInto('skills')
      .values({
        tenantId: tenant.id,
        id: skillId,
        code: `refund-${skillId.slice(-6)}`,
        name: '退款',
        createdAt: new Date(),
        updatedAt: new Date(),
      })
      .execute();
    const set = await call(app, tenant.adminToken, {
      method: 'PUT',
      url: `/api/v1/users/${user.id}/skills`,
      payload: [{ skillId, level: 4 }],
    });
    expect(set.statusCode).toBe(200);
    expect(set.data.skills).toEqual([{ id: skillId, code: `refund-${skillId.slice(-6)}`, level: 4 }]);
    const tooHigh = await call(app, tenant.adminToken, {
      method: 'PUT',
      url: `/api/v1/users/${user.id}/skills`,
      payload: [{ skillId, level: 6 }],
    });
    expect(tooHigh.statusCode).toBe(400);
    const unknown = await call(app, tenant.adminToken, {
      method: 'PUT',
      url: `/api/v1/users/${user.id}/skills`,
      payload: [{ skillId: uuidv7(), level: 2 }],
    });
    expect(unknown.statusCode).toBe(400);
    const cleared = await call(app, tenant.adminToken, {
      method: 'PUT',
      url: `/api/v1/users/${user.id}/skills`,
      payload: [],
    });
    expect(cleared.data.skills).toEqual([]);
  });

  it("answers 404 for another tenant's user", async () => {
    const other = await createTestTenant();
    const stranger = await createTestUser(other, 'agent');
    for (const [method, url] of [
      ['GET', `/api/v1/users/${stranger.id}`],
      ['POST', `/api/v1/users/${stranger.id}/deactivate`],
    ] as const) {
      expect((await call(app, tenant.adminToken, { method, url })).statusCode).toBe(404);
    }
    expect((await call(app, stranger.token, { method: 'GET', url: '/api/v1/users/me' })).statusCode).toBe(
      200,
    );
  });
});
