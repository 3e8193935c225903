import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  testDb,
  type TestTenant,
  type TestUser,
} from '../../../test/helpers.ts';

const ids = (items: unknown) => (items as Array<{ id: string }>).map((i) => i.id);

describe('customers API', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;
  let agent: TestUser;

  beforeAll(async () => {
    app = await buildTestApp();
    tenant = await createTestTenant();
    agent = await createTestUser(tenant, 'agent');
  });
  afterAll(() => app.close());

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, token = agent.token) =>
    call(app, token, { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) });

  it('creates a customer, then finds the same one by any of its identities', async () => {
    const created = await api('POST', '/customers', {
      name: '张三',
      email: 'Zhang.San@Example.com',
      phone: '+86 138-0000-0001',
      tier: 3,
      address: { province: '浙江省', city: '杭州市', line1: '西湖区文三路 1 号', name: '张三' },
      notes: 'Prefers calls after 18:00',
    });
    expect(created.statusCode).toBe(201);
    expect(created.data).toMatchObject({
      name: '张三',
      email: 'zhang.san@example.com',
      phone: '+86 138-0000-0001',
      tier: 3,
      address: { city: '杭州市', line1: '西湖区文三路 1 号' },
      isActive: true,
    });
    expect(created.data.identities).toEqual([
      { kind: 'email', value: 'zhang.san@example.com' },
      { kind: 'phone', value: '13800000001' },
    ]);
    const again = await api('POST', '/customers', {
      phone: '13800000001',
      platform: 'taobao',
      externalId: 'tb_1',
    });
    expect(again.statusCode).toBe(200);
    expect(again.data.id).toBe(created.data.id);
    expect(again.data.identities).toContainEqual({ kind: 'platform', value: 'taobao:tb_1' });

    const other = await api('POST', '/customers', { email: 'li.si@example.com' });
    const split = await api('POST', '/customers', { email: 'li.si@example.com', phone: '13800000001' });
    expect(split.statusCode).toBe(409);
    expect((split.data.customerIds as string[]).sort()).toEqual([created.data.id, other.data.id].sort());
    expect((await api('POST', '/customers', { name: 'only a name' })).statusCode).toBe(400);
    expect((await api('POST', '/customers', { email: 'x@y.test', tier: 11 })).statusCode).toBe(400);
  });

  it('updates a customer; an email of another customer is a conflict', async () => {
    const a = await api('POST', '/customers', { email: 'wang.wu@example.com', name: '王五' });
    const b = await api('POST', '/customers', { email: 'zhao.liu@example.com' });
    const updated = await api('PATCH', `/customers/${a.data.id}`, {
      tier: 8,
      phone: '13900000002',
      notes: 'VIP since 618',
      address: null,
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.data).toMatchObject({
      tier: 8,
      phone: '13900000002',
      notes: 'VIP since 618',
      address: null,
    });
    expect(updated.data.identities).toContainEqual({ kind: 'phone', value: '13900000002' });
    const clash = await api('PATCH', `/customers/${a.data.id}`, { email: 'Zhao.Liu@example.com' });
    expect(clash.statusCode).toBe(409);
    expect((await api('GET', `/customers/${a.data.id}`)).data.email).toBe('wang.wu@example.com');
    expect((await api('GET', `/customers/${b.data.id}`)).data.identities).toEqual([
      { kind: 'email', value: 'zhao.liu@example.com' },
    ]);
  });

  it('lists with prefix search, tier filter and pagination; deactivation is audited', async () => {
    const own = await createTestTenant();
    const token = own.adminToken;
    for (const [name, email, phone, tier] of [
      ['Alice Wong', 'alice@shop.test', '13700000001', 5],
      ['Alan Lee', 'alan@shop.test', '13700000002', 0],
      ['Bob Chan', 'bob@shop.test', '13600000003', 5],
    ] as const) {
      expect((await api('POST', '/customers', { name, email, phone, tier }, token)).statusCode).toBe(201);
    }
    const names = async (query: string) =>
      ((await api('GET', `/customers?${query}`, undefined, token)).data.items as Array<{ name: string }>).map(
        (c) => c.name,
      );
    expect(await names('q=al')).toEqual(['Alan Lee', 'Alice Wong']);
    expect(await names('q=bob%40')).toEqual(['Bob Chan']);
    expect(await names('q=1370')).toEqual(['Alan Lee', 'Alice Wong']);
    expect(await names('tier=5')).toEqual(['Bob Chan', 'Alice Wong']);
    expect(await names('q=%25')).toEqual([]);
    const first = await api('GET', '/customers?limit=2', undefined, token);
    const second = await api('GET', `/customers?limit=2&cursor=${first.data.nextCursor}`, undefined, token);
    expect([...ids(first.data.items), ...ids(second.data.items)]).toHaveLength(3);
    expect(second.data.nextCursor).toBeNull();

    const bob = first.data.items[0].id as string;
    const off = await api('POST', `/customers/${bob}/deactivate`, undefined, token);
    expect(off.data.isActive).toBe(false);
    expect(await names('isActive=true')).toEqual(['Alan Lee', 'Alice Wong']);
    const audit = await testDb()
      .selectFrom('auditLog')
      .select('action')
      .where('tenantId', '=', own.id)
      .where('targetId', '=', bob)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['customer.deactivated']);
  });

  it('masks email, phone and address for outsourced agents; collaborators see no customers', async () => {
    const created = await api('POST', '/customers', {
      name: '陈七',
      email: 'chen.qi@example.com',
      phone: '13812345678',
      address: { city: '上海市', line1: '浦东新区世纪大道 100 号', name: '陈七', phone: '13812345678' },
      notes: 'Call 13812345678 or chen.qi@example.com',
    });
    const outsider = await createTestUser(tenant, 'outsourced_agent');
    const seen = await api('GET', `/customers/${created.data.id}`, undefined, outsider.token);
    expect(seen.statusCode).toBe(200);
    expect(seen.data).toMatchObject({
      name: '陈七',
      email: 'c***@example.com',
      phone: '138****5678',
      address: { city: '上海市', line1: '****', name: '陈**', phone: '138****5678' },
      notes: 'Call 138****5678 or c***@example.com',
    });
    expect(seen.data.identities).toEqual([
      { kind: 'email', value: 'c***@example.com' },
      { kind: 'phone', value: '138****5678' },
    ]);
    expect(seen.body).not.toContain('13812345678');
    const listed = await api('GET', '/customers?q=%E9%99%88', undefined, outsider.token);
    expect(listed.data.items[0]).toMatchObject({ email: 'c***@example.com', phone: '138****5678' });
    expect(listed.body).not.toContain('chen.qi@');
    expect((await api('GET', `/customers/${created.data.id}`)).data.phone).toBe('13812345678');
    const collaborator = await createTestUser(tenant, 'collaborator');
    expect(
      (await api('GET', `/customers/${created.data.id}`, undefined, collaborator.token)).statusCode,
    ).toBe(403);
    expect(
      (await api('PATCH', `/customers/${created.data.id}`, { tier: 1 }, outsider.token)).statusCode,
    ).toBe(403);
  });

  it("answers 404 for another tenant's customer", async () => {
    const other = await createTestTenant();
    const theirs = await api('POST', '/customers', { email: 'theirs@example.com' }, other.adminToken);
    expect((await api('GET', `/customers/${theirs.data.id}`)).statusCode).toBe(404);
    expect((await api('PATCH', `/customers/${theirs.data.id}`, { tier: 2 })).statusCode).toBe(404);
    // The same email in this tenant is a different customer.
    const ours = await api('POST', '/customers', { email: 'theirs@example.com' });
    expect(ours.statusCode).toBe(201);
    expect(ours.data.id).not.toBe(theirs.data.id);
  });
});
