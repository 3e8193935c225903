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
import { runMaintenance } from '../maintenance/maintenance.sweep.ts';
import { postTicket } from '../tickets/ticket.factories.ts';
import { sweepTaskOla } from './task-ola.sweep.ts';

const NOW = new Date('2026-11-11T02:00:00Z');
const HOUR = 3_600_000;

describe('the OLA sweep', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;
  let agent: TestUser;
  let lead: TestUser;
  let member: TestUser;
  let department: string;

  beforeAll(async () => {
    app = await buildTestApp({ now: () => NOW });
    tenant = await createTestTenant('OLA shop');
    agent = await createTestUser(tenant, 'agent');
    lead = await createTestUser(tenant, 'collaborator', { department: 'logistics' });
    member = await createTestUser(tenant, 'collaborator', { department: 'logistics' });
    const created = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/departments',
      payload: {
        name: '物流 Logistics',
        kind: 'logistics',
        leadId: lead.id,
        memberIds: [member.id],
        olaMinutes: 60,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    department = created.data.id;
  });
  afterAll(() => app.close());

  async function newTasks(count: number): Promise<string[]> {
    const ticket = await postTicket(app, agent.token);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const r = await call(app, agent.token, {
        method: 'POST',
        url: `/api/v1/tickets/${ticket.id}/tasks`,
        payload: { departmentId: department, title: `File a claim with the carrier #${i}` },
      });
      expect(r.statusCode, r.body).toBe(201);
      ids.push(r.data.id);
    }
    return ids;
  }

  const escalationEvents = async (taskIds: string[]) => {
    const events = await testDb()
      .selectFrom('ticketEvents')
      .select('changes')
      .where('tenantId', '=', tenant.id)
      .where('action', '=', 'task.escalated')
      .execute();
    return events.filter((e) => taskIds.includes((e.changes[0]?.after as { id: string }).id)).length;
  };

  it('leaves tasks alone before their due time', async () => {
    const ids = await newTasks(1);
    expect(await sweepTaskOla(testDb(), tenant.id, new Date(NOW.getTime() + 59 * 60_000))).toBe(0);
    const task = await call(app, agent.token, { method: 'GET', url: `/api/v1/tasks/${ids[0]}` });
    expect(task.data.escalatedAt).toBeNull();
  });

  it('escalates each overdue task exactly once when two workers sweep at the same time', async () => {
    const ids = await newTasks(12);
    const later = new Date(NOW.getTime() + 2 * HOUR);
    // Small batches so that the two sweeps interleave over several transactions.
    const sweep = async () => {
      let total = 0;
      for (
        let n = await sweepTaskOla(testDb(), tenant.id, later, 3);
        n > 0;
        n = await sweepTaskOla(testDb(), tenant.id, later, 3)
      )
        total += n;
      return total;
    };
    const [a, b] = await Promise.all([sweep(), sweep()]);
    // 13 due: the 12 new ones and the one from the first test.
    expect(a + b).toBe(13);
    expect(await escalationEvents(ids)).toBe(12);
    const rows = await testDb()
      .selectFrom('tasks')
      .select(['id', 'ownerId', 'escalatedAt'])
      .where('tenantId', '=', tenant.id)
      .where('id', 'in', ids)
      .execute();
    expect(rows.every((r) => r.ownerId === lead.id && r.escalatedAt?.getTime() === later.getTime())).toBe(
      true,
    );
    const notes = await testDb()
      .selectFrom('taskMessages')
      .select('taskId')
      .where('tenantId', '=', tenant.id)
      .where('authorType', '=', 'system')
      .where('taskId', 'in', ids)
      .execute();
    expect(notes.length).toBe(12);
    expect(await sweepTaskOla(testDb(), tenant.id, later)).toBe(0);
  });

  it('keeps an owned task with its owner and shows it as escalated; runs inside the maintenance sweep', async () => {
    const [id] = await newTasks(1);
    await call(app, member.token, { method: 'POST', url: `/api/v1/tasks/${id}/claim` });
    const later = new Date(NOW.getTime() + 3 * HOUR);
    const result = await runMaintenance(testDb(), later, { tenantId: tenant.id });
    expect(result.tasksEscalated).toBe(1);
    const task = await call(app, lead.token, { method: 'GET', url: `/api/v1/tasks/${id}` });
    expect(task.data).toMatchObject({ ownerId: member.id, dueState: 'escalated', status: 'in_progress' });
    expect((await runMaintenance(testDb(), later, { tenantId: tenant.id })).tasksEscalated).toBe(0);
    const leadView = await call(app, lead.token, {
      method: 'GET',
      url: '/api/v1/tasks?escalated=true&status=in_progress',
    });
    expect((leadView.data.items as Array<{ id: string }>).map((t) => t.id)).toContain(id);
    const calm = await call(app, lead.token, {
      method: 'GET',
      url: '/api/v1/tasks?escalated=false&limit=200',
    });
    expect((calm.data.items as Array<{ id: string }>).map((t) => t.id)).not.toContain(id);
  });

  it('never escalates a closed task', async () => {
    const [id] = await newTasks(1);
    await call(app, member.token, {
      method: 'PATCH',
      url: `/api/v1/tasks/${id}`,
      payload: { status: 'done' },
    });
    expect(await sweepTaskOla(testDb(), tenant.id, new Date(NOW.getTime() + 5 * HOUR))).toBe(0);
  });
});
