import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, createTestTenant, type TestTenant } from '../../../test/helpers.ts';

// A fixed instant so that due times are exact: a Friday, 10:00 in Shanghai.
const NOW = new Date('2026-11-27T02:00:00Z');
const MINUTE = 60_000;

describe('a new ticket is classified, routed and given SLA due times in its own commit', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;
  let refundTeam: string;
  let vipTeam: string;

  beforeAll(async () => {
    app = await buildTestApp({ now: () => NOW });
    tenant = await createTestTenant();
    const post = async (url: string, payload: object) => {
      const response = await call(app, tenant.adminToken, { method: 'POST', url, payload });
      expect(response.statusCode, JSON.stringify(response.data)).toBe(201);
      return response.data as { id: string };
    };
    refundTeam = (await post('/api/v1/teams', { name: '退款组' })).id;
    vipTeam = (await post('/api/v1/teams', { name: 'VIP 专席' })).id;
    await post('/api/v1/sla/policies', {
      name: '默认',
      isDefault: true,
      targets: [
        {
          priority: 'normal',
          minTier: 0,
          firstResponseMinutes: 60,
          nextResponseMinutes: 120,
          resolutionMinutes: 1440,
        },
        {
          priority: 'high',
          minTier: 0,
          firstResponseMinutes: 15,
          nextResponseMinutes: 60,
          resolutionMinutes: 480,
        },
        {
          priority: 'urgent',
          minTier: 0,
          firstResponseMinutes: 5,
          nextResponseMinutes: 30,
          resolutionMinutes: 240,
        },
      ],
    });
    await post('/api/v1/routing/rules', {
      name: 'VIP customers first',
      position: 1,
      stopProcessing: true,
      conditions: { all: [{ field: 'customerTier', op: 'gte', value: 3 }] },
      actions: { teamId: vipTeam, priority: 'urgent', addTags: ['vip'] },
    });
    await post('/api/v1/routing/rules', {
      name: 'Refunds to the refund team',
      position: 2,
      conditions: { all: [{ field: 'category', op: 'eq', value: 'refund' }] },
      actions: { teamId: refundTeam, priority: 'high', addTags: ['refund'] },
    });
  });
  afterAll(() => app.close());

  async function createTicket(body: string, customer: object) {
    const response = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { body, channel: 'web', customer },
    });
    expect(response.statusCode, JSON.stringify(response.data)).toBe(201);
    return response.data as Record<string, any>;
  }

  it('sends a refund question to the refund team with the high-priority targets', async () => {
    const ticket = await createTicket('我申请退款三天了钱还没退回来，什么时候到账？', {
      email: 'refund@example.com',
    });
    expect(ticket.category).toBe('refund');
    expect(ticket.categoryConfidence).toBeGreaterThan(0.5);
    expect(ticket).toMatchObject({ teamId: refundTeam, priority: 'high' });
    expect(ticket.tags).toContain('refund');
    expect(new Date(ticket.sla.firstResponseDueAt).getTime()).toBe(NOW.getTime() + 15 * MINUTE);
    expect(new Date(ticket.sla.resolutionDueAt).getTime()).toBe(NOW.getTime() + 480 * MINUTE);
    expect(new Date(ticket.sla.nextDueAt).getTime()).toBe(NOW.getTime() + 15 * MINUTE);

    const corrected = await call(app, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: { 'if-match': String(ticket.version) },
      payload: { category: 'return_exchange' },
    });
    expect(corrected.data).toMatchObject({ category: 'return_exchange', categoryConfidence: null });

    const history = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${ticket.id}/history`,
    });
    const created = history.data.items[0];
    expect(created.changes).toEqual(
      expect.arrayContaining([
        { field: 'category', before: null, after: 'refund' },
        { field: 'teamId', before: null, after: refundTeam },
        { field: 'routingRules', before: null, after: [expect.any(String)] },
      ]),
    );
  });

  it('puts a VIP customer ahead of the category rule', async () => {
    const customer = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: '黑钻会员', phone: '13900000003', tier: 5 },
    });
    expect([200, 201]).toContain(customer.statusCode);
    const ticket = await createTicket('退款怎么还没到账', { phone: '139 0000 0003' });
    expect(ticket).toMatchObject({ teamId: vipTeam, priority: 'urgent' });
    expect(ticket.tags).toEqual(expect.arrayContaining(['vip']));
    expect(ticket.tags).not.toContain('refund');
    expect(new Date(ticket.sla.firstResponseDueAt).getTime()).toBe(NOW.getTime() + 5 * MINUTE);
  });

  it('classifies an English question and leaves an unmatched ticket on the default policy', async () => {
    const ticket = await createTicket(
      'Can I get a VAT invoice (fapiao) for my order? I need it for my company.',
      {
        email: 'buyer@example.com',
      },
    );
    expect(ticket.category).toBe('invoice');
    expect(ticket).toMatchObject({ teamId: null, priority: 'normal' });
    expect(new Date(ticket.sla.firstResponseDueAt).getTime()).toBe(NOW.getTime() + 60 * MINUTE);
  });
});
