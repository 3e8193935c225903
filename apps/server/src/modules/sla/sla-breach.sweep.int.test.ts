import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestTenant, createTestUser, testDb, type TestTenant } from '../../../test/helpers.ts';
import { createDb, createPool, type Db } from '../../db/database.ts';
import type { TicketStatus } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { sweepSla } from './sla-breach.sweep.ts';

const NOW = new Date('2026-11-11T04:00:00Z');
const minutes = (m: number) => new Date(NOW.getTime() + m * 60_000);
let numbers = 0;

async function insertTeam(tenant: TestTenant, name: string) {
  const id = uuidv7();
  await testDb()
    .insertInto('teams')
    .values({ tenantId: tenant.id, id, name, createdAt: NOW, updatedAt: NOW })
    .execute();
  return id;
}

async function insertPolicy(tenant: TestTenant, escalation: Record<string, unknown>) {
  const id = uuidv7();
  await testDb()
    .insertInto('slaPolicies')
    .values({
      tenantId: tenant.id,
      id,
      name: `p ${id}`,
      calendarId: null,
      targets: '[]',
      escalation: JSON.stringify(escalation),
      createdAt: NOW,
      updatedAt: NOW,
    })
    .execute();
  return id;
}

async function insertTicket(
  tenant: TestTenant,
  values: {
    warnAt?: Date | null;
    dueAt?: Date | null;
    status?: TicketStatus;
    policyId?: string | null;
    teamId?: string | null;
    assigneeId?: string | null;
  },
) {
  const customerId = uuidv7();
  await testDb()
    .insertInto('customers')
    .values({ tenantId: tenant.id, id: customerId, createdAt: NOW, updatedAt: NOW })
    .execute();
  const id = uuidv7();
  await testDb()
    .insertInto('tickets')
    .values({
      tenantId: tenant.id,
      id,
      number: ++numbers,
      subject: 's',
      channel: 'web',
      requesterId: customerId,
      fields: '{}',
      status: values.status ?? 'open',
      slaWarningAt: values.warnAt ?? null,
      nextDueAt: values.dueAt ?? null,
      slaPolicyId: values.policyId ?? null,
      teamId: values.teamId ?? null,
      assigneeId: values.assigneeId ?? null,
      createdAt: NOW,
      updatedAt: NOW,
    })
    .execute();
  return id;
}

async function ticket(tenant: TestTenant, id: string) {
  return testDb()
    .selectFrom('tickets')
    .selectAll()
    .where('tenantId', '=', tenant.id)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function eventCounts(tenant: TestTenant) {
  const rows = await testDb()
    .selectFrom('ticketEvents')
    .select(['ticketId', 'action'])
    .where('tenantId', '=', tenant.id)
    .execute();
  const counts = new Map<string, number>();
  for (const r of rows)
    counts.set(`${r.ticketId} ${r.action}`, (counts.get(`${r.ticketId} ${r.action}`) ?? 0) + 1);
  return counts;
}

let wide: Db;
beforeAll(() => {
  wide = createDb(createPool(inject('databaseUrl'), 8));
});
afterAll(() => wide.destroy());

describe('SLA sweep', () => {
  it('warns and escalates each due ticket once, however many workers sweep at once', async () => {
    const tenant = await createTestTenant();
    const frontline = await insertTeam(tenant, 'Frontline');
    const supervisors = await insertTeam(tenant, 'Supervisors');
    const agent = await createTestUser(tenant, 'agent', { teamIds: [frontline] });
    const policy = await insertPolicy(tenant, {
      teamId: supervisors,
      raisePriority: true,
      tags: ['escalated'],
    });

    const warnDue = await Promise.all(
      Array.from({ length: 30 }, () =>
        insertTicket(tenant, { warnAt: minutes(-5), dueAt: minutes(10), policyId: policy }),
      ),
    );
    const breachDue = await Promise.all(
      Array.from({ length: 30 }, () =>
        insertTicket(tenant, {
          dueAt: minutes(-1),
          policyId: policy,
          teamId: frontline,
          assigneeId: agent.id,
        }),
      ),
    );
    const notYet = await insertTicket(tenant, { warnAt: minutes(1), dueAt: minutes(5), policyId: policy });
    const paused = await insertTicket(tenant, {
      warnAt: minutes(-50),
      dueAt: minutes(-1),
      status: 'pending',
      policyId: policy,
    });

    // Four workers, small batches, all at once; then one more pass finds nothing.
    const results = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const total = { warned: 0, breached: 0 };
        for (let i = 0; i < 10; i++) {
          const r = await sweepSla(wide, tenant.id, NOW, 7);
          total.warned += r.warned;
          total.breached += r.breached;
        }
        return total;
      }),
    );
    expect(results.reduce((a, r) => a + r.warned, 0)).toBe(30);
    expect(results.reduce((a, r) => a + r.breached, 0)).toBe(30);
    expect(await sweepSla(wide, tenant.id, NOW)).toEqual({ warned: 0, breached: 0 });

    const counts = await eventCounts(tenant);
    for (const id of warnDue) expect(counts.get(`${id} sla.warning`)).toBe(1);
    for (const id of breachDue) expect(counts.get(`${id} sla.breached`)).toBe(1);
    expect(counts.has(`${notYet} sla.warning`)).toBe(false);
    expect(counts.has(`${paused} sla.breached`)).toBe(false);

    const warned = await ticket(tenant, warnDue[0]!);
    expect(warned).toMatchObject({ slaWarningAt: null, tags: ['sla_warning'], priority: 'normal' });
    const breached = await ticket(tenant, breachDue[0]!);
    expect(breached).toMatchObject({
      priority: 'high',
      teamId: supervisors,
      assigneeId: null,
      tags: ['sla_breached', 'escalated'],
    });
    expect(breached.slaBreachedAt?.toISOString()).toBe(NOW.toISOString());
  });

  it('touches only its own tenant', async () => {
    const [a, b] = await Promise.all([createTestTenant(), createTestTenant()]);
    const id = await insertTicket(a, { dueAt: minutes(-1) });
    expect(await sweepSla(testDb(), b.id, NOW)).toEqual({ warned: 0, breached: 0 });
    expect((await ticket(a, id)).slaBreachedAt).toBeNull();
    // No policy: the default escalation raises the priority.
    expect(await sweepSla(testDb(), a.id, NOW)).toEqual({ warned: 0, breached: 1 });
    expect((await ticket(a, id)).priority).toBe('high');
  });
});
