import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  testDb,
  type TestTenant,
} from '../../../test/helpers.ts';
import { postTicket } from '../tickets/ticket.factories.ts';
import { ShopGateway } from './shop-gateway.ts';
import { createStubShop, stubOrder, type StubShop } from './stub-shop.testing.ts';

/**
 * The order panel's resilience, against a controllable stub shop (adapter kind `test-stub`): the demo shop
 * cannot be told to hang on one particular call. The real demo shop is exercised in demo-shop.int.test.ts.
 */
let clock = new Date('2026-11-11T10:00:00.000Z');
let app: FastifyInstance;
let tenant: TestTenant;
const stubs: StubShop[] = [];

async function connectStub(settings: Record<string, unknown>, t: TestTenant = tenant) {
  const stub = createStubShop();
  stubs.push(stub);
  stub.orders.set('ord-1', stubOrder());
  const response = await call(app, t.adminToken, {
    method: 'POST',
    url: '/api/v1/shops',
    payload: {
      kind: 'test-stub',
      name: `stub ${stubs.length}`,
      baseUrl: stub.baseUrl,
      credentials: {},
      settings,
    },
  });
  expect(response.statusCode).toBe(201);
  return { stub, connectionId: response.data.id as string };
}

/** A ticket quoting the stub's order, linked to the given connection. */
async function orderTicket(connectionId: string, t: TestTenant = tenant, orderNumber = 'DS202611110000001') {
  const created = await postTicket(app, t.adminToken, { orderNumber });
  await testDb()
    .updateTable('tickets')
    .set({ shopConnectionId: connectionId })
    .where('tenantId', '=', t.id)
    .where('id', '=', created.id)
    .execute();
  return created.id;
}

const panel = (ticketId: string, token = tenant.adminToken) =>
  call(app, token, { method: 'GET', url: `/api/v1/tickets/${ticketId}/order` });

beforeAll(async () => {
  app = await buildTestApp({
    now: () => clock,
    // Its own gateway: a low breaker threshold, no retries (every request is one shop call).
    shopGateway: new ShopGateway({ breakerThreshold: 3, retries: 0, halfOpenAfterMs: 60_000 }),
  });
  tenant = await createTestTenant('Order panel');
});

afterAll(async () => {
  for (const stub of stubs) stub.unhang();
  await app.close();
});

