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
import { uuidv7 } from '../../lib/ids.ts';

const ids = (items: unknown) => (items as Array<{ id: string }>).map((i) => i.id);

describe('teams API', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;

  beforeAll(async () => {
    app = await buildTestApp();
    tenant = await createTestTenant();
  });
  afterAll(() => app.close());

  const api = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
    token = tenant.adminToken,
  ) => call(app, token, { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) });

  it('creates, renames, lists and deactivates teams; names are unique ignoring case', async () => {
    const created = await api('POST', '/teams', {
      name: '售后 After-sales',
      description: 'Refunds, returns',
    });
    expect(created.statusCode).toBe(201);
    expect(created.data).toMatchObject({
      name: '售后 After-sales',
      memberCount: 0,
      members: [],
      isActive: true,
    });
    const id = created.data.id as string;
    const clash = await api('POST', '/teams', { name: '售后 AFTER-SALES' });
    expect(clash.statusCode).toBe(409);
    expect(clash.data.code).toBe('NAME_TAKEN');

    const other = await api('POST', '/teams', { name: 'Pre-sales' });
    expect((await api('PATCH', `/teams/${other.data.id}`, { name: '售后 after-sales' })).data.code).toBe(
      'NAME_TAKEN',
    );
    const renamed = await api('PATCH', `/teams/${id}`, { name: 'After-sales' });
    expect(renamed.data.name).toBe('After-sales');

    const list = await api('GET', '/teams?limit=1');
    expect(list.data.items).toHaveLength(1);
    const second = await api('GET', `/teams?limit=1&cursor=${list.data.nextCursor}`);
    expect(second.data.items[0].id).not.toBe(list.data.items[0].id);
    expect(ids((await api('GET', '/teams?q=after')).data.items)).toEqual([id]);

    const off = await api('POST', `/teams/${id}/deactivate`);
    expect(off.data.isActive).toBe(false);
    expect(ids((await api('GET', '/teams?isActive=false')).data.items)).toEqual([id]);
    const audit = await testDb()
      .selectFrom('auditLog')
      .select('action')
      .where('tenantId', '=', tenant.id)
      .where('targetId', '=', id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['team.created', 'team.updated', 'team.deactivated']);
  });

  it('replaces, adds and removes members, and outsourced agents see the new team at once', async () => {
    const team = await api('POST', '/teams', { name: `Double 11 temps ${uuidv7().slice(-6)}` });
    const id = team.data.id as string;
    const [a, b, c] = await Promise.all([
      createTestUser(tenant, 'outsourced_agent'),
      createTestUser(tenant, 'agent'),
      createTestUser(tenant, 'agent'),
    ]);
    const set = await api('PUT', `/teams/${id}/members`, { userIds: [a.id, b.id, b.id] });
    expect(set.statusCode).toBe(200);
    expect(ids(set.data.members).sort()).toEqual([a.id, b.id].sort());
    expect(set.data.memberCount).toBe(2);
    const me = await call(app, a.token, { method: 'GET', url: '/api/v1/auth/me' });
    expect(me.data.teamIds).toEqual([id]);

    const listed = await api('GET', `/users?teamId=${id}`);
    expect(ids(listed.data.items).sort()).toEqual([a.id, b.id].sort());
    expect(
      (listed.data.items as Array<{ teams: Array<{ id: string }> }>)[0]!.teams.map((t) => t.id),
    ).toContain(id);

    const added = await api('POST', `/teams/${id}/members`, { userId: c.id });
    expect(added.data.memberCount).toBe(3);
    const removed = await api('DELETE', `/teams/${id}/members/${a.id}`);
    expect(ids(removed.data.members)).not.toContain(a.id);
    const replaced = await api('PUT', `/teams/${id}/members`, { userIds: [c.id] });
    expect(ids(replaced.data.members)).toEqual([c.id]);

    const stranger = await createTestUser(await createTestTenant(), 'agent');
    const foreign = await api('PUT', `/teams/${id}/members`, { userIds: [stranger.id] });
    expect(foreign.statusCode).toBe(400);
    expect((await api('POST', `/teams/${id}/members`, { userId: stranger.id })).statusCode).toBe(404);
    expect(ids((await api('GET', `/teams/${id}`)).data.members)).toEqual([c.id]);
  });

  it('lets agents read teams but not change them', async () => {
    const agent = await createTestUser(tenant, 'agent');
    expect((await api('GET', '/teams', undefined, agent.token)).statusCode).toBe(200);
    expect((await api('POST', '/teams', { name: 'Mine' }, agent.token)).statusCode).toBe(403);
  });
});
