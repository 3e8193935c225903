import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  type TestTenant,
} from '../../../test/helpers.ts';

const ids = (items: unknown) => (items as Array<{ id: string }>).map((i) => i.id);
const codes = (items: unknown) => (items as Array<{ code: string }>).map((i) => i.code);

describe('skills API', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;

  beforeAll(async () => {
    app = await buildTestApp();
    tenant = await createTestTenant();
  });
  afterAll(() => app.close());

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, token = tenant.adminToken) =>
    call(app, token, { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) });

  it('creates, reads, updates, lists and deactivates skills; codes are unique', async () => {
    const created = await api('POST', '/skills', { code: 'lang:en', name: 'English', kind: 'language' });
    expect(created.statusCode).toBe(201);
    expect(created.data).toMatchObject({
      code: 'lang:en',
      name: 'English',
      kind: 'language',
      isActive: true,
    });
    const id = created.data.id as string;
    expect((await api('POST', '/skills', { code: 'lang:en', name: 'Again' })).statusCode).toBe(409);
    expect((await api('POST', '/skills', { code: 'Has Space', name: 'x' })).statusCode).toBe(400);
    expect((await api('POST', '/skills', { code: 'vip', name: 'VIP', kind: 'royal' })).statusCode).toBe(400);
    await api('POST', '/skills', { code: 'refund', name: '退款', kind: 'category' });

    const patched = await api('PATCH', `/skills/${id}`, { name: 'English (fluent)' });
    expect(patched.data).toMatchObject({ name: 'English (fluent)', code: 'lang:en' });
    expect((await api('PATCH', `/skills/${id}`, { code: 'other' })).statusCode).toBe(400);
    expect((await api('GET', `/skills/${id}`)).data.name).toBe('English (fluent)');

    const languages = await api('GET', '/skills?kind=language');
    expect(ids(languages.data.items)).toEqual([id]);
    const off = await api('POST', `/skills/${id}/deactivate`);
    expect(off.data.isActive).toBe(false);
    expect(codes((await api('GET', '/skills?isActive=true')).data.items)).toEqual(['refund']);
  });

  it('lets agents read skills but not create them', async () => {
    const agent = await createTestUser(tenant, 'agent');
    expect((await api('GET', '/skills', undefined, agent.token)).statusCode).toBe(200);
    expect((await api('POST', '/skills', { code: 'x', name: 'x' }, agent.token)).statusCode).toBe(403);
  });
});
