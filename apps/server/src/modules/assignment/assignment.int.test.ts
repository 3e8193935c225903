import { inject, afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  testDb,
  type TestTenant,
} from '../../../test/helpers.ts';
import { createDb, createPool, type Db } from '../../db/database.ts';
import type { Presence, TicketPriority } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { AssignmentService } from './assignment.service.ts';

/** Factories writing straight to the tables (assignment reads them; intake is not under test here). */
let numbers = 0;
async function insertTeam(tenant: TestTenant): Promise<string> {
  const id = uuidv7();
  const now = new Date();
  await testDb()
    .insertInto('teams')
    .values({ tenantId: tenant.id, id, name: `team ${id}`, createdAt: now, updatedAt: now })
    .execute();
  return id;
}

async function insertAgent(
  tenant: TestTenant,
  teamId: string | null,
  options: { capacity?: number; presence?: Presence; skills?: Record<string, number> } = {},
): Promise<string> {
  const user = await createTestUser(tenant, 'agent', { teamIds: teamId ? [teamId] : [] });
  await testDb()
    .updateTable('users')
    .set({ capacity: options.capacity ?? 5, presence: options.presence ?? 'online' })
    .where('tenantId', '=', tenant.id)
    .where('id', '=', user.id)
    .execute();
  for (const [code, level] of Object.entries(options.skills ?? {})) {
    let skill = await testDb()
      .selectFrom('skills')
      .select('id')
      .where('tenantId', '=', tenant.id)
      .where('code', '=', code)
      .executeTakeFirst();
    if (!skill) {
      skill = { id: uuidv7() };
      const now = new Date();
      await testDb()
        .insertInto('skills')
        .values({
          tenantId: tenant.id,
          id: skill.id,
          code,
          name: code,
          kind: 'category',
          createdAt: now,
          updatedAt: now,
        })
        .execute();
    }
    await testDb()
      .insertInto('userSkills')
      .values({ tenantId: tenant.id, userId: user.id, skillId: skill.id, level })
      .execute();
  }
  return user.id;
}

async function insertTickets(
  tenant: TestTenant,
  count: number,
  values: { teamId?: string | null; priority?: TicketPriority; category?: string; createdAt?: Date } = {},
): Promise<string[]> {
  const db = testDb();
  const customerId = uuidv7();
  const now = new Date();
  await db
    .insertInto('customers')
    .values({ tenantId: tenant.id, id: customerId, createdAt: now, updatedAt: now })
    .execute();
  const rows = Array.from({ length: count }, () => ({
    tenantId: tenant.id,
    id: uuidv7(),
    number: ++numbers,
    subject: 'waiting',
    channel: 'web' as const,
    requesterId: customerId,
    fields: JSON.stringify({}),
    teamId: values.teamId ?? null,
    priority: values.priority ?? 'normal',
    category: values.category ?? null,
    createdAt: values.createdAt ?? now,
    updatedAt: now,
  }));
  await db.insertInto('tickets').values(rows).execute();
  return rows.map((r) => r.id);
}

async function loads(tenant: TestTenant): Promise<Map<string, number>> {
  const rows = await testDb()
    .selectFrom('tickets')
    .select(['assigneeId', sql<number>`count(*)::int`.as('n')])
    .where('tenantId', '=', tenant.id)
    .where('assigneeId', 'is not', null)
    .groupBy('assigneeId')
    .execute();
  return new Map(rows.map((r) => [r.assigneeId!, r.n]));
}

async function assignedEvents(tenant: TestTenant): Promise<Map<string, number>> {
  const rows = await testDb()
    .selectFrom('ticketEvents')
    .select(['ticketId', sql<number>`count(*)::int`.as('n')])
    .where('tenantId', '=', tenant.id)
    .where('action', '=', 'assigned')
    .groupBy('ticketId')
    .execute();
  return new Map(rows.map((r) => [r.ticketId, r.n]));
}

