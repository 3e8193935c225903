import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildTestApp, call, createTestTenant, testDb, type TestTenant } from '../../../test/helpers.ts';
import { runJobsOnce } from '../../jobs/testing.ts';
import { runDueJobs } from '../intake/follow-up.sweep.ts';
import { ENRICH_TICKET_TASK, enrichTicket } from './enrich-ticket.task.ts';
import { findSnapshot } from './order-snapshot.repository.ts';
import { ShopGateway } from './shop-gateway.ts';
import { createStubShop, stubOrder, type StubShop } from './stub-shop.testing.ts';

/**
 * Intake never waits for the shop: a ticket quoting an order is committed with its order number, and the
 * `shops.enrich-ticket` job links it afterwards, retrying while the shop fails. The shop is the controllable
 * stub (adapter kind `test-stub`) so that it can fail exactly when the test says.
 */
const connectionString = inject('databaseUrl');
let app: FastifyInstance;
let tenant: TestTenant;
let stub: StubShop;
let connectionId: string;

beforeAll(async () => {
  app = await buildTestApp();
  tenant = await createTestTenant('Order enrichment');
  stub = createStubShop();
  stub.orders.set('ord-1', stubOrder());
  const created = await call(app, tenant.adminToken, {
    method: 'POST',
    url: '/api/v1/shops',
    payload: { kind: 'test-stub', name: 'stub', baseUrl: stub.baseUrl, credentials: {}, isDefault: true },
  });
  expect(created.statusCode).toBe(201);
  connectionId = created.data.id as string;
});

afterAll(async () => {
  await app.close();
});

async function quoteOrder(email: string, text = '我的订单 DS202611110000001 怎么还没到？') {
  const response = await call(app, tenant.adminToken, {
    method: 'POST',
    url: '/api/v1/tickets',
    payload: { body: text, channel: 'web', customer: { email } },
  });
  expect(response.statusCode).toBe(201);
  return response.data as { id: string; orderNumber: string | null };
}

async function enrichmentJobs(ticketId: string) {
  const { rows } = await sql<{ id: string; attempts: number; lastError: string | null }>`
    SELECT j.id, j.attempts, j.last_error AS "lastError"
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = ${ENRICH_TICKET_TASK} AND j.payload->>'ticketId' = ${ticketId}`.execute(testDb());
  return rows;
}

async function linkEvents(ticketId: string) {
  return testDb()
    .selectFrom('ticketEvents')
    .select(['action', 'changes'])
    .where('tenantId', '=', tenant.id)
    .where('ticketId', '=', ticketId)
    .where('action', 'like', 'order.%')
    .execute();
}

