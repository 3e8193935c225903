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
import { runDueJobs } from '../intake/follow-up.sweep.ts';
import { runMaintenance } from './maintenance.sweep.ts';

const NOW = new Date('2026-11-11T04:00:00Z');
const HOUR = 3_600_000;

describe('after intake: assignment of new tickets and the maintenance sweep', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;
  let team: string;
  let agentId: string;

  beforeAll(async () => {
    app = await buildTestApp({ now: () => NOW });
    tenant = await createTestTenant();
    const created = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/teams',
      payload: { name: '售后' },
    });
    team = created.data.id;
    const agent = await createTestUser(tenant, 'agent', { teamIds: [team] });
    agentId = agent.id;
    await testDb()
      .updateTable('users')
      .set({ presence: 'online', capacity: 1 })
      .where('tenantId', '=', tenant.id)
      .where('id', '=', agentId)
      .execute();
    const policy = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/sla/policies',
      payload: {
        name: '大促 24/7',
        isDefault: true,
        escalation: { raisePriority: true, tags: ['sla-breached'] },
        targets: [
          {
            priority: 'normal',
            minTier: 0,
            firstResponseMinutes: 30,
            nextResponseMinutes: 60,
            resolutionMinutes: 600,
          },
          {
            priority: 'high',
            minTier: 0,
            firstResponseMinutes: 10,
            nextResponseMinutes: 30,
            resolutionMinutes: 300,
          },
        ],
      },
    });
    expect(policy.statusCode, JSON.stringify(policy.data)).toBe(201);
  });
  afterAll(() => app.close());

  async function newTicket(body: string) {
    const response = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: {
        body,
        channel: 'im',
        teamId: team,
        customer: { phone: `1380000${Math.floor(Math.random() * 9000 + 1000)}` },
      },
    });
    expect(response.statusCode, JSON.stringify(response.data)).toBe(201);
    return response.data as { id: string; assigneeId: string | null };
  }

  async function ticket(id: string) {
    return testDb()
      .selectFrom('tickets')
      .select(['assigneeId', 'priority', 'tags', 'slaBreachedAt'])
      .where('tenantId', '=', tenant.id)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  it('assigns a new ticket when its follow-up job runs, and queues the next one when the agent is full', async () => {
    const first = await newTicket('亲，我的包裹三天没动了');
    const second = await newTicket('还没发货吗？都付款两天了');
    expect(first.assigneeId).toBeNull();
    await runDueJobs(testDb(), NOW, 500, tenant.id);
    expect((await ticket(first.id)).assigneeId).toBe(agentId);
    // Capacity 1: the second waits in the team queue.
    expect((await ticket(second.id)).assigneeId).toBeNull();

    // Capacity frees: the periodic dispatch hands the waiting ticket out.
    await testDb()
      .updateTable('users')
      .set({ capacity: 2 })
      .where('tenantId', '=', tenant.id)
      .where('id', '=', agentId)
      .execute();
    const result = await runMaintenance(testDb(), NOW, { tenantId: tenant.id });
    expect(result.ticketsDispatched).toBeGreaterThanOrEqual(1);
    expect((await ticket(second.id)).assigneeId).toBe(agentId);
  });

  it('escalates a ticket whose first response is overdue, once', async () => {
    const overdue = await newTicket('我要投诉，东西是坏的');
    const later = new Date(NOW.getTime() + 2 * HOUR);
    const first = await runMaintenance(testDb(), later, { tenantId: tenant.id });
    expect(first.slaBreached).toBeGreaterThanOrEqual(1);
    const escalated = await ticket(overdue.id);
    expect(escalated.slaBreachedAt).not.toBeNull();
    expect(escalated.priority).toBe('high');
    expect(escalated.tags).toContain('sla-breached');
    const again = await runMaintenance(testDb(), later, { tenantId: tenant.id });
    expect(again.slaBreached).toBe(0);
  });
});
