import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, createTestTenant, testDb, type TestTenant } from '../../../test/helpers.ts';
import { patchTicket, postTicket } from './ticket.factories.ts';
import { autocommitNumbers } from './ticket.repository.ts';
import { TicketService, type NewTicketInput } from './ticket.service.ts';

describe('tickets under concurrency', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;

  beforeAll(async () => {
    app = await buildTestApp();
    tenant = await createTestTenant();
  });
  afterAll(() => app.close());

  it('lets exactly one of two writers holding the same version win; the other gets 412', async () => {
    for (let round = 0; round < 5; round++) {
      const ticket = await postTicket(app, tenant.adminToken);
      const results = await Promise.all([
        patchTicket(app, tenant.adminToken, ticket.id, 1, { priority: 'urgent' }),
        patchTicket(app, tenant.adminToken, ticket.id, 1, { priority: 'low' }),
      ]);
      const statuses = results.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([200, 412]);
      const winner = results.find((r) => r.statusCode === 200)!;
      const got = await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/tickets/${ticket.id}` });
      expect(got.data).toMatchObject({ version: 2, priority: winner.data.priority });
      const history = await call(app, tenant.adminToken, {
        method: 'GET',
        url: `/api/v1/tickets/${ticket.id}/history`,
      });
      expect(history.data.items).toHaveLength(2);
    }
  });

  it('numbers 50 parallel creates uniquely and without gaps, sharing customers safely', async () => {
    const fresh = await createTestTenant();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(app, fresh.adminToken, {
          method: 'POST',
          url: '/api/v1/tickets',
          // Ten customers, each named by several requests at once.
          payload: {
            body: `第 ${i} 个请求`,
            channel: 'im',
            customer: { phone: `1390000${String(i % 10).padStart(4, '0')}` },
          },
        }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
    const numbers = results.map((r) => r.data.number as number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const customers = await testDb()
      .selectFrom('customers')
      .select('id')
      .where('tenantId', '=', fresh.id)
      .execute();
    expect(customers).toHaveLength(10);
  });

  it('creates a batch in one transaction, answering bad items alone, numbering only the good ones', async () => {
    const fresh = await createTestTenant();
    const service = new TicketService(testDb());
    const actor = {
      tenantId: fresh.id,
      kind: 'user' as const,
      id: fresh.adminUserId,
      userId: fresh.adminUserId,
      role: 'admin' as const,
      department: null,
      teamIds: [],
    };
    const inputs: NewTicketInput[] = [
      { body: '一', channel: 'web', customer: { email: 'z@example.cn' } },
      { body: '二', channel: 'web', customer: { name: 'nobody' } },
      { body: '三', channel: 'web', customer: { email: 'a@example.cn' } },
      { body: '四', channel: 'web', customer: { email: 'z@example.cn' }, tags: ['x'] },
    ];
    const results = await service.createMany(actor, inputs);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, true]);
    const numbers = results.map((r) => (r.ok ? Number(r.ticket.number) : null));
    expect(numbers).toEqual([1, null, 2, 3]);
    const bad = results[1]!;
    expect(!bad.ok && bad.error.code).toBe('VALIDATION_FAILED');
    const ok = results.filter((r) => r.ok);
    expect(ok[0]!.ok && ok[2]!.ok && ok[0]!.ticket.requesterId === ok[2]!.ticket.requesterId).toBe(true);

    // A batch whose caller's transaction fails rolls back whole. Intake takes numbers outside the batch
    // transaction (autocommitNumbers), so the rolled-back batch's number is spent: numbers are unique and
    // increasing per tenant, not gapless.
    await expect(
      testDb()
        .transaction()
        .execute(async (tx) => {
          const inner = await service.createManyIn(
            tx,
            actor,
            [{ body: '七', channel: 'web', customer: { email: 's@example.cn' } }],
            new Date(),
            autocommitNumbers(testDb()),
          );
          expect(inner[0]!.ok && Number(inner[0]!.ticket.number)).toBe(4);
          throw new Error('the caller fails after the batch');
        }),
    ).rejects.toThrow('the caller fails');
    const next = await service.create(actor, {
      body: '八',
      channel: 'web',
      customer: { email: 't@example.cn' },
    });
    expect(Number(next.number)).toBeGreaterThan(4);
    const all = await testDb()
      .selectFrom('tickets')
      .select('number')
      .where('tenantId', '=', fresh.id)
      .execute();
    const seen = all.map((t) => Number(t.number));
    expect(new Set(seen).size).toBe(seen.length);
    expect(Math.max(...seen)).toBe(Number(next.number));
    expect(seen).not.toContain(4);
  });
});