describe('shops.enrich-ticket', () => {
  it('takes the order number from the text, retries while the shop fails, then links order and customer', async () => {
    const ticket = await quoteOrder('enrich@example.cn');
    expect(ticket.orderNumber).toBe('DS202611110000001');
    // The commit made no shop call; the follow-up sweep hands the ticket to the durable queue.
    expect(stub.calls).toBe(0);
    await runDueJobs(testDb(), new Date(), 500, tenant.id);
    expect(await enrichmentJobs(ticket.id)).toHaveLength(1);

    stub.mode = 'fail';
    await runJobsOnce(testDb(), { connectionString, tasks: [ENRICH_TICKET_TASK] });
    const [failed] = await enrichmentJobs(ticket.id);
    expect(failed).toMatchObject({ attempts: 1 });
    expect(failed!.lastError).toContain('stub shop is down');
    expect(await linkEvents(ticket.id)).toEqual([]);

    stub.mode = 'ok';
    await sql`SELECT graphile_worker.reschedule_jobs(ARRAY[${failed!.id}]::bigint[], run_at => now())`.execute(
      testDb(),
    );
    await runJobsOnce(testDb(), { connectionString, tasks: [ENRICH_TICKET_TASK] });
    expect(await enrichmentJobs(ticket.id)).toEqual([]);

    const row = await testDb()
      .selectFrom('tickets')
      .select(['shopConnectionId', 'requesterId'])
      .where('tenantId', '=', tenant.id)
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row.shopConnectionId).toBe(connectionId);
    const events = await linkEvents(ticket.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'order.linked',
      changes: [
        { field: 'order', after: { connectionId, orderId: 'ord-1', orderNumber: 'DS202611110000001' } },
        { field: 'customerIdentity', after: 'test-stub:M1001' },
      ],
    });
    const identity = await testDb()
      .selectFrom('customerIdentities')
      .select('customerId')
      .where('tenantId', '=', tenant.id)
      .where('kind', '=', 'platform')
      .where('value', '=', 'test-stub:M1001')
      .executeTakeFirstOrThrow();
    expect(identity.customerId).toBe(row.requesterId);
    const customer = await testDb()
      .selectFrom('customers')
      .select('name')
      .where('tenantId', '=', tenant.id)
      .where('id', '=', row.requesterId)
      .executeTakeFirstOrThrow();
    expect(customer.name).toBe('王小明');
    expect(await findSnapshot(testDb(), tenant.id, connectionId, { orderId: 'ord-1' })).toMatchObject({
      version: 4,
      customerExternalId: 'M1001',
    });
  });

  it('is idempotent, and names the buyer’s customer when another requester quotes the same order', async () => {
    const ctx = { db: testDb(), now: () => new Date() };
    const gateway = new ShopGateway({ retries: 0 });
    const first = await quoteOrder('first@example.cn');
    const payload = { tenantId: tenant.id, ticketId: first.id };
    // The buyer identity may already belong to the previous test's requester: either outcome is a link.
    expect(await enrichTicket(payload, ctx, gateway)).toBe('linked');
    expect(await enrichTicket(payload, ctx, gateway)).toBe('already-linked');
    expect(await linkEvents(first.id)).toHaveLength(1);

    const other = await quoteOrder('someone-else@example.cn');
    expect(await enrichTicket({ tenantId: tenant.id, ticketId: other.id }, ctx, gateway)).toBe('linked');
    const [event] = await linkEvents(other.id);
    const owner = (event!.changes as { field: string; after: unknown }[]).find(
      (c) => c.field === 'orderCustomerId',
    );
    const requester = await testDb()
      .selectFrom('tickets')
      .select('requesterId')
      .where('tenantId', '=', tenant.id)
      .where('id', '=', other.id)
      .executeTakeFirstOrThrow();
    expect(typeof owner?.after).toBe('string');
    expect(owner?.after).not.toBe(requester.requesterId);
  });

  it('gives a ticket with just an order number the buyer as its customer', async () => {
    const response = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { body: '查一下这个订单', channel: 'api', customer: {}, orderNumber: 'DS202611110000001' },
    });
    expect(response.statusCode).toBe(201);
    const ticketId = response.data.id as string;
    const requesterOf = async () =>
      (
        await testDb()
          .selectFrom('tickets')
          .select('requesterId')
          .where('tenantId', '=', tenant.id)
          .where('id', '=', ticketId)
          .executeTakeFirstOrThrow()
      ).requesterId;
    const placeholder = await requesterOf();
    const named = await testDb()
      .selectFrom('customerIdentities')
      .select('value')
      .where('tenantId', '=', tenant.id)
      .where('customerId', '=', placeholder)
      .execute();
    expect(named.map((i) => i.value)).toEqual(['order:DS202611110000001']);

    const ctx = { db: testDb(), now: () => new Date() };
    expect(await enrichTicket({ tenantId: tenant.id, ticketId }, ctx)).toBe('linked');
    const buyer = await testDb()
      .selectFrom('customerIdentities')
      .innerJoin('customers', (j) =>
        j
          .onRef('customers.tenantId', '=', 'customerIdentities.tenantId')
          .onRef('customers.id', '=', 'customerIdentities.customerId'),
      )
      .select(['customers.id', 'customers.name'])
      .where('customerIdentities.tenantId', '=', tenant.id)
      .where('customerIdentities.value', '=', 'test-stub:M1001')
      .executeTakeFirstOrThrow();
    // Either the placeholder became the buyer, or the ticket moved to the buyer's existing customer.
    expect(await requesterOf()).toBe(buyer.id);
    expect(buyer.name).toBe('王小明');
  });

  it('records an order the shop does not know once, and leaves tickets without a shop alone', async () => {
    const ctx = { db: testDb(), now: () => new Date() };
    const unknown = await quoteOrder('unknown@example.cn', '订单 DS209901010000001 呢？');
    expect(await enrichTicket({ tenantId: tenant.id, ticketId: unknown.id }, ctx)).toBe('order-not-found');
    expect(await enrichTicket({ tenantId: tenant.id, ticketId: unknown.id }, ctx)).toBe('already-linked');

    const bare = await createTestTenant('No shop');
    const response = await call(app, bare.adminToken, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { body: '订单 DS202611110000001 呢？', channel: 'web', customer: { email: 'x@example.cn' } },
    });
    expect(response.data.orderNumber).toBe('DS202611110000001');
    await runDueJobs(testDb(), new Date(), 500, bare.id);
    expect(await enrichmentJobs(response.data.id as string)).toEqual([]);
    expect(await enrichTicket({ tenantId: bare.id, ticketId: response.data.id as string }, ctx)).toBe(
      'no-shop',
    );
    // Another tenant's ticket id never resolves in this tenant.
    expect(await enrichTicket({ tenantId: tenant.id, ticketId: response.data.id as string }, ctx)).toBe(
      'no-ticket',
    );
  });
});
