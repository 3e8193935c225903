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
import { uuidv7 } from '../../lib/ids.ts';
import type { FloorStats } from './floor-stats.service.ts';
import { createTeam, postTicket, setTicketColumns } from '../tickets/ticket.factories.ts';

// A fixed clock well inside a day in Asia/Shanghai, so "today" and the 60-minute window are exact.
const NOW = new Date('2026-11-11T04:30:30Z');

describe('supervisor floor', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;
  let teamA: string;
  let teamB: string;
  let supervisor: TestUser;
  let agent: TestUser;
  let agent2: TestUser;

  beforeAll(async () => {
    app = await buildTestApp({ now: () => NOW });
    tenant = await createTestTenant('Floor shop');
    teamA = await createTeam(tenant, 'A');
    teamB = await createTeam(tenant, 'B');
    supervisor = await createTestUser(tenant, 'supervisor');
    agent = await createTestUser(tenant, 'agent', { teamIds: [teamA] });
    agent2 = await createTestUser(tenant, 'agent', { teamIds: [teamA, teamB] });
  });
  afterAll(() => app.close());

  it('is for supervisors and admins only', async () => {
    const denied = await call(app, agent.token, { method: 'GET', url: '/api/v1/stats/floor' });
    expect(denied.statusCode).toBe(403);
    const bad = await call(app, supervisor.token, {
      method: 'GET',
      url: '/api/v1/stats/floor?timeZone=Not/AZone',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('counts arrivals, backlog, SLA risk, load and response times', async () => {
    const db = testDb();
    const t1 = await postTicket(app, tenant.adminToken, { teamId: teamA });
    const t2 = await postTicket(app, tenant.adminToken, { teamId: teamA });
    const t3 = await postTicket(app, tenant.adminToken, { teamId: teamB });
    // t1: assigned to agent, overdue → breached. t2: warned (warning passed, due later) → at risk.
    await setTicketColumns(tenant, t1.id, {
      assigneeId: agent.id,
      nextDueAt: new Date(NOW.getTime() - 60_000),
    });
    await setTicketColumns(tenant, t2.id, { nextDueAt: new Date(NOW.getTime() + 3_600_000) });
    const policyId = uuidv7();
    await db
      .insertInto('slaPolicies')
      .values({
        tenantId: tenant.id,
        id: policyId,
        name: 'floor test',
        calendarId: null,
        targets: '[]',
        escalation: '{}',
        createdAt: NOW,
        updatedAt: NOW,
      })
      .execute();
    await db
      .updateTable('tickets')
      .set({
        slaPolicyId: policyId,
        slaWarningAt: null,
        firstRespondedAt: new Date(NOW.getTime() - 20 * 60_000),
        createdAt: new Date(NOW.getTime() - 30 * 60_000),
      })
      .where('tenantId', '=', tenant.id)
      .where('id', 'in', [t1.id, t2.id])
      .execute();
    // t3: solved an hour after creation, today.
    await db
      .updateTable('tickets')
      .set({
        status: 'solved',
        createdAt: new Date(NOW.getTime() - 3 * 3_600_000),
        solvedAt: new Date(NOW.getTime() - 2 * 3_600_000),
      })
      .where('tenantId', '=', tenant.id)
      .where('id', '=', t3.id)
      .execute();

    const response = await call(app, supervisor.token, { method: 'GET', url: '/api/v1/stats/floor' });
    expect(response.statusCode).toBe(200);
    const floor = response.data as FloorStats;
    expect(floor.arrivals.minutes).toHaveLength(60);
    const total = floor.arrivals.series.reduce((n, s) => n + s.counts.reduce((a, b) => a + b, 0), 0);
    // t1 and t2 were moved 30 minutes back (still in the window); t3 three hours back (outside).
    expect(total).toBe(2);
    const a = floor.backlog.find((b) => b.teamId === teamA);
    expect(a).toMatchObject({ open: 2, unassigned: 1, waiting: 0 });
    expect(floor.backlog.find((b) => b.teamId === teamB)).toBeUndefined();
    expect(floor.sla).toEqual({ atRisk: 1, breached: 1 });
    expect(a).toMatchObject({ atRisk: 1, breached: 1 });
    expect(floor.agents.find((x) => x.id === agent.id)).toMatchObject({ load: 1 });
    expect(floor.firstResponse).toEqual({ count: 2, medianSeconds: 600, p90Seconds: 600 });
    expect(floor.resolution).toEqual({ count: 1, medianSeconds: 3600, p90Seconds: 3600 });
  });

  it('reassigns in bulk with a result per ticket', async () => {
    const t1 = await postTicket(app, tenant.adminToken, { teamId: teamA });
    const t2 = await postTicket(app, tenant.adminToken, { teamId: teamA });
    const other = await createTestTenant('Other floor');
    const foreign = await postTicket(app, other.adminToken, {});
    const response = await call(app, supervisor.token, {
      method: 'POST',
      url: '/api/v1/tickets/bulk',
      payload: { ticketIds: [t1.id, t2.id, foreign.id], assigneeId: agent2.id, teamId: teamB },
    });
    expect(response.statusCode).toBe(200);
    expect(response.data.summary).toEqual({ updated: 2, unchanged: 0, failed: 1 });
    expect(response.data.results[2]).toMatchObject({
      id: foreign.id,
      status: 'failed',
      error: { code: 'TICKET_NOT_FOUND' },
    });
    const moved = await call(app, supervisor.token, { method: 'GET', url: `/api/v1/tickets/${t1.id}` });
    expect(moved.data.ticket ?? moved.data).toMatchObject({ assigneeId: agent2.id, teamId: teamB });
    const again = await call(app, supervisor.token, {
      method: 'POST',
      url: '/api/v1/tickets/bulk',
      payload: { ticketIds: [t1.id], assigneeId: agent2.id },
    });
    expect(again.data.summary).toEqual({ updated: 0, unchanged: 1, failed: 0 });
    const byAgent = await call(app, agent.token, {
      method: 'POST',
      url: '/api/v1/tickets/bulk',
      payload: { ticketIds: [t1.id], assigneeId: null },
    });
    expect(byAgent.statusCode).toBe(403);
  });

  it('lets a supervisor set an agent’s presence, but not an admin’s', async () => {
    const set = await call(app, supervisor.token, {
      method: 'PATCH',
      url: `/api/v1/users/${agent.id}/presence`,
      payload: { presence: 'away' },
    });
    expect(set.statusCode).toBe(200);
    expect(set.data.presence).toBe('away');
    const admin = await call(app, supervisor.token, {
      method: 'PATCH',
      url: `/api/v1/users/${tenant.adminUserId}/presence`,
      payload: { presence: 'offline' },
    });
    expect(admin.statusCode).toBe(403);
  });
});
