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
import { createTeam, patchTicket, postTicket } from './ticket.factories.ts';

describe('tickets: create, read, change, history', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    app = await buildTestApp();
    [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
  });
  afterAll(() => app.close());

  it('creates a ticket with a number, the customer, the first message and a created event', async () => {
    const email = `new-buyer-${Date.now()}@example.cn`;
    const created = await postTicket(app, tenant.adminToken, {
      body: '  双11买的羽绒服尺码不对，想换大一号，订单号 E2026111100123，麻烦尽快处理，谢谢！这段文字要足够长才能被截断成标题  ',
      customer: { name: '李四', email, phone: '+86 138-0000-0001' },
      orderNumber: 'E2026111100123',
      priority: 'high',
      tags: ['双11', '换货', '双11'],
      fields: { size: 'XL' },
    });
    expect(created).toMatchObject({
      status: 'new',
      priority: 'high',
      channel: 'web',
      tags: ['双11', '换货'],
      fields: { size: 'XL' },
      orderNumber: 'E2026111100123',
      version: 1,
      assigneeId: null,
      sla: { nextDueAt: null },
    });
    expect(created.subject).toMatch(/…$/);
    expect([...created.subject].length).toBeLessThanOrEqual(61);
    expect(Number.isInteger(created.number)).toBe(true);

    const got = await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/tickets/${created.id}` });
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.data.requester).toMatchObject({ name: '李四', email, phone: '+86 138-0000-0001', tier: 0 });
    expect(got.data.messages).toHaveLength(1);
    expect(got.data.messages[0]).toMatchObject({ authorType: 'customer', visibility: 'public' });
    expect(got.data.messages[0].body).toContain('羽绒服');
    expect(got.data.shares).toEqual([]);

    // The same customer (by phone, normalised) is found again, not duplicated.
    const again = await postTicket(app, tenant.adminToken, { customer: { phone: '13800000001' } });
    expect(again.requesterId).toBe(created.requesterId);
    expect(again.number).toBe(created.number + 1);

    const history = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${created.id}/history`,
    });
    expect(history.data.items).toHaveLength(1);
    expect(history.data.items[0]).toMatchObject({
      action: 'created',
      actor: { type: 'user', id: tenant.adminUserId },
    });
  });

  it('stores tags with quotes, backslashes, commas, braces and NULL as written', async () => {
    const tags = ['say "hi"', 'back\\slash', 'a,b', '{x}', 'NULL', ' 双11 '];
    const stored = ['say "hi"', 'back\\slash', 'a,b', '{x}', 'NULL', '双11'];
    const created = await postTicket(app, tenant.adminToken, { tags });
    expect(created.tags).toEqual(stored);
    const got = await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/tickets/${created.id}` });
    expect(got.data.tags).toEqual(stored);
  });

  it('refuses a ticket without any customer identity, and bad input, changing nothing', async () => {
    const before = await testDb()
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenantId', '=', tenant.id)
      .executeTakeFirstOrThrow();
    for (const payload of [
      { body: '你好', channel: 'web', customer: { name: '无名' } },
      { body: '你好', channel: 'fax', customer: { email: 'a@b.cn' } },
      { body: '你好', channel: 'web', customer: { email: 'a@b.cn' }, priority: 1 },
      { body: '你好', channel: 'web', customer: { email: 'a@b.cn' }, extra: true },
      { body: '   ', channel: 'web', customer: { email: 'a@b.cn' } },
      { body: 'a\u0000b', channel: 'web', customer: { email: 'a@b.cn' } },
      {
        body: '你好',
        channel: 'web',
        customer: { email: 'a@b.cn' },
        teamId: '0192f0c4-8a4b-7c3d-9e1f-0123456789ab',
      },
    ]) {
      const response = await call(app, tenant.adminToken, {
        method: 'POST',
        url: '/api/v1/tickets',
        payload,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.data.code).toBe('VALIDATION_FAILED');
    }
    const noIdentity = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { body: '你好', channel: 'web', customer: { name: '无名' } },
    });
    expect(noIdentity.data.field).toBe('customer');
    const after = await testDb()
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenantId', '=', tenant.id)
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('patches with If-Match, bumps the version, and records before and after', async () => {
    const team = await createTeam(tenant);
    const agent = await createTestUser(tenant, 'agent', { teamIds: [team] });
    const ticket = await postTicket(app, tenant.adminToken, { tags: ['a'] });
    // The classifier gave the new ticket a category; the agent corrects it to another one.
    const corrected = ticket.category === 'invoice' ? 'quality' : 'invoice';

    const patched = await patchTicket(app, tenant.adminToken, ticket.id, 'W/"1"', {
      status: 'open',
      priority: 'urgent',
      assigneeId: agent.id,
      teamId: team,
      tags: ['a', 'vip'],
      category: corrected,
      fields: { size: 'L' },
      subject: '催发货',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.headers.etag).toBe('"2"');
    expect(patched.data).toMatchObject({
      version: 2,
      status: 'open',
      priority: 'urgent',
      assigneeId: agent.id,
      teamId: team,
      tags: ['a', 'vip'],
      category: corrected,
      fields: { size: 'L' },
      subject: '催发货',
    });

    const history = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${ticket.id}/history`,
    });
    const update = history.data.items[1];
    expect(update.action).toBe('updated');
    expect(update.changes).toEqual(
      expect.arrayContaining([
        { field: 'status', before: 'new', after: 'open' },
        { field: 'priority', before: 'normal', after: 'urgent' },
        { field: 'assigneeId', before: null, after: agent.id },
        { field: 'tags', before: ['a'], after: ['a', 'vip'] },
        { field: 'fields', before: {}, after: { size: 'L' } },
        { field: 'category', before: ticket.category, after: corrected },
      ]),
    );
    expect(update.changes).toHaveLength(8);

    // Solving stamps solved_at; reopening clears it; closing is final.
    const solved = await patchTicket(app, tenant.adminToken, ticket.id, '"2"', { status: 'solved' });
    expect(solved.data.solvedAt).not.toBeNull();
    const reopened = await patchTicket(app, tenant.adminToken, ticket.id, 3, { status: 'open' });
    expect(reopened.data.solvedAt).toBeNull();
    const closed = await patchTicket(app, tenant.adminToken, ticket.id, 4, { status: 'closed' });
    expect(closed.data.closedAt).not.toBeNull();
    const reopen = await patchTicket(app, tenant.adminToken, ticket.id, 5, { status: 'open' });
    expect(reopen.statusCode).toBe(400);
    expect(reopen.data).toMatchObject({ code: 'VALIDATION_FAILED', field: 'status' });
  });

  it('answers 412 on a stale version and 428 without If-Match, changing nothing', async () => {
    const ticket = await postTicket(app, tenant.adminToken);
    const first = await patchTicket(app, tenant.adminToken, ticket.id, 1, { priority: 'high' });
    expect(first.statusCode).toBe(200);
    const stale = await patchTicket(app, tenant.adminToken, ticket.id, 1, { priority: 'low' });
    expect(stale.statusCode).toBe(412);
    expect(stale.data.code).toBe('VERSION_MISMATCH');
    const missing = await patchTicket(app, tenant.adminToken, ticket.id, null, { priority: 'low' });
    expect(missing.statusCode).toBe(428);
    expect(missing.data.code).toBe('PRECONDITION_REQUIRED');
    const garbage = await patchTicket(app, tenant.adminToken, ticket.id, '"abc"', { priority: 'low' });
    expect(garbage.statusCode).toBe(412);
    const got = await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/tickets/${ticket.id}` });
    expect(got.data).toMatchObject({ priority: 'high', version: 2 });
  });

  it('validates assignee and team, and leaves the version alone on a no-op patch', async () => {
    const ticket = await postTicket(app, tenant.adminToken);
    const collaborator = await createTestUser(tenant, 'collaborator');
    const expired = await createTestUser(tenant, 'agent', { expiresAt: new Date(Date.now() - 1000) });
    const foreignTeam = await createTeam(other);
    for (const [payload, field] of [
      [{ assigneeId: collaborator.id }, 'assigneeId'],
      [{ assigneeId: expired.id }, 'assigneeId'],
      [{ assigneeId: other.adminUserId }, 'assigneeId'],
      [{ teamId: foreignTeam }, 'teamId'],
    ] as const) {
      const response = await patchTicket(app, tenant.adminToken, ticket.id, 1, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.data.field).toBe(field);
    }
    const noop = await patchTicket(app, tenant.adminToken, ticket.id, 1, { priority: 'normal' });
    expect(noop.statusCode).toBe(200);
    expect(noop.data.version).toBe(1);
    const empty = await patchTicket(app, tenant.adminToken, ticket.id, 1, {});
    expect(empty.statusCode).toBe(400);
    const blank = await patchTicket(app, tenant.adminToken, ticket.id, 1, { subject: ' \n ' });
    expect(blank.data).toMatchObject({ status: 400, field: 'subject' });
  });

  it('adds replies and notes: the first public reply opens the ticket and stamps the first response', async () => {
    const ticket = await postTicket(app, tenant.adminToken);
    const note = await call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/messages`,
      payload: { body: '仓库说明天发', visibility: 'internal' },
    });
    expect(note.statusCode).toBe(201);
    expect(note.data).toMatchObject({
      visibility: 'internal',
      authorType: 'agent',
      authorId: tenant.adminUserId,
    });
    let got = await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/tickets/${ticket.id}` });
    expect(got.data).toMatchObject({ status: 'new', firstRespondedAt: null, version: 1 });

    const reply = await call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/messages`,
      payload: { body: '您好，已为您催促仓库，预计明天发出。', visibility: 'public' },
    });
    expect(reply.statusCode).toBe(201);
    expect(reply.headers.etag).toBe('"2"');
    got = await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/tickets/${ticket.id}` });
    expect(got.data).toMatchObject({ status: 'open', version: 2 });
    expect(got.data.firstRespondedAt).not.toBeNull();
    expect((got.data.messages as Array<{ visibility: string }>).map((m) => m.visibility)).toEqual([
      'public',
      'internal',
      'public',
    ]);

    const history = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${ticket.id}/history`,
    });
    expect((history.data.items as Array<{ action: string }>).map((e) => e.action)).toEqual([
      'created',
      'noted',
      'replied',
    ]);
    expect(history.data.items[2].changes).toContainEqual({ field: 'status', before: 'new', after: 'open' });
  });

  it('answers 404 for a ticket of another tenant on every route', async () => {
    const ticket = await postTicket(app, tenant.adminToken);
    const routes = [
      { method: 'GET', url: `/api/v1/tickets/${ticket.id}` },
      { method: 'GET', url: `/api/v1/tickets/${ticket.id}/history` },
      {
        method: 'PATCH',
        url: `/api/v1/tickets/${ticket.id}`,
        headers: { 'if-match': '1' },
        payload: { priority: 'low' },
      },
      {
        method: 'POST',
        url: `/api/v1/tickets/${ticket.id}/messages`,
        payload: { body: 'x', visibility: 'internal' },
      },
      { method: 'POST', url: `/api/v1/tickets/${ticket.id}/shares`, payload: { department: 'warehouse' } },
      { method: 'DELETE', url: `/api/v1/tickets/${ticket.id}/shares/warehouse` },
    ] as const;
    for (const route of routes) {
      const response = await call(app, other.adminToken, route);
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(404);
    }
    const list = await call(app, other.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets?customerId=${ticket.requesterId}`,
    });
    expect(list.data.items).toEqual([]);
  });
});
