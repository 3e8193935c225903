import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  testDb,
  type TestTenant,
} from '../../../test/helpers.ts';
import { runMaintenance } from '../maintenance/maintenance.sweep.ts';

// A fixed start; the app's clock is moved by the tests (no sleeps). The default policy has no calendar,
// so the clock runs 24/7 and due times are plain minute arithmetic.
const NOW = new Date('2026-11-27T02:00:00Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
type Json = Record<string, any>;

describe('the SLA clock follows replies, pauses, reopenings, priority changes and merges', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;
  let clock = NOW;

  beforeAll(async () => {
    app = await buildTestApp({ now: () => clock });
    tenant = await createTestTenant();
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
          {
            priority: 'urgent',
            minTier: 0,
            firstResponseMinutes: 5,
            nextResponseMinutes: 10,
            resolutionMinutes: 240,
          },
        ],
      },
    });
    expect(policy.statusCode, JSON.stringify(policy.data)).toBe(201);
  });
  afterAll(() => app.close());

  async function createTicket(minute: number, email: string, extra: object = {}): Promise<Json> {
    clock = at(minute);
    const r = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: {
        body: 'Where is my parcel? It has not moved for days.',
        channel: 'web',
        customer: { email },
        ...extra,
      },
    });
    expect(r.statusCode, JSON.stringify(r.data)).toBe(201);
    return r.data as Json;
  }
  async function get(id: string, minute?: number): Promise<Json> {
    if (minute !== undefined) clock = at(minute);
    const r = await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/tickets/${id}` });
    expect(r.statusCode).toBe(200);
    return r.data as Json;
  }
  async function reply(id: string, minute: number) {
    clock = at(minute);
    const r = await call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/tickets/${id}/messages`,
      payload: { body: 'We are on it.', visibility: 'public' },
    });
    expect(r.statusCode, JSON.stringify(r.data)).toBe(201);
  }
  async function patch(id: string, minute: number, payload: object): Promise<Json> {
    clock = at(minute);
    const current = await get(id);
    const r = await call(app, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/tickets/${id}`,
      headers: { 'if-match': String(current.version) },
      payload,
    });
    expect(r.statusCode, JSON.stringify(r.data)).toBe(200);
    return r.data as Json;
  }
  const ms = (iso: string | null) => (iso === null ? null : new Date(iso).getTime());

  it('clears the first response on a reply, pauses while pending, and shifts due times on reopening', async () => {
    const created = await createTicket(0, 'lifecycle@example.com');
    expect(created.priority).toBe('normal');
    expect(ms(created.sla.firstResponseDueAt)).toBe(at(60).getTime());
    expect(created.sla.state).toBe('ok');

    await reply(created.id, 10);
    const answered = await get(created.id);
    expect(answered.sla).toMatchObject({ firstResponseDueAt: null, nextResponseDueAt: null, state: 'ok' });
    expect(ms(answered.sla.nextDueAt)).toBe(at(1440).getTime());
    expect(ms(answered.sla.resolutionDueAt)).toBe(at(1440).getTime());

    const pending = await patch(created.id, 20, { status: 'pending' });
    expect(pending.sla).toMatchObject({ nextDueAt: null, state: 'paused' });

    // Long after every target: the sweep must leave a ticket waiting on the customer alone.
    await runMaintenance(testDb(), at(3 * 1440), { tenantId: tenant.id });
    const untouched = await get(created.id, 30);
    expect(untouched.priority).toBe('normal');
    expect(untouched.tags).not.toContain('sla_breached');
    expect(untouched.sla.state).toBe('paused');

    // 100 minutes paused (20 → 120): resolution moves by exactly that.
    const reopened = await patch(created.id, 120, { status: 'open' });
    expect(ms(reopened.sla.resolutionDueAt)).toBe(at(1440 + 100).getTime());
    expect(ms(reopened.sla.nextDueAt)).toBe(at(1440 + 100).getTime());
    expect(reopened.sla.state).toBe('ok');

    // A priority raise re-resolves the targets: high resolves in 480 running minutes.
    const raised = await patch(created.id, 130, { priority: 'high' });
    expect(ms(raised.sla.nextDueAt)).toBe(at(480 + 100).getTime());

    const solved = await patch(created.id, 140, { status: 'solved' });
    expect(solved.sla).toEqual({
      firstResponseDueAt: null,
      nextResponseDueAt: null,
      resolutionDueAt: null,
      nextDueAt: null,
      state: 'none',
    });

    const history = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${created.id}/history`,
    });
    const slaEvents = (history.data.items as Json[]).filter((e) => e.action === 'sla.updated');
    // reply, pending, reopen, raise, solve: each moved nextDueAt; nothing else wrote one.
    expect(slaEvents).toHaveLength(5);
  });

  it('re-arms the sweep for the next target after a breached first response is answered', async () => {
    const created = await createTicket(0, 'breach@example.com');
    const first = await runMaintenance(testDb(), at(61), { tenantId: tenant.id });
    expect(first.slaBreached).toBeGreaterThanOrEqual(1);
    const breached = await get(created.id, 62);
    expect(breached.sla.state).toBe('breached');
    expect(breached.priority).toBe('high'); // the default escalation raises it

    await reply(created.id, 70);
    const answered = await get(created.id);
    // Now high: resolution 480 from creation, in the future → the breach mark is cleared.
    expect(ms(answered.sla.nextDueAt)).toBe(at(480).getTime());
    expect(answered.sla.state).toBe('ok');

    await runMaintenance(testDb(), at(481), { tenantId: tenant.id });
    const again = await get(created.id, 482);
    expect(again.priority).toBe('urgent');
    expect(again.sla.state).toBe('breached');
  });

  it("starts the next-response clock when a merge brings in the customer's newer message", async () => {
    const target = await createTicket(0, 'merge@example.com');
    await reply(target.id, 5);
    const source = await createTicket(200, 'merge@example.com');
    clock = at(210);
    const merged = await call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/tickets/${source.id}/merge`,
      payload: { targetId: target.id },
    });
    expect(merged.statusCode, JSON.stringify(merged.data)).toBe(200);
    expect(ms(merged.data.sla.nextResponseDueAt)).toBe(at(200 + 120).getTime());
    expect(ms(merged.data.sla.nextDueAt)).toBe(at(320).getTime());

    await reply(target.id, 230);
    const answered = await get(target.id);
    expect(answered.sla.nextResponseDueAt).toBeNull();
    expect(ms(answered.sla.nextDueAt)).toBe(at(1440).getTime());
  });
});

describe('presence and freed capacity hand out tickets after the commit', () => {
  it('fills up on coming online, refills on solving, hands back untouched tickets on going offline', async () => {
    const app = await buildTestApp();
    const tenant = await createTestTenant();
    try {
      const team = await call(app, tenant.adminToken, {
        method: 'POST',
        url: '/api/v1/teams',
        payload: { name: 'logistics' },
      });
      expect(team.statusCode).toBe(201);
      const agent = await createTestUser(tenant, 'agent', { teamIds: [team.data.id] });
      await testDb()
        .updateTable('users')
        .set({ capacity: 1, presence: 'offline' })
        .where('tenantId', '=', tenant.id)
        .where('id', '=', agent.id)
        .execute();
      const ids: string[] = [];
      for (const email of ['p1@example.com', 'p2@example.com']) {
        const r = await call(app, tenant.adminToken, {
          method: 'POST',
          url: '/api/v1/tickets',
          payload: { body: 'Parcel missing', channel: 'web', customer: { email }, teamId: team.data.id },
        });
        expect(r.statusCode, JSON.stringify(r.data)).toBe(201);
        ids.push(r.data.id as string);
      }
      const assignees = async () =>
        (
          await testDb()
            .selectFrom('tickets')
            .select(['id', 'assigneeId'])
            .where('tenantId', '=', tenant.id)
            .where('id', 'in', ids)
            .orderBy('createdAt')
            .orderBy('id')
            .execute()
        ).map((t) => t.assigneeId);
      expect(await assignees()).toEqual([null, null]);

      const online = await call(app, agent.token, {
        method: 'PATCH',
        url: '/api/v1/users/me/presence',
        payload: { presence: 'online' },
      });
      expect(online.statusCode).toBe(200);
      expect(await assignees()).toEqual([agent.id, null]);

      const first = await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/tickets/${ids[0]}` });
      const solved = await call(app, tenant.adminToken, {
        method: 'PATCH',
        url: `/api/v1/tickets/${ids[0]}`,
        headers: { 'if-match': String(first.data.version) },
        payload: { status: 'solved' },
      });
      expect(solved.statusCode).toBe(200);
      expect(await assignees()).toEqual([agent.id, agent.id]);

      const offline = await call(app, agent.token, {
        method: 'PATCH',
        url: '/api/v1/users/me/presence',
        payload: { presence: 'offline' },
      });
      expect(offline.statusCode).toBe(200);
      // The solved ticket stays theirs; the untouched open one goes back to the queue (nobody else online).
      expect(await assignees()).toEqual([agent.id, null]);
    } finally {
      await app.close();
    }
  });
});