describe('GET /tickets/:id/order', () => {
  it('returns the order with shipments from the shop, then from the cache within the TTL', async () => {
    const { stub, connectionId } = await connectStub({ cacheTtlSeconds: 60 });
    const ticketId = await orderTicket(connectionId);
    const first = await panel(ticketId);
    expect(first.statusCode).toBe(200);
    expect(first.data).toMatchObject({
      ticketId,
      connection: { id: connectionId, kind: 'test-stub' },
      state: 'ok',
      source: 'shop',
      stale: false,
      ageSeconds: 0,
      order: {
        orderNumber: 'DS202611110000001',
        totals: { total: { amountMinor: 49900, currency: 'CNY' } },
        shipments: [{ trackingNumber: 'SF1234567890123', events: [{ kind: 'picked_up' }] }],
      },
    });
    const second = await panel(ticketId);
    expect(second.data).toMatchObject({ source: 'cache', stale: false });
    expect(stub.calls).toBe(1);
  });

  it('coalesces concurrent lookups of one order into one shop call', async () => {
    const { stub, connectionId } = await connectStub({ cacheTtlSeconds: 0 });
    const ticketId = await orderTicket(connectionId);
    stub.hold();
    const requests = Array.from({ length: 8 }, () => panel(ticketId));
    const ref = { orderNumber: 'DS202611110000001' };
    await vi.waitFor(() => {
      expect(app.shops.lookup.waitingCallers({ tenantId: tenant.id, id: connectionId }, ref)).toBe(8);
    });
    stub.release();
    const responses = await Promise.all(requests);
    expect(responses.map((r) => r.statusCode)).toEqual(Array(8).fill(200));
    const numbers = responses.map((r) => (r.data as { order: { orderNumber: string } }).order.orderNumber);
    expect(new Set(numbers)).toEqual(new Set(['DS202611110000001']));
    expect(stub.calls).toBe(1);
  });

  it('serves the last snapshot, marked stale with its age, when the shop does not answer in time', async () => {
    const { stub, connectionId } = await connectStub({ cacheTtlSeconds: 0, timeoutMs: 150 });
    const ticketId = await orderTicket(connectionId);
    expect((await panel(ticketId)).data.stale).toBe(false);
    const fetchedAt = clock;
    clock = new Date(clock.getTime() + 120_000);
    stub.mode = 'hang';
    const stale = await panel(ticketId);
    expect(stale.statusCode).toBe(200);
    expect(stale.data).toMatchObject({
      source: 'snapshot',
      stale: true,
      ageSeconds: 120,
      fetchedAt: fetchedAt.toISOString(),
      failure: { code: 'TIMEOUT' },
      order: { orderNumber: 'DS202611110000001' },
    });
  });

  it('opens the breaker after repeated failures: no more shop calls, the snapshot is served', async () => {
    const { stub, connectionId } = await connectStub({ cacheTtlSeconds: 0 });
    const ticketId = await orderTicket(connectionId);
    expect((await panel(ticketId)).statusCode).toBe(200);
    stub.mode = 'fail';
    for (let i = 0; i < 3; i++) {
      const failed = await panel(ticketId);
      expect(failed.data).toMatchObject({ state: 'stale', stale: true, failure: { code: 'UNAVAILABLE' } });
    }
    const callsWhenOpened = stub.calls;
    stub.mode = 'ok';
    for (let i = 0; i < 5; i++) {
      const response = await panel(ticketId);
      expect(response.data).toMatchObject({
        stale: true,
        source: 'snapshot',
        failure: { code: 'CIRCUIT_OPEN' },
      });
    }
    expect(stub.calls).toBe(callsWhenOpened);
  });

  it('says unavailable when the shop is down without a snapshot, not_found when it has no such order', async () => {
    const { stub, connectionId } = await connectStub({ cacheTtlSeconds: 0 });
    const missing = await orderTicket(connectionId, tenant, 'DS209911110000009');
    const notFound = await panel(missing);
    expect(notFound.statusCode).toBe(200);
    expect(notFound.data).toMatchObject({
      state: 'not_found',
      order: null,
      orderNumber: 'DS209911110000009',
    });
    stub.orders.set('ord-2', stubOrder({ externalId: 'ord-2', orderNumber: 'DS202611110000002' }));
    const neverFetched = await orderTicket(connectionId, tenant, 'DS202611110000002');
    stub.mode = 'fail';
    const down = await panel(neverFetched);
    expect(down.statusCode).toBe(200);
    expect(down.data).toMatchObject({ state: 'unavailable', order: null, failure: { code: 'UNAVAILABLE' } });
  });

  it('says not_linked for a ticket without an order number', async () => {
    const created = await postTicket(app, tenant.adminToken, { body: '发票怎么开？' });
    expect((await panel(created.id)).data).toMatchObject({
      state: 'not_linked',
      order: null,
      connection: null,
    });
  });

  it('masks the buyer for outsourced agents', async () => {
    const { connectionId } = await connectStub({});
    const ticketId = await orderTicket(connectionId);
    const team = await testDb()
      .insertInto('teams')
      .values({
        tenantId: tenant.id,
        id: crypto.randomUUID(),
        name: `outsourced ${connectionId}`,
        createdAt: clock,
        updatedAt: clock,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await testDb()
      .updateTable('tickets')
      .set({ teamId: team.id })
      .where('tenantId', '=', tenant.id)
      .where('id', '=', ticketId)
      .execute();
    const outsider = await createTestUser(tenant, 'outsourced_agent', { teamIds: [team.id] });
    const seen = await panel(ticketId, outsider.token);
    expect(seen.statusCode).toBe(200);
    expect(seen.data.order.shippingAddress).toMatchObject({
      phone: { value: '138****0001', masked: true },
      street: { value: '****', masked: true },
      city: '上海市',
    });
    expect(JSON.stringify(seen.data)).not.toContain('13800000001');
  });
});

describe('tenant isolation', () => {
  it("never shows another tenant's ticket, and never uses another tenant's connection", async () => {
    const { stub, connectionId } = await connectStub({ cacheTtlSeconds: 0 });
    const ticketId = await orderTicket(connectionId);
    const other = await createTestTenant('Order panel, other tenant');
    expect((await panel(ticketId, other.adminToken)).data).toMatchObject({
      status: 404,
      code: 'TICKET_NOT_FOUND',
    });
    // B's ticket pointing at A's connection (forged in the database) is not served through it.
    const forged = await orderTicket(connectionId, other);
    const before = stub.calls;
    expect((await panel(forged, other.adminToken)).data).toMatchObject({
      state: 'no_shop',
      connection: null,
    });
    expect(stub.calls).toBe(before);
    expect(
      (await call(app, other.adminToken, { method: 'GET', url: `/api/v1/shops/${connectionId}` })).statusCode,
    ).toBe(404);
  });
});

describe('GET /tickets/:id/customer-context', () => {
  it("lists the requester's other tickets and the buyer's orders", async () => {
    const { stub, connectionId } = await connectStub({});
    stub.orders.set('ord-9', stubOrder({ externalId: 'ord-9', orderNumber: 'DS202611110000009' }));
    const first = await postTicket(app, tenant.adminToken, {
      orderNumber: 'DS202611110000001',
      customer: { email: 'context@example.cn' },
    });
    const second = await postTicket(app, tenant.adminToken, { customer: { email: 'context@example.cn' } });
    await testDb()
      .updateTable('tickets')
      .set({ shopConnectionId: connectionId })
      .where('tenantId', '=', tenant.id)
      .where('id', '=', first.id)
      .execute();
    const context = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${first.id}/customer-context`,
    });
    expect(context.statusCode).toBe(200);
    const body = context.data as { tickets: { id: string }[]; orders: { items: { orderNumber: string }[] } };
    expect(body.tickets.map((t) => t.id)).toEqual([second.id]);
    expect(body.orders.items.map((o) => o.orderNumber).sort()).toEqual([
      'DS202611110000001',
      'DS202611110000009',
    ]);
    // Department collaborators see no customers.
    const collaborator = await createTestUser(tenant, 'collaborator');
    const refused = await call(app, collaborator.token, {
      method: 'GET',
      url: `/api/v1/tickets/${first.id}/customer-context`,
    });
    expect(refused.statusCode).toBe(403);
  });
});
