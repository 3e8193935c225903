import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  type TestTenant,
} from '../../../test/helpers.ts';
import { permissionsOf } from './permissions.ts';

describe('the role matrix over HTTP', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;

  beforeAll(async () => {
    app = await buildTestApp();
    tenant = await createTestTenant();
  });
  afterAll(() => app.close());

  it('lists every role with the permissions the server enforces', async () => {
    const r = await call(app, tenant.adminToken, { method: 'GET', url: '/api/v1/roles' });
    expect(r.statusCode).toBe(200);
    const byRole = new Map(
      (r.data as { items: { role: string; permissions: string[] }[] }).items.map((i) => [
        i.role,
        i.permissions,
      ]),
    );
    expect(byRole.get('supervisor')).not.toContain('tokens:manage');
    expect(byRole.get('admin')).toContain('tokens:manage');
    expect(byRole.get('agent')).toEqual(permissionsOf('agent'));
  });

  it('tells the signed-in user what they may do, so the console shows only that', async () => {
    const agent = await createTestUser(tenant, 'agent');
    const me = await call(app, agent.token, { method: 'GET', url: '/api/v1/auth/me' });
    expect(me.data.permissions).toEqual(permissionsOf('agent'));
    expect(me.data.permissions).not.toContain('users:write');
    const refused = await call(app, (await createTestUser(tenant, 'collaborator')).token, {
      method: 'GET',
      url: '/api/v1/roles',
    });
    expect(refused.statusCode).toBe(403);
  });
});
