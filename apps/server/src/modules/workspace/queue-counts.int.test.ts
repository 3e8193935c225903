import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, createTestTenant, createTestUser } from '../../../test/helpers.ts';
import { createTeam, postTicket, setTicketColumns } from '../tickets/ticket.factories.ts';

const NOW = new Date('2026-11-11T04:00:00Z');

describe('GET /queues/counts', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp({ now: () => NOW });
  });
  afterAll(() => app.close());

  it('counts each queue within the caller’s scope', async () => {
    const tenant = await createTestTenant('Counts shop');
    const teamA = await createTeam(tenant, 'A');
    const teamB = await createTeam(tenant, 'B');
    const agent = await createTestUser(tenant, 'agent', { teamIds: [teamA] });
    const outsider = await createTestUser(tenant, 'outsourced_agent', { teamIds: [teamB] });
    const a1 = await postTicket(app, tenant.adminToken, { teamId: teamA });
    await postTicket(app, tenant.adminToken, { teamId: teamA });
    const b1 = await postTicket(app, tenant.adminToken, { teamId: teamB });
    const done = await postTicket(app, tenant.adminToken, { teamId: teamA });
    await setTicketColumns(tenant, a1.id, {
      assigneeId: agent.id,
      nextDueAt: new Date(NOW.getTime() + 30 * 60_000),
    });
    await setTicketColumns(tenant, b1.id, { nextDueAt: new Date(NOW.getTime() + 5 * 3_600_000) });
    await setTicketColumns(tenant, done.id, { status: 'solved' });

    const forAgent = await call(app, agent.token, {
      method: 'GET',
      url: `/api/v1/queues/counts?teamId=${teamA}`,
    });
    expect(forAgent.data).toEqual({ mine: 1, team: 2, unassigned: 2, breaching: 1, cap: 1000 });
    // The outsider sees team B only: A's tickets count nowhere, even when asked for team A.
    const forOutsider = await call(app, outsider.token, {
      method: 'GET',
      url: `/api/v1/queues/counts?teamId=${teamA}`,
    });
    expect(forOutsider.data).toEqual({ mine: 0, team: 0, unassigned: 1, breaching: 0, cap: 1000 });
  });
});
