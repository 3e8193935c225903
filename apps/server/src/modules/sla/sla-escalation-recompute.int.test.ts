import { describe, expect, it } from 'vitest';
import { createTestTenant, testDb, type TestTenant } from '../../../test/helpers.ts';
import type { SlaTargetRow } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { sweepSla } from './sla-breach.sweep.ts';

const NOW = new Date('2026-11-11T04:00:00Z');
const CREATED = new Date(NOW.getTime() - 61 * 60_000);
const after = (m: number) => new Date(CREATED.getTime() + m * 60_000);
const TARGETS: SlaTargetRow[] = [
  {
    priority: 'normal',
    minTier: 0,
    firstResponseMinutes: 60,
    nextResponseMinutes: 120,
    resolutionMinutes: 600,
  },
  { priority: 'high', minTier: 0, firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 240 },
];

async function breachableTicket(tenant: TestTenant, escalation: Record<string, unknown>) {
  const db = testDb();
  const policyId = uuidv7();
  await db
    .insertInto('slaPolicies')
    .values({
      tenantId: tenant.id,
      id: policyId,
      name: `p ${policyId}`,
      calendarId: null,
      targets: JSON.stringify(TARGETS),
      escalation: JSON.stringify(escalation),
      createdAt: CREATED,
      updatedAt: CREATED,
    })
    .execute();
  const customerId = uuidv7();
  await db
    .insertInto('customers')
    .values({ tenantId: tenant.id, id: customerId, createdAt: CREATED, updatedAt: CREATED })
    .execute();
  const id = uuidv7();
  await db
    .insertInto('tickets')
    .values({
      tenantId: tenant.id,
      id,
      number: Math.floor(Math.random() * 1e9),
      subject: 's',
      channel: 'web',
      requesterId: customerId,
      fields: '{}',
      status: 'open',
      priority: 'normal',
      slaPolicyId: policyId,
      firstResponseDueAt: after(60),
      resolutionDueAt: after(600),
      nextDueAt: after(60),
      createdAt: CREATED,
      updatedAt: CREATED,
    })
    .execute();
  return id;
}

const read = (tenant: TestTenant, id: string) =>
  testDb()
    .selectFrom('tickets')
    .selectAll()
    .where('tenantId', '=', tenant.id)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('SLA escalation that raises the priority', () => {
  it("moves the due times to the new priority's targets, and escalates once", async () => {
    const tenant = await createTestTenant();
    const id = await breachableTicket(tenant, { raisePriority: true });

    expect(await sweepSla(testDb(), tenant.id, NOW)).toEqual({ warned: 0, breached: 1 });
    const escalated = await read(tenant, id);
    expect(escalated.priority).toBe('high');
    expect(escalated.firstResponseDueAt).toEqual(after(30));
    expect(escalated.resolutionDueAt).toEqual(after(240));
    expect(escalated.nextDueAt).toEqual(after(30));
    expect(escalated.slaBreachedAt).toEqual(NOW);

    const events = await testDb()
      .selectFrom('ticketEvents')
      .select('action')
      .where('tenantId', '=', tenant.id)
      .where('ticketId', '=', id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['sla.breached', 'sla.updated']);
    // The earlier due time is already past but the breach mark stays: no second escalation.
    expect(await sweepSla(testDb(), tenant.id, new Date(NOW.getTime() + 60_000))).toEqual({
      warned: 0,
      breached: 0,
    });
  });

  it('leaves the due times alone when the escalation keeps the priority', async () => {
    const tenant = await createTestTenant();
    const id = await breachableTicket(tenant, { raisePriority: false, tags: ['late'] });
    await sweepSla(testDb(), tenant.id, NOW);
    const escalated = await read(tenant, id);
    expect(escalated).toMatchObject({ priority: 'normal', tags: ['sla_breached', 'late'] });
    expect(escalated.resolutionDueAt).toEqual(after(600));
  });
});