/** Runs `work` over `items` with `workers` concurrent loops sharing one queue. */
async function inParallel<T>(
  items: readonly T[],
  workers: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

let wide: Db;
beforeAll(() => {
  // Twenty real connections, so that twenty assigners really run at once.
  wide = createDb(createPool(inject('databaseUrl'), 20));
});
afterAll(() => wide.destroy());

describe('assignment under concurrency (real PostgreSQL, 20 connections)', () => {
  it('200 tickets, 10 agents of capacity 5, 20 assigners: nobody above capacity, no ticket twice, 50 assigned', async () => {
    const tenant = await createTestTenant();
    const team = await insertTeam(tenant);
    const agents = await Promise.all(
      Array.from({ length: 10 }, () => insertAgent(tenant, team, { capacity: 5 })),
    );
    const tickets = await insertTickets(tenant, 200, { teamId: team });
    const service = new AssignmentService(wide);
    const outcomes: string[] = [];
    // Every ticket is offered twice, by different workers, to provoke double assignment.
    await inParallel([...tickets, ...tickets.slice().reverse()], 20, async (id) => {
      outcomes.push((await service.assignTicket(tenant.id, id)).status);
    });

    const perAgent = await loads(tenant);
    expect([...perAgent.keys()].sort()).toEqual([...agents].sort());
    for (const n of perAgent.values()) expect(n).toBe(5);
    const events = await assignedEvents(tenant);
    expect(events.size).toBe(50);
    for (const n of events.values()) expect(n).toBe(1);
    expect(outcomes.filter((o) => o === 'assigned')).toHaveLength(50);
  });

  it('assigns every ticket when capacity suffices, with pulls racing pushes', async () => {
    const tenant = await createTestTenant();
    const team = await insertTeam(tenant);
    const agents = await Promise.all(
      Array.from({ length: 10 }, () => insertAgent(tenant, team, { capacity: 25 })),
    );
    const tickets = await insertTickets(tenant, 200, { teamId: team });
    const service = new AssignmentService(wide);
    const pulls = agents.flatMap((a) => Array.from({ length: 10 }, () => ({ pull: a })));
    const work = [...tickets.map((id) => ({ push: id })), ...pulls].sort((a, b) =>
      // A fixed interleaving of pushes and pulls.
      ('push' in a ? a.push : a.pull).localeCompare('push' in b ? b.push : b.pull),
    );
    await inParallel(work, 20, (item) =>
      'push' in item
        ? service.assignTicket(tenant.id, item.push)
        : service.pullNextTicket(tenant.id, item.pull),
    );

    const perAgent = await loads(tenant);
    expect([...perAgent.values()].reduce((a, b) => a + b, 0)).toBe(200);
    for (const n of perAgent.values()) expect(n).toBeLessThanOrEqual(25);
    const events = await assignedEvents(tenant);
    expect(events.size).toBe(200);
    for (const n of events.values()) expect(n).toBe(1);
  });
});

describe('who gets the ticket', () => {
  it('skill first, then least load, then round-robin', async () => {
    const tenant = await createTestTenant();
    const team = await insertTeam(tenant);
    const plain1 = await insertAgent(tenant, team);
    const plain2 = await insertAgent(tenant, team);
    const refundExpert = await insertAgent(tenant, team, { skills: { refund: 4 } });
    const service = new AssignmentService(testDb());

    const [refund] = await insertTickets(tenant, 1, { teamId: team, category: 'refund' });
    expect(await service.assignTicket(tenant.id, refund!)).toEqual({
      status: 'assigned',
      agentId: refundExpert,
    });

    // No skill applies: the two without tickets share the next two, one each (least load, then round-robin).
    const others = await insertTickets(tenant, 2, { teamId: team, category: 'logistics' });
    const got = [];
    for (const id of others) got.push(await service.assignTicket(tenant.id, id));
    expect(got.map((g) => (g.status === 'assigned' ? g.agentId : null)).sort()).toEqual(
      [plain1, plain2].sort(),
    );

    // All at load 1 now: round-robin gives the next to whoever waited longest (the refund expert).
    const [next] = await insertTickets(tenant, 1, { teamId: team, category: 'logistics' });
    expect(await service.assignTicket(tenant.id, next!)).toEqual({
      status: 'assigned',
      agentId: refundExpert,
    });
  });

  it('only online agents of the ticket’s team', async () => {
    const tenant = await createTestTenant();
    const team = await insertTeam(tenant);
    const elsewhere = await insertTeam(tenant);
    await insertAgent(tenant, team, { presence: 'away' });
    await insertAgent(tenant, elsewhere);
    const [id] = await insertTickets(tenant, 1, { teamId: team });
    expect(await new AssignmentService(testDb()).assignTicket(tenant.id, id!)).toEqual({ status: 'queued' });
  });
});

describe('queues', () => {
  it('hands out the most urgent, then oldest, waiting ticket when an agent comes online', async () => {
    const tenant = await createTestTenant();
    const team = await insertTeam(tenant);
    const agent = await insertAgent(tenant, team, { capacity: 2, presence: 'offline' });
    const service = new AssignmentService(testDb());
    const [oldNormal] = await insertTickets(tenant, 1, {
      teamId: team,
      createdAt: new Date('2026-11-11T00:00:00Z'),
    });
    const [newUrgent] = await insertTickets(tenant, 1, {
      teamId: team,
      priority: 'urgent',
      createdAt: new Date('2026-11-11T02:00:00Z'),
    });
    const [olderUrgent] = await insertTickets(tenant, 1, {
      teamId: team,
      priority: 'urgent',
      createdAt: new Date('2026-11-11T01:00:00Z'),
    });
    for (const id of [oldNormal, newUrgent, olderUrgent])
      expect((await service.assignTicket(tenant.id, id!)).status).toBe('queued');

    await testDb()
      .updateTable('users')
      .set({ presence: 'online' })
      .where('tenantId', '=', tenant.id)
      .where('id', '=', agent)
      .execute();
    expect(await service.onCapacityFreed(tenant.id, agent)).toEqual([olderUrgent, newUrgent]);
  });

  it('going offline hands back untouched tickets to other agents', async () => {
    const tenant = await createTestTenant();
    const team = await insertTeam(tenant);
    const leaving = await insertAgent(tenant, team);
    const [touched, untouched] = await insertTickets(tenant, 2, { teamId: team });
    const service = new AssignmentService(testDb());
    await service.assignTicket(tenant.id, touched!);
    await service.assignTicket(tenant.id, untouched!);
    await testDb()
      .insertInto('ticketMessages')
      .values({
        tenantId: tenant.id,
        id: uuidv7(),
        ticketId: touched!,
        authorType: 'agent',
        authorId: leaving,
        visibility: 'public',
        body: '在查',
        createdAt: new Date(),
      })
      .execute();
    const staying = await insertAgent(tenant, team);

    await testDb()
      .updateTable('users')
      .set({ presence: 'offline' })
      .where('tenantId', '=', tenant.id)
      .where('id', '=', leaving)
      .execute();
    await service.onPresenceChanged(tenant.id, leaving, 'offline');
    const rows = await testDb()
      .selectFrom('tickets')
      .select(['id', 'assigneeId'])
      .where('tenantId', '=', tenant.id)
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.assigneeId]))).toEqual({
      [touched!]: leaving,
      [untouched!]: staying,
    });
  });
});

describe('POST /tickets/next', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('gives the caller the next waiting ticket of their teams, up to capacity', async () => {
    const tenant = await createTestTenant();
    const team = await insertTeam(tenant);
    const user = await createTestUser(tenant, 'agent', { teamIds: [team] });
    await testDb()
      .updateTable('users')
      .set({ capacity: 1 })
      .where('tenantId', '=', tenant.id)
      .where('id', '=', user.id)
      .execute();
    const [mine] = await insertTickets(tenant, 1, { teamId: team });
    await insertTickets(tenant, 1, { teamId: await insertTeam(tenant) });

    const first = await call(app, user.token, { method: 'POST', url: '/api/v1/tickets/next' });
    expect(first.statusCode).toBe(200);
    expect(first.data).toEqual({ ticketId: mine, status: 'assigned' });
    const full = await call(app, user.token, { method: 'POST', url: '/api/v1/tickets/next' });
    expect(full.data).toEqual({ ticketId: null, status: 'at_capacity' });

    const collaborator = await createTestUser(tenant, 'collaborator');
    expect(
      (await call(app, collaborator.token, { method: 'POST', url: '/api/v1/tickets/next' })).statusCode,
    ).toBe(403);
  });
});
