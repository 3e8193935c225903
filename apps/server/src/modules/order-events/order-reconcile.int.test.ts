import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, createTestTenant, testDb, type TestTenant } from '../../../test/helpers.ts';
import { ShopGateway } from '../shops/shop-gateway.ts';
import { stubOrder } from '../shops/stub-shop.testing.ts';
import { postTicket } from '../tickets/ticket.factories.ts';
import { refetchJobKey } from './order-event.ingest.ts';
import { purgeEventIdsTask } from './event-purge.job.ts';
import { createEventShop } from './order-events.testing.ts';
import { reconcileAllTask, reconcileConnection, RECONCILE_CONNECTION_TASK } from './order-reconcile.job.ts';

/** Reconciliation (listChangedOrders since a stored cursor) on the `test-events` kind, jobs called inline. */
let app: FastifyInstance;
let tenant: TestTenant;
const gateway = new ShopGateway({ retries: 0 });
let clock = new Date('2026-11-11T12:00:00.000Z');
const ctx = () => ({ db: testDb(), now: () => clock });

beforeAll(async () => {
  app = await buildTestApp();
  tenant = await createTestTenant('Reconcile shop');
});
afterAll(async () => {
  await app.close();
});

async function connect() {
  const stub = createEventShop();
  const response = await call(app, tenant.adminToken, {
    method: 'POST',
    url: '/api/v1/shops',
    payload: {
      kind: 'test-events',
      name: `reconcile ${stub.baseUrl}`,
      baseUrl: stub.baseUrl,
      credentials: {},
      webhookSecret: 'whsec-reconcile',
    },
  });
  expect(response.statusCode).toBe(201);
  return { stub, connectionId: response.data.id as string };
}

const entries = (ticketId: string) =>
  testDb()
    .selectFrom('ticketEvents')
    .select('changes')
    .where('tenantId', '=', tenant.id)
    .where('ticketId', '=', ticketId)
    .where('action', '=', 'order.event')
    .execute();

describe('order reconciliation', () => {
  it('catches a change no push announced, once, and keeps its cursor', async () => {
    const { stub, connectionId } = await connect();
    const order = stubOrder({
      externalId: 'ord-r1',
      orderNumber: 'DS-R1',
      version: 3,
      updatedAt: '2026-11-11T11:30:00.000Z',
    });
    const quiet = stubOrder({
      externalId: 'ord-r2',
      orderNumber: 'DS-R2',
      version: 2,
      updatedAt: '2026-11-11T11:40:00.000Z',
    });
    stub.orders.set(order.externalId, order).set(quiet.externalId, quiet);
    const ticket = await postTicket(app, tenant.adminToken, {
      orderNumber: 'DS-R1',
      body: '订单 DS-R1 到哪了？',
    });

    expect(await reconcileConnection({ tenantId: tenant.id, connectionId }, ctx(), gateway)).toEqual({
      changed: 2,
      applied: 1,
    });
    expect((await entries(ticket.id)).map((e) => e.changes[0]!.after)).toEqual([
      expect.objectContaining({ event: 'order.updated', rawType: 'reconciliation', orderVersion: 3 }),
    ]);
    const job = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = ${refetchJobKey({ tenantId: tenant.id, connectionId, orderId: 'ord-r1' })}`.execute(
      testDb(),
    );
    expect(job.rows[0]!.n).toBe(1);
    const cursor = await testDb()
      .selectFrom('shopSyncCursors')
      .select(['since', 'lastError'])
      .where('tenantId', '=', tenant.id)
      .where('connectionId', '=', connectionId)
      .executeTakeFirstOrThrow();
    expect(cursor).toEqual({ since: new Date('2026-11-11T11:40:00.000Z'), lastError: null });

    // The next run re-reads the boundary order and nothing else: no second entry.
    clock = new Date('2026-11-11T12:05:00.000Z');
    expect(await reconcileConnection({ tenantId: tenant.id, connectionId }, ctx(), gateway)).toEqual({
      changed: 1,
      applied: 0,
    });
    expect(await entries(ticket.id)).toHaveLength(1);

    // A later change of the ticket's order is caught on the next run.
    stub.orders.set(order.externalId, { ...order, version: 4, updatedAt: '2026-11-11T12:03:00.000Z' });
    await reconcileConnection({ tenantId: tenant.id, connectionId }, ctx(), gateway);
    expect(
      (await entries(ticket.id)).map((e) => (e.changes[0]!.after as { orderVersion: number }).orderVersion),
    ).toEqual([3, 4]);
  });

  it('records the error and keeps the cursor when the shop fails, so the next run starts there', async () => {
    const { connectionId } = await connect();
    await expect(
      reconcileConnection({ tenantId: tenant.id, connectionId }, ctx(), {
        call: () => Promise.reject(new Error('shop down')),
      } as unknown as ShopGateway),
    ).rejects.toThrow('shop down');
    const cursor = await testDb()
      .selectFrom('shopSyncCursors')
      .select('lastError')
      .where('tenantId', '=', tenant.id)
      .where('connectionId', '=', connectionId)
      .executeTakeFirstOrThrow();
    expect(cursor.lastError).toContain('shop down');
  });

  it('the cron task enqueues one reconciliation per active connection', async () => {
    const { connectionId } = await connect();
    await reconcileAllTask({}, { db: testDb() });
    await reconcileAllTask({}, { db: testDb() });
    const jobs = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = ${`${RECONCILE_CONNECTION_TASK}:${tenant.id}:${connectionId}`}`.execute(
      testDb(),
    );
    expect(jobs.rows[0]!.n).toBe(1);
  });

  it('purges event ids after the retention, keeping recent ones', async () => {
    const { connectionId } = await connect();
    const row = (eventId: string, receivedAt: Date) => ({
      tenantId: tenant.id,
      connectionId,
      eventId,
      receivedAt,
    });
    await testDb()
      .insertInto('shopEvents')
      .values([
        row('evt_old', new Date('2026-11-01T00:00:00.000Z')),
        row('evt_new', new Date('2026-11-10T00:00:00.000Z')),
      ])
      .execute();
    await purgeEventIdsTask({}, ctx());
    const left = await testDb()
      .selectFrom('shopEvents')
      .select('eventId')
      .where('tenantId', '=', tenant.id)
      .where('connectionId', '=', connectionId)
      .execute();
    expect(left.map((r) => r.eventId)).toEqual(['evt_new']);
  });
});
