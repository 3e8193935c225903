import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  type TestTenant,
} from '../../../test/helpers.ts';

interface Entry {
  id: string;
  action: string;
  actorId: string | null;
  targetId: string | null;
}

describe('audit log API', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;

  beforeAll(async () => {
    app = await buildTestApp();
    tenant = await createTestTenant();
  });
  afterAll(() => app.close());

  it('lists admin actions newest first, filtered by action and actor, page by page', async () => {
    const created: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await call(app, tenant.adminToken, {
        method: 'POST',
        url: '/api/v1/users',
        payload: { email: `audit-${i}@${tenant.slug}.test`, name: `Audit ${i}`, role: 'agent' },
      });
      created.push(response.data.id as string);
    }
    await call(app, tenant.adminToken, { method: 'POST', url: `/api/v1/users/${created[0]}/deactivate` });

    const page1 = await call(app, tenant.adminToken, {
      method: 'GET',
      url: '/api/v1/audit-log?action=user.created&limit=2',
    });
    expect(page1.statusCode).toBe(200);
    const page2 = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/audit-log?action=user.created&limit=2&cursor=${page1.data.nextCursor}`,
    });
    const entries = [...page1.data.items, ...page2.data.items] as Entry[];
    expect(entries.map((e) => e.targetId)).toEqual([...created].reverse());
    expect(entries.every((e) => e.action === 'user.created')).toBe(true);
    expect(page2.data.nextCursor).toBeNull();

    const me = await call(app, tenant.adminToken, { method: 'GET', url: '/api/v1/auth/me' });
    const byActor = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/audit-log?actorId=${me.data.id}`,
    });
    const actions = (byActor.data.items as Entry[]).map((e) => e.action);
    expect(actions[0]).toBe('user.deactivated');
    expect(actions.filter((a) => a === 'user.created')).toHaveLength(3);
    expect((byActor.data.items as Entry[]).every((e) => e.actorId === me.data.id)).toBe(true);
  });

  it('is for admins and supervisors only, and never shows another tenant', async () => {
    const agent = await createTestUser(tenant, 'agent');
    expect((await call(app, agent.token, { method: 'GET', url: '/api/v1/audit-log' })).statusCode).toBe(403);
    const other = await createTestTenant();
    const theirs = await call(app, other.adminToken, { method: 'GET', url: '/api/v1/audit-log?limit=200' });
    expect(theirs.statusCode).toBe(200);
    expect(JSON.stringify(theirs.data)).not.toContain(tenant.id);
    expect((theirs.data.items as Entry[]).map((e) => e.action)).toContain('tenant.created');
  });
});
