import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestToken,
  createTestUser,
  type TestTenant,
  type TestUser,
} from '../../../test/helpers.ts';
import { createTeam, patchTicket, postTicket, type TicketJson } from './ticket.factories.ts';

/** The role matrix on ticket routes, with visibility scopes and PII masking. */
describe('ticket access by role', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;
  let teamA: string;
  let teamB: string;
  let supervisor: TestUser;
  let agent: TestUser;
  let outsourced: TestUser;
  let collaborator: TestUser;
  let integration: string;
  let inA: TicketJson;
  let inB: TicketJson;

  const get = (token: string, id: string) =>
    call(app, token, { method: 'GET', url: `/api/v1/tickets/${id}` });
  const listIds = async (token: string) => {
    const response = await call(app, token, { method: 'GET', url: '/api/v1/tickets?limit=200' });
    expect(response.statusCode).toBe(200);
    return (response.data.items as TicketJson[]).map((t) => t.id);
  };
  const post = (token: string, id: string, visibility: 'public' | 'internal') =>
    call(app, token, {
      method: 'POST',
      url: `/api/v1/tickets/${id}/messages`,
      payload: { body: `${visibility} 消息，客户电话 13912345678`, visibility },
    });

  beforeAll(async () => {
    app = await buildTestApp();
    tenant = await createTestTenant();
    [teamA, teamB] = await Promise.all([createTeam(tenant, 'A'), createTeam(tenant, 'B')]);
    [supervisor, agent, outsourced, collaborator] = await Promise.all([
      createTestUser(tenant, 'supervisor'),
      createTestUser(tenant, 'agent', { teamIds: [teamB] }),
      createTestUser(tenant, 'outsourced_agent', { teamIds: [teamA] }),
      createTestUser(tenant, 'collaborator', { department: 'warehouse' }),
    ]);
    integration = await createTestToken(tenant, 'integration');
    const customer = { name: '王五', email: 'wang.wu@example.cn', phone: '13800000001' };
    inA = await postTicket(app, tenant.adminToken, {
      teamId: teamA,
      customer,
      subject: '联系我 13800000001 或 wang.wu@example.cn',
      body: '我的电话是 138 0000 0001，邮箱 wang.wu@example.cn，快递丢了',
    });
    inB = await postTicket(app, tenant.adminToken, { teamId: teamB, customer });
  });
  afterAll(() => app.close());

  it('lets admin, supervisor, agent and integration see every ticket with PII in clear', async () => {
    for (const token of [tenant.adminToken, supervisor.token, agent.token, integration]) {
      const ids = await listIds(token);
      expect(ids).toEqual(expect.arrayContaining([inA.id, inB.id]));
      const got = await get(token, inA.id);
      expect(got.statusCode).toBe(200);
      expect(got.data.requester).toMatchObject({ email: 'wang.wu@example.cn', phone: '13800000001' });
      expect(got.data.subject).toContain('13800000001');
    }
  });

  it('shows an outsourced agent only its teams’ tickets, with PII masked everywhere', async () => {
    expect(await listIds(outsourced.token)).toEqual([inA.id]);
    expect((await get(outsourced.token, inB.id)).statusCode).toBe(404);
    const got = await get(outsourced.token, inA.id);
    expect(got.statusCode).toBe(200);
    expect(got.data.requester).toMatchObject({ email: 'w***@example.cn', phone: '138****0001' });
    expect(got.data.subject).toBe('联系我 138****0001 或 w***@example.cn');
    expect(got.data.messages[0].body).not.toMatch(/0000|wang\.wu/);
    const listed = await call(app, outsourced.token, { method: 'GET', url: '/api/v1/tickets' });
    expect(listed.data.items[0].subject).not.toContain('13800000001');

    // It works its tickets, but may not move them out of its teams, nor touch other teams' tickets.
    expect((await patchTicket(app, outsourced.token, inA.id, 1, { priority: 'high' })).statusCode).toBe(200);
    const moved = await patchTicket(app, outsourced.token, inA.id, 2, { teamId: teamB });
    expect(moved.statusCode).toBe(403);
    expect((await patchTicket(app, outsourced.token, inA.id, 2, { teamId: null })).statusCode).toBe(403);
    expect((await patchTicket(app, outsourced.token, inB.id, 1, { priority: 'high' })).statusCode).toBe(404);
    expect((await post(outsourced.token, inA.id, 'public')).statusCode).toBe(201);
    expect((await post(outsourced.token, inB.id, 'internal')).statusCode).toBe(404);
    const history = await call(app, outsourced.token, {
      method: 'GET',
      url: `/api/v1/tickets/${inB.id}/history`,
    });
    expect(history.statusCode).toBe(404);

    // A ticket it creates lands in its own team so it stays in sight; another team is refused.
    const own = await postTicket(app, outsourced.token, { customer: { phone: '13900000002' } });
    expect(own.teamId).toBe(teamA);
    const elsewhere = await call(app, outsourced.token, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { body: 'x', channel: 'phone', customer: { phone: '13900000002' }, teamId: teamB },
    });
    expect(elsewhere.statusCode).toBe(403);
    // Merging and sharing are not its business.
    const merge = await call(app, outsourced.token, {
      method: 'POST',
      url: `/api/v1/tickets/${own.id}/merge`,
      payload: { targetId: inA.id },
    });
    expect(merge.statusCode).toBe(403);
  });

  it('shows a collaborator only what was shared with its department; it may note but not reply', async () => {
    expect(await listIds(collaborator.token)).toEqual([]);
    expect((await get(collaborator.token, inB.id)).statusCode).toBe(404);
    expect((await post(collaborator.token, inB.id, 'internal')).statusCode).toBe(404);

    const share = await call(app, agent.token, {
      method: 'POST',
      url: `/api/v1/tickets/${inB.id}/shares`,
      payload: { department: 'warehouse' },
    });
    expect(share.statusCode).toBe(200);
    expect(share.data.items).toMatchObject([{ department: 'warehouse', sharedBy: agent.id }]);
    const logisticsOnly = await call(app, agent.token, {
      method: 'POST',
      url: `/api/v1/tickets/${inA.id}/shares`,
      payload: { department: 'logistics' },
    });
    expect(logisticsOnly.statusCode).toBe(200);

    expect(await listIds(collaborator.token)).toEqual([inB.id]);
    const got = await get(collaborator.token, inB.id);
    expect(got.statusCode).toBe(200);
    expect(got.data.requester).toMatchObject({ email: 'w***@example.cn', phone: '138****0001' });
    expect(got.data.shares).toMatchObject([{ department: 'warehouse' }]);

    const note = await post(collaborator.token, inB.id, 'internal');
    expect(note.statusCode).toBe(201);
    expect(note.data.body).toContain('139****5678');
    const reply = await post(collaborator.token, inB.id, 'public');
    expect(reply.statusCode).toBe(403);
    expect((await patchTicket(app, collaborator.token, inB.id, 1, { priority: 'low' })).statusCode).toBe(403);
    const create = await call(app, collaborator.token, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { body: 'x', channel: 'web', customer: { email: 'x@y.cn' } },
    });
    expect(create.statusCode).toBe(403);
    const shareBack = await call(app, collaborator.token, {
      method: 'POST',
      url: `/api/v1/tickets/${inB.id}/shares`,
      payload: { department: 'purchasing' },
    });
    expect(shareBack.statusCode).toBe(403);

    // Unsharing takes the ticket out of its sight again.
    const unshare = await call(app, agent.token, {
      method: 'DELETE',
      url: `/api/v1/tickets/${inB.id}/shares/warehouse`,
    });
    expect(unshare.statusCode).toBe(204);
    expect((await get(collaborator.token, inB.id)).statusCode).toBe(404);
    const again = await call(app, agent.token, {
      method: 'DELETE',
      url: `/api/v1/tickets/${inB.id}/shares/warehouse`,
    });
    expect(again.statusCode).toBe(404);
    const unknown = await call(app, agent.token, {
      method: 'DELETE',
      url: `/api/v1/tickets/${inB.id}/shares/kitchen`,
    });
    expect(unknown.statusCode).toBe(404);
    const history = await call(app, agent.token, { method: 'GET', url: `/api/v1/tickets/${inB.id}/history` });
    expect((history.data.items as Array<{ action: string }>).map((e) => e.action)).toEqual([
      'created',
      'shared',
      'noted',
      'unshared',
    ]);
  });

  it('lets an integration token create, reply and patch, but not merge, and not use assigneeId=me', async () => {
    const created = await postTicket(app, integration, {
      channel: 'api',
      customer: { platform: 'taobao', externalId: 'tb-1' },
    });
    const got = await get(integration, created.id);
    expect(got.data.messages[0]).toMatchObject({ authorType: 'customer', authorId: created.requesterId });
    const history = await call(app, integration, {
      method: 'GET',
      url: `/api/v1/tickets/${created.id}/history`,
    });
    expect(history.data.items[0].actor.type).toBe('token');
    expect((await post(integration, created.id, 'public')).statusCode).toBe(201);
    expect((await patchTicket(app, integration, created.id, 2, { status: 'pending' })).statusCode).toBe(200);
    const merge = await call(app, integration, {
      method: 'POST',
      url: `/api/v1/tickets/${created.id}/merge`,
      payload: { targetId: inA.id },
    });
    expect(merge.statusCode).toBe(403);
    const me = await call(app, integration, { method: 'GET', url: '/api/v1/tickets?assigneeId=me' });
    expect(me.statusCode).toBe(400);
  });

  it('refuses anonymous callers', async () => {
    expect((await call(app, null, { method: 'GET', url: `/api/v1/tickets/${inA.id}` })).statusCode).toBe(401);
    expect((await call(app, null, { method: 'GET', url: '/api/v1/tickets' })).statusCode).toBe(401);
  });
});
