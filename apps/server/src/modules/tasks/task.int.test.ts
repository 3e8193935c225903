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
import { createTeam, postTicket } from '../tickets/ticket.factories.ts';

/** One string field of every item of a JSON list. */
const field = (items: unknown, name: string): string[] =>
  (items as Array<Record<string, string>>).map((item) => item[name]!);
const last = (items: unknown): Record<string, string> => (items as Array<Record<string, string>>).at(-1)!;

// Monday 2026-11-09 10:00 in Shanghai; the clock moves only when a test moves it.
let clock = new Date('2026-11-09T02:00:00Z');
const MIN = 60_000;

describe('department tasks through the API', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;
  let agent: TestUser;
  let lead: TestUser;
  let packer: TestUser;
  let buyer: TestUser; // a purchasing collaborator: not a warehouse member
  let warehouse: string;
  let purchasing: string;

  const post = (token: string, url: string, payload: unknown) =>
    call(app, token, { method: 'POST', url, payload: payload as Record<string, unknown> });
  const get = (token: string, url: string) => call(app, token, { method: 'GET', url });
  const patch = (token: string, url: string, payload: unknown) =>
    call(app, token, { method: 'PATCH', url, payload: payload as Record<string, unknown> });

  beforeAll(async () => {
    app = await buildTestApp({ now: () => clock });
    tenant = await createTestTenant('Tasks shop');
    agent = await createTestUser(tenant, 'agent');
    lead = await createTestUser(tenant, 'collaborator', { department: 'warehouse' });
    packer = await createTestUser(tenant, 'collaborator', { department: 'warehouse' });
    buyer = await createTestUser(tenant, 'collaborator', { department: 'purchasing' });
    const calendar = await post(tenant.adminToken, '/api/v1/sla/calendars', {
      name: 'Warehouse 9–18',
      timeZone: 'Asia/Shanghai',
      hours: Object.fromEntries(
        ['1', '2', '3', '4', '5'].map((d) => [d, [{ start: '09:00', end: '18:00' }]]),
      ),
    });
    expect(calendar.statusCode, calendar.body).toBe(201);
    const w = await post(tenant.adminToken, '/api/v1/departments', {
      name: '仓库 Warehouse',
      kind: 'warehouse',
      leadId: lead.id,
      memberIds: [packer.id],
      olaMinutes: 240,
      calendarId: calendar.data.id,
      onLastTaskClosed: 'reopen',
    });
    expect(w.statusCode, w.body).toBe(201);
    warehouse = w.data.id;
    const p = await post(tenant.adminToken, '/api/v1/departments', {
      name: '采购 Purchasing',
      kind: 'purchasing',
      memberIds: [buyer.id],
      olaMinutes: 60,
      onLastTaskClosed: 'note',
    });
    expect(p.statusCode, p.body).toBe(201);
    purchasing = p.data.id;
  });
  afterAll(() => app.close());

  it('manages departments: unique names, tenant users only, audited', async () => {
    const clash = await post(tenant.adminToken, '/api/v1/departments', {
      name: '仓库 warehouse',
      kind: 'other',
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.data.code).toBe('NAME_TAKEN');
    const stranger = await post(tenant.adminToken, '/api/v1/departments', {
      name: 'Ghosts',
      kind: 'other',
      leadId: '01900000-0000-7000-8000-000000000000',
    });
    expect(stranger.statusCode).toBe(400);
    const byAgent = await post(agent.token, '/api/v1/departments', { name: 'Agents', kind: 'other' });
    expect(byAgent.statusCode).toBe(403);
    const changed = await patch(tenant.adminToken, `/api/v1/departments/${purchasing}`, { olaMinutes: 90 });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.data).toMatchObject({ olaMinutes: 90, memberIds: [buyer.id] });
    const audit = await get(tenant.adminToken, '/api/v1/audit-log?action=department.updated');
    expect(field(audit.data.items, 'targetId')).toContain(purchasing);
    // Collaborators list only their own departments.
    const mine = await get(buyer.token, '/api/v1/departments');
    expect(field(mine.data.items, 'id')).toEqual([purchasing]);
  });

  it('creates a task due by the department’s OLA on its calendar, with a history event', async () => {
    clock = new Date('2026-11-09T08:00:00Z'); // Monday 16:00 Shanghai: 2 h today, 2 h Tuesday from 09:00
    const ticket = await postTicket(app, agent.token, { subject: '包裹重量不对 13812345678' });
    const created = await post(agent.token, `/api/v1/tickets/${ticket.id}/tasks`, {
      departmentId: warehouse,
      title: 'Check the package weight',
      description: 'Customer says 2 kg, label says 5 kg; call 13812345678 if needed',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({
      status: 'open',
      ownerId: null,
      departmentId: warehouse,
      dueAt: '2026-11-10T03:00:00.000Z',
      dueState: 'ok',
      ticket: { id: ticket.id, number: ticket.number },
    });
    const history = await get(agent.token, `/api/v1/tickets/${ticket.id}/history`);
    const actions = field(history.data.items ?? history.data, 'action');
    expect(actions).toContain('task.created');

    const explicit = await post(agent.token, `/api/v1/tickets/${ticket.id}/tasks`, {
      departmentId: purchasing,
      title: 'When will SKU X be restocked?',
      dueAt: '2026-11-09T09:00:00.000Z',
    });
    expect(explicit.data.dueAt).toBe('2026-11-09T09:00:00.000Z');
    const listed = await get(agent.token, `/api/v1/tickets/${ticket.id}/tasks`);
    expect(field(listed.data.items, 'id')).toEqual([created.data.id, explicit.data.id]);
  });

  it('refuses an unknown department, a past dueAt and another tenant’s ids', async () => {
    const ticket = await postTicket(app, agent.token);
    const unknown = await post(agent.token, `/api/v1/tickets/${ticket.id}/tasks`, {
      departmentId: '01900000-0000-7000-8000-000000000000',
      title: 'x',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.data.code).toBe('DEPARTMENT_NOT_FOUND');
    const past = await post(agent.token, `/api/v1/tickets/${ticket.id}/tasks`, {
      departmentId: warehouse,
      title: 'x',
      dueAt: '2020-01-01T00:00:00Z',
    });
    expect(past.statusCode).toBe(400);
    const nul = await post(agent.token, `/api/v1/tickets/${ticket.id}/tasks`, {
      departmentId: warehouse,
      title: 'bad \u0000 title',
    });
    expect(nul.statusCode).toBe(400);
    const nulName = await post(tenant.adminToken, '/api/v1/departments', { name: 'x\u0000', kind: 'other' });
    expect(nulName.statusCode).toBe(400);
    const task = await post(agent.token, `/api/v1/tickets/${ticket.id}/tasks`, {
      departmentId: warehouse,
      title: 'y',
    });
    const other = await createTestTenant('Other shop');
    for (const url of [
      `/api/v1/tasks/${task.data.id}`,
      `/api/v1/tasks/${task.data.id}/messages`,
      `/api/v1/departments/${warehouse}`,
    ]) {
      expect((await get(other.adminToken, url)).statusCode).toBe(404);
    }
    expect(
      (await post(other.adminToken, `/api/v1/tasks/${task.data.id}/messages`, { body: 'hi' })).statusCode,
    ).toBe(404);
    expect(
      (await patch(other.adminToken, `/api/v1/tasks/${task.data.id}`, { status: 'cancelled' })).statusCode,
    ).toBe(404);
  });

  it('lets department members see and work only their department’s tasks, not the ticket, with PII masked', async () => {
    const ticket = await postTicket(app, agent.token, { subject: '退货 13812345678' });
    const w = await post(agent.token, `/api/v1/tickets/${ticket.id}/tasks`, {
      departmentId: warehouse,
      title: 'Weigh the parcel for 13812345678',
    });
    const p = await post(agent.token, `/api/v1/tickets/${ticket.id}/tasks`, {
      departmentId: purchasing,
      title: 'Restock?',
    });

    // The packer sees the warehouse task (masked), not the purchasing one, and not the ticket itself.
    const seen = await get(packer.token, `/api/v1/tasks/${w.data.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.data.title).toBe('Weigh the parcel for 138****5678');
    expect(seen.data.ticket.subject).toBe('退货 138****5678');
    expect((await get(packer.token, `/api/v1/tasks/${p.data.id}`)).statusCode).toBe(404);
    expect((await get(packer.token, `/api/v1/tickets/${ticket.id}`)).statusCode).toBe(404);
    const ofTicket = await get(packer.token, `/api/v1/tickets/${ticket.id}/tasks`);
    expect(field(ofTicket.data.items, 'id')).toEqual([w.data.id]);
    const queue = await get(packer.token, `/api/v1/tasks?status=open&status=in_progress`);
    expect(field(queue.data.items, 'departmentId').every((d) => d === warehouse)).toBe(true);
    // …and cannot work the purchasing task or create tasks.
    expect((await post(packer.token, `/api/v1/tasks/${p.data.id}/claim`, {})).statusCode).toBe(404);
    expect(
      (
        await post(packer.token, `/api/v1/tickets/${ticket.id}/tasks`, {
          departmentId: warehouse,
          title: 'z',
        })
      ).statusCode,
    ).toBe(403);

    // Claim, talk in the thread with the agent, finish.
    const claimed = await post(packer.token, `/api/v1/tasks/${w.data.id}/claim`, {});
    expect(claimed.data).toMatchObject({ status: 'in_progress', ownerId: packer.id });
    expect(
      (await post(packer.token, `/api/v1/tasks/${w.data.id}/messages`, { body: '称重 2.1 kg' })).statusCode,
    ).toBe(201);
    expect(
      (await post(agent.token, `/api/v1/tasks/${w.data.id}/messages`, { body: 'Thanks, call 13812345678' }))
        .statusCode,
    ).toBe(201);
    const thread = await get(packer.token, `/api/v1/tasks/${w.data.id}/messages`);
    expect(field(thread.data.items, 'body')).toEqual(['称重 2.1 kg', 'Thanks, call 138****5678']);
    const agentThread = await get(agent.token, `/api/v1/tasks/${w.data.id}/messages`);
    expect(agentThread.data.items[1].body).toBe('Thanks, call 13812345678');

    // The agent may cancel but not claim or assign; assigning needs a department member.
    expect((await post(agent.token, `/api/v1/tasks/${w.data.id}/claim`, {})).statusCode).toBe(403);
    expect((await patch(agent.token, `/api/v1/tasks/${w.data.id}`, { ownerId: agent.id })).statusCode).toBe(
      403,
    );
    const notMember = await patch(tenant.adminToken, `/api/v1/tasks/${w.data.id}`, { ownerId: buyer.id });
    expect(notMember.statusCode).toBe(400);
    const toLead = await patch(packer.token, `/api/v1/tasks/${w.data.id}`, { ownerId: lead.id });
    expect(toLead.data.ownerId).toBe(lead.id);
    const mine = await get(lead.token, '/api/v1/tasks?mine=true');
    expect(field(mine.data.items, 'id')).toContain(w.data.id);
  });

  it('pages the department queue newest first with keyset cursors', async () => {
    const ticket = await postTicket(app, agent.token);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock = new Date(clock.getTime() + MIN);
      const t = await post(agent.token, `/api/v1/tickets/${ticket.id}/tasks`, {
        departmentId: purchasing,
        title: `q${i}`,
      });
      ids.push(t.data.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(
        buyer.token,
        `/api/v1/tasks?departmentId=${purchasing}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.statusCode, page.body).toBe(200);
      seen.push(...field(page.data.items, 'id'));
      cursor = page.data.nextCursor;
    } while (cursor);
    expect(seen.slice(0, 5)).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    expect((await get(buyer.token, '/api/v1/tasks?cursor=nope')).statusCode).toBe(400);
  });

  it('reopens a pending ticket for its agent when its last open task closes (department setting "reopen")', async () => {
    const ticket = await postTicket(app, agent.token);
    const a = await post(agent.token, `/api/v1/tickets/${ticket.id}/tasks`, {
      departmentId: warehouse,
      title: 'a',
    });
    const b = await post(agent.token, `/api/v1/tickets/${ticket.id}/tasks`, {
      departmentId: warehouse,
      title: 'b',
    });
    const current = await get(agent.token, `/api/v1/tickets/${ticket.id}`);
    const pending = await call(app, agent.token, {
      method: 'PATCH',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: { 'if-match': `"${current.data.version}"` },
      payload: { status: 'pending' },
    });
    expect(pending.statusCode, pending.body).toBe(200);

    expect((await patch(packer.token, `/api/v1/tasks/${a.data.id}`, { status: 'done' })).data.status).toBe(
      'done',
    );
    expect((await get(agent.token, `/api/v1/tickets/${ticket.id}`)).data.status).toBe('pending');
    // The ticket's side cancels the other one: that was the last open task.
    const cancelled = await patch(agent.token, `/api/v1/tasks/${b.data.id}`, { status: 'cancelled' });
    expect(cancelled.data.status).toBe('cancelled');
    const after = await get(agent.token, `/api/v1/tickets/${ticket.id}`);
    expect(after.data.status).toBe('open');
    expect(last(after.data.messages)).toMatchObject({ authorType: 'system', visibility: 'internal' });
    const history = await get(agent.token, `/api/v1/tickets/${ticket.id}/history`);
    const actions = field(history.data.items ?? history.data, 'action');
    expect(actions).toEqual(expect.arrayContaining(['task.done', 'task.cancelled', 'tasks.all_closed']));
    // Closed tasks are final and their threads closed.
    expect((await patch(packer.token, `/api/v1/tasks/${a.data.id}`, { status: 'open' })).data.code).toBe(
      'TASK_TRANSITION_INVALID',
    );
    expect(
      (await post(packer.token, `/api/v1/tasks/${a.data.id}/messages`, { body: 'late' })).statusCode,
    ).toBe(409);
  });

  it('only notes on the ticket when the department says "note", and leaves a pending ticket pending', async () => {
    const ticket = await postTicket(app, agent.token);
    const t = await post(agent.token, `/api/v1/tickets/${ticket.id}/tasks`, {
      departmentId: purchasing,
      title: 'Restock date',
    });
    const current = await get(agent.token, `/api/v1/tickets/${ticket.id}`);
    await call(app, agent.token, {
      method: 'PATCH',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: { 'if-match': `"${current.data.version}"` },
      payload: { status: 'pending' },
    });
    await patch(buyer.token, `/api/v1/tasks/${t.data.id}`, { status: 'done' });
    const after = await get(agent.token, `/api/v1/tickets/${ticket.id}`);
    expect(after.data.status).toBe('pending');
    expect(last(after.data.messages).body).toContain('Restock date');
  });

  it('applies the last-task effect once when a ticket’s last two tasks close at the same time', async () => {
    const ticket = await postTicket(app, agent.token);
    const a = await post(agent.token, `/api/v1/tickets/${ticket.id}/tasks`, {
      departmentId: purchasing,
      title: 'a',
    });
    const b = await post(agent.token, `/api/v1/tickets/${ticket.id}/tasks`, {
      departmentId: purchasing,
      title: 'b',
    });
    const [ra, rb] = await Promise.all([
      patch(buyer.token, `/api/v1/tasks/${a.data.id}`, { status: 'done' }),
      patch(buyer.token, `/api/v1/tasks/${b.data.id}`, { status: 'done' }),
    ]);
    expect([ra.statusCode, rb.statusCode]).toEqual([200, 200]);
    const notes = await testDb()
      .selectFrom('ticketMessages')
      .select('body')
      .where('tenantId', '=', tenant.id)
      .where('ticketId', '=', ticket.id)
      .where('authorType', '=', 'system')
      .execute();
    expect(notes).toHaveLength(1);
  });

  it('shows an outsourced agent only the tasks of its teams’ tickets', async () => {
    const team = await createTeam(tenant);
    const outsider = await createTestUser(tenant, 'outsourced_agent', { teamIds: [team] });
    const theirs = await postTicket(app, agent.token, { teamId: team });
    const other = await postTicket(app, agent.token);
    const visible = await post(outsider.token, `/api/v1/tickets/${theirs.id}/tasks`, {
      departmentId: warehouse,
      title: 'Check the weight',
    });
    expect(visible.statusCode, visible.body).toBe(201);
    const hidden = await post(agent.token, `/api/v1/tickets/${other.id}/tasks`, {
      departmentId: warehouse,
      title: 'x',
    });
    expect((await get(outsider.token, `/api/v1/tasks/${hidden.data.id}`)).statusCode).toBe(404);
    expect(
      (
        await post(outsider.token, `/api/v1/tickets/${other.id}/tasks`, {
          departmentId: warehouse,
          title: 'y',
        })
      ).statusCode,
    ).toBe(404);
    const queue = await get(outsider.token, '/api/v1/tasks?limit=200');
    expect(field(queue.data.items, 'id')).toContain(visible.data.id);
    expect(field(queue.data.items, 'id')).not.toContain(hidden.data.id);
  });

  it('keeps tasks in the test tenant only', async () => {
    const rows = await testDb()
      .selectFrom('tasks')
      .select('tenantId')
      .where('tenantId', '=', tenant.id)
      .execute();
    expect(rows.length).toBeGreaterThan(0);
  });
});
