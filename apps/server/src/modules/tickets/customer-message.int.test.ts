import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestToken,
  createTestUser,
  testDb,
  type TestTenant,
} from '../../../test/helpers.ts';

// A fixed start moved by the tests (no sleeps); the policy has no calendar, so the clock runs 24/7.
const NOW = new Date('2026-11-27T02:00:00Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
const ms = (iso: string | null) => (iso === null ? null : new Date(iso).getTime());
type Json = Record<string, any>;

describe('customer follow-up messages on an existing ticket', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;
  let other: TestTenant;
  let clock = NOW;

  beforeAll(async () => {
    app = await buildTestApp({ now: () => clock });
    [tenant, other] = await Promise.all([createTestTenant(), createTestTenant('Other shop')]);
    const policy = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/sla/policies',
      payload: {
        name: 'default',
        isDefault: true,
        targets: [
          {
            priority: 'normal',
            minTier: 0,
            firstResponseMinutes: 60,
            nextResponseMinutes: 120,
            resolutionMinutes: 1440,
          },
          {
            priority: 'high',
            minTier: 0,
            firstResponseMinutes: 15,
            nextResponseMinutes: 30,
            resolutionMinutes: 480,
          },
        ],
      },
    });
    expect(policy.statusCode, JSON.stringify(policy.data)).toBe(201);
  });
  afterAll(() => app.close());

  async function createTicket(minute: number, email: string, on = tenant): Promise<Json> {
    clock = at(minute);
    const r = await call(app, on.adminToken, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { body: 'Where is my parcel? 我的包裹到哪了', channel: 'email', customer: { email } },
    });
    expect(r.statusCode, JSON.stringify(r.data)).toBe(201);
    return r.data as Json;
  }
  async function get(id: string): Promise<Json> {
    const r = await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/tickets/${id}` });
    expect(r.statusCode).toBe(200);
    return r.data as Json;
  }
  function customerSays(id: string, minute: number, payload: object, token = tenant.adminToken) {
    clock = at(minute);
    return call(app, token, { method: 'POST', url: `/api/v1/tickets/${id}/customer-messages`, payload });
  }
  async function reply(id: string, minute: number) {
    clock = at(minute);
    const r = await call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/tickets/${id}/messages`,
      payload: { body: 'We are checking with the courier.', visibility: 'public' },
    });
    expect(r.statusCode, JSON.stringify(r.data)).toBe(201);
  }
  async function setStatus(id: string, minute: number, status: string): Promise<Json> {
    clock = at(minute);
    const current = await get(id);
    const r = await call(app, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/tickets/${id}`,
      headers: { 'if-match': String(current.version) },
      payload: { status },
    });
    expect(r.statusCode, JSON.stringify(r.data)).toBe(200);
    return r.data as Json;
  }

  it('starts the next-response clock after an agent reply and moves nextDueAt', async () => {
    const created = await createTicket(0, 'follow-up@example.com');
    await reply(created.id, 10);
    const answered = await get(created.id);
    expect(answered.sla.nextResponseDueAt).toBeNull();
    expect(ms(answered.sla.nextDueAt)).toBe(at(1440).getTime());

    const r = await customerSays(created.id, 30, { body: 'Still nothing. 还是没到' });
    expect(r.statusCode, JSON.stringify(r.data)).toBe(201);
    expect(r.data).toMatchObject({
      ticketId: created.id,
      authorType: 'customer',
      authorId: created.requesterId,
      visibility: 'public',
      body: 'Still nothing. 还是没到',
    });
    const after = await get(created.id);
    expect(ms(after.sla.nextResponseDueAt)).toBe(at(30 + 120).getTime());
    expect(ms(after.sla.nextDueAt)).toBe(at(150).getTime());
    expect(after.status).toBe('open');
    expect(after.version).toBe(answered.version); // no status change, no version bump
    expect((after.messages as Json[]).at(-1)).toMatchObject({ id: r.data.id, authorType: 'customer' });

    const history = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${created.id}/history`,
    });
    const actions = (history.data.items as Json[]).map((e) => e.action as string);
    expect(actions).toContain('customer_message');

    const found = await call(app, tenant.adminToken, {
      method: 'GET',
      url: '/api/v1/tickets',
      query: { q: '还是没到' },
    });
    expect(found.statusCode).toBe(200);
    expect((found.data.items as Json[]).map((t) => t.id as string)).toContain(created.id);
  });

  it('reopens a pending ticket and a solved one, bumping the version', async () => {
    for (const status of ['pending', 'solved']) {
      const created = await createTicket(0, `reopen-${status}@example.com`);
      await reply(created.id, 5);
      const waiting = await setStatus(created.id, 10, status);
      expect(waiting.status).toBe(status);

      const r = await customerSays(created.id, 40, { body: 'I have another question' });
      expect(r.statusCode, JSON.stringify(r.data)).toBe(201);
      const reopened = await get(created.id);
      expect(reopened.status).toBe('open');
      expect(reopened.version).toBe(waiting.version + 1);
      expect(reopened.solvedAt).toBeNull();
      expect(ms(reopened.sla.nextResponseDueAt)).toBe(at(40 + 120).getTime());
      expect(r.headers.etag).toContain(String(reopened.version));
    }
  });

  it('refuses a closed ticket with 409', async () => {
    const created = await createTicket(0, 'closed@example.com');
    await setStatus(created.id, 5, 'closed');
    const r = await customerSays(created.id, 10, { body: 'Hello again' });
    expect(r.statusCode).toBe(409);
    expect(r.data.code).toBe('CONFLICT');
    expect(r.data.detail).toMatch(/new ticket/);
  });

  it('returns the original message when a delivery with the same externalMessageId is retried', async () => {
    const created = await createTicket(0, 'retry@example.com');
    const payload = { body: 'Is it shipped yet?', externalMessageId: 'mail-<abc@example.com>' };
    const first = await customerSays(created.id, 20, payload);
    expect(first.statusCode).toBe(201);
    const again = await customerSays(created.id, 25, payload);
    expect(again.statusCode).toBe(200);
    expect(again.data.id).toBe(first.data.id);
    expect(again.data.createdAt).toBe(first.data.createdAt);

    const rows = await testDb()
      .selectFrom('ticketMessages')
      .select('id')
      .where('tenantId', '=', tenant.id)
      .where('ticketId', '=', created.id)
      .where('externalId', '=', payload.externalMessageId)
      .execute();
    expect(rows).toHaveLength(1);
    // A different id is a different message.
    const next = await customerSays(created.id, 30, {
      ...payload,
      externalMessageId: 'mail-<def@example.com>',
    });
    expect(next.statusCode).toBe(201);
    expect(next.data.id).not.toBe(first.data.id);

    // The same delivery on a second ticket of the customer, then a merge: one message keeps the id.
    const other = await createTicket(40, 'retry@example.com');
    expect((await customerSays(other.id, 41, payload)).statusCode).toBe(201);
    const merged = await call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/tickets/${other.id}/merge`,
      payload: { targetId: created.id },
    });
    expect(merged.statusCode, JSON.stringify(merged.data)).toBe(200);
    const kept = await testDb()
      .selectFrom('ticketMessages')
      .select('id')
      .where('tenantId', '=', tenant.id)
      .where('ticketId', '=', created.id)
      .where('externalId', '=', payload.externalMessageId)
      .execute();
    expect(kept).toHaveLength(1);
    expect((await customerSays(created.id, 45, payload)).data.id).toBe(first.data.id);
  });

  it('lets agents and integrations relay; masked roles get 403; another tenant gets 404', async () => {
    const created = await createTicket(0, 'roles@example.com');
    const agent = await createTestUser(tenant, 'agent');
    const integration = await createTestToken(tenant, 'integration');
    expect((await customerSays(created.id, 1, { body: 'by phone' }, agent.token)).statusCode).toBe(201);
    expect((await customerSays(created.id, 2, { body: 'via IM' }, integration)).statusCode).toBe(201);

    for (const role of ['outsourced_agent', 'collaborator'] as const) {
      const user = await createTestUser(tenant, role);
      const r = await customerSays(created.id, 3, { body: 'not allowed' }, user.token);
      expect(r.statusCode, role).toBe(403);
    }

    const r = await customerSays(created.id, 4, { body: 'wrong shop' }, other.adminToken);
    expect(r.statusCode).toBe(404);
    const detail = await get(created.id);
    expect((detail.messages as Json[]).filter((m) => m.authorType === 'customer')).toHaveLength(3);
  });
});
