import { describe, expect, it } from 'vitest';
import { createTestTenant, createTestUser, testDb } from '../../test/helpers.ts';
import { uuidv7 } from '../lib/ids.ts';
import { seedDemoTickets } from './demo-tickets.seed.ts';

describe('demo tickets', () => {
  it('seeds 300 varied tickets through the services: every status, teams, assignees, replies and notes', async () => {
    const tenant = await createTestTenant();
    const db = testDb();
    const now = new Date();
    const teamIds: string[] = [];
    for (const name of ['售前咨询 Pre-sales', '售后服务 After-sales', '物流专线 Logistics', 'VIP 专席']) {
      const id = uuidv7();
      teamIds.push(id);
      await db
        .insertInto('teams')
        .values({ tenantId: tenant.id, id, name, createdAt: now, updatedAt: now })
        .execute();
    }
    await createTestUser(tenant, 'agent', { teamIds });

    const started = performance.now();
    expect(await seedDemoTickets(db, tenant.id, tenant.adminUserId)).toBe(300);
    const seconds = (performance.now() - started) / 1000;
    console.log(`seeded 300 demo tickets in ${seconds.toFixed(2)} s`);

    const byStatus = await db
      .selectFrom('tickets')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('tenantId', '=', tenant.id)
      .groupBy('status')
      .execute();
    expect(byStatus.map((r) => r.status).sort()).toEqual([
      'closed',
      'new',
      'on_hold',
      'open',
      'pending',
      'solved',
    ]);
    const stats = await db
      .selectFrom('tickets')
      .select([
        (eb) => eb.fn.count<string>('assigneeId').as('assigned'),
        (eb) => eb.fn.count<string>('teamId').as('teamed'),
        (eb) => eb.fn.max('number').as('maxNumber'),
      ])
      .where('tenantId', '=', tenant.id)
      .executeTakeFirstOrThrow();
    expect(Number(stats.teamed)).toBe(300);
    expect(Number(stats.assigned)).toBeGreaterThan(100);
    expect(Number(stats.maxNumber)).toBe(300);
    const replies = await db
      .selectFrom('ticketMessages')
      .select(['visibility', (eb) => eb.fn.countAll<string>().as('n')])
      .where('tenantId', '=', tenant.id)
      .where('authorType', '=', 'agent')
      .groupBy('visibility')
      .execute();
    expect(replies.length).toBe(2);
  });
});
