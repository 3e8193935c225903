import type { ShopEvent } from '@peakdesk/commerce';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, createTestTenant, testDb, type TestTenant } from '../../../test/helpers.ts';
import { postTicket } from '../tickets/ticket.factories.ts';
import { ingestBatch, type IngestItem } from './order-event.ingest.ts';
import { createEventShop } from './order-events.testing.ts';

/**
 * ingestBatch directly, on one batch that mixes (tenant, connection) groups: orders nobody asked about (ids
 * only, a duplicate copy inside the batch), an order with an open ticket (timeline entry) and a held snapshot
 * without a ticket (stale mark); then the same batch again, all duplicates.
 */
let app: FastifyInstance;
let tenant: TestTenant;
let seq = 0;

beforeAll(async () => {
  app = await buildTestApp();
  tenant = await createTestTenant('Ingest batches');
});
afterAll(async () => {
  await app.close();
});

async function connect(): Promise<string> {
  const stub = createEventShop();
  const response = await call(app, tenant.adminToken, {
    method: 'POST',
    url: '/api/v1/shops',
    payload: { kind: 'test-events', name: `ingest ${++seq}`, baseUrl: stub.baseUrl, credentials: {} },
  });
  expect(response.statusCode).toBe(201);
  return response.data.id as string;
}

const event = (eventId: string, orderNumber: string, orderVersion: number): ShopEvent => ({
  eventId,
  type: 'order.paid',
  occurredAt: '2026-11-25T10:00:00.000Z',
  orderId: `id-${orderNumber}`,
  orderNumber,
  orderVersion,
  rawType: 'order.paid',
  raw: {},
});

const storedIds = async (connectionId: string) =>
  (
    await testDb()
      .selectFrom('shopEvents')
      .select('eventId')
      .where('tenantId', '=', tenant.id)
      .where('connectionId', '=', connectionId)
      .orderBy('eventId')
      .execute()
  ).map((r) => r.eventId);

describe('ingestBatch', () => {
  it('writes each group of a mixed batch with its effects, and drops the whole batch when it comes again', async () => {
    const [quiet, ticketed, held] = [await connect(), await connect(), await connect()];
    const ticket = await postTicket(app, tenant.adminToken, {
      orderNumber: `IB-T${seq}`,
      body: 'where is it?',
    });
    const now = new Date();
    await testDb()
      .insertInto('orderSnapshots')
      .values({
        tenantId: tenant.id,
        connectionId: held,
        orderId: `id-IB-S${seq}`,
        orderNumber: `IB-S${seq}`,
        customerExternalId: null,
        status: 'paid',
        version: 3,
        orderUpdatedAt: now,
        snapshot: JSON.stringify({}),
        fetchedAt: now,
        updatedAt: now,
      })
      .execute();
    const items: IngestItem[] = [
      { tenantId: tenant.id, connectionId: quiet, event: event('q1', 'IB-Q1', 1) },
      { tenantId: tenant.id, connectionId: ticketed, event: event('t1', `IB-T${seq}`, 2) },
      { tenantId: tenant.id, connectionId: quiet, event: event('q1', 'IB-Q1', 1) },
      { tenantId: tenant.id, connectionId: held, event: event('s1', `IB-S${seq}`, 4) },
      { tenantId: tenant.id, connectionId: quiet, event: event('q2', 'IB-Q2', 1) },
    ];
    const first = await ingestBatch(testDb(), items, now);
    expect(first.outcomes).toEqual(['recorded', 'applied', 'duplicate', 'recorded', 'recorded']);
    expect(await storedIds(quiet)).toEqual(['q1', 'q2']);
    expect(await storedIds(ticketed)).toEqual(['t1']);
    expect(await storedIds(held)).toEqual(['s1']);
    const entries = await testDb()
      .selectFrom('ticketEvents')
      .select('action')
      .where('tenantId', '=', tenant.id)
      .where('ticketId', '=', ticket.id)
      .where('action', '=', 'order.event')
      .execute();
    expect(entries).toHaveLength(1);
    const snapshot = await testDb()
      .selectFrom('orderSnapshots')
      .select('isStale')
      .where('tenantId', '=', tenant.id)
      .where('connectionId', '=', held)
      .executeTakeFirstOrThrow();
    expect(snapshot.isStale).toBe(true);

    // The same batch again: every event is a duplicate, whichever path its group takes.
    const again = await ingestBatch(testDb(), items, new Date());
    expect(again.outcomes).toEqual(Array(items.length).fill('duplicate'));
    expect(await storedIds(quiet)).toEqual(['q1', 'q2']);
  });
});
