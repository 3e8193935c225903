import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  testDb,
  type TestTenant,
} from '../../../test/helpers.ts';
import { decideForNewTickets } from './routing-decision.ts';

// 2026-11-27 is a Friday; 17:30 in Shanghai.
const NOW = new Date('2026-11-27T09:30:00Z');

let app: FastifyInstance;
let tenant: TestTenant;
let other: TestTenant;
let vipTeamId: string;

beforeAll(async () => {
  app = await buildTestApp({ now: () => NOW });
  [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
  const team = await call(app, tenant.adminToken, {
    method: 'POST',
    url: '/api/v1/teams',
    payload: { name: 'VIP' },
  });
  expect(team.statusCode).toBe(201);
  vipTeamId = team.data.id;
});
afterAll(() => app.close());

const WEEKDAYS = Object.fromEntries(
  ['1', '2', '3', '4', '5'].map((d) => [d, [{ start: '09:00', end: '18:00' }]]),
);

describe('SLA calendars and policies', () => {
  it('creates a calendar and a default policy, and refuses bad ones', async () => {
    const bad = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/sla/calendars',
      payload: { name: 'Broken', timeZone: 'Mars/Olympus', hours: WEEKDAYS },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.data.detail).toMatch(/time zone/);

    const calendar = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/sla/calendars',
      payload: {
        name: 'Shanghai office',
        timeZone: 'Asia/Shanghai',
        hours: WEEKDAYS,
        holidays: ['2026-10-01'],
      },
    });
    expect(calendar.statusCode).toBe(201);

    const policy = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/sla/policies',
      payload: {
        name: 'Standard',
        calendarId: calendar.data.id,
        isDefault: true,
        targets: [
          {
            priority: 'normal',
            minTier: 0,
            firstResponseMinutes: 60,
            nextResponseMinutes: 120,
            resolutionMinutes: 600,
          },
          {
            priority: 'urgent',
            minTier: 0,
            firstResponseMinutes: 15,
            nextResponseMinutes: 30,
            resolutionMinutes: 240,
          },
        ],
      },
    });
    expect(policy.statusCode).toBe(201);
    expect(policy.data.isDefault).toBe(true);

    // A second default takes over; the first is no longer default.
    const second = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/sla/policies',
      payload: { name: 'Sale 24/7', isDefault: true, targets: [] },
    });
    expect(second.statusCode).toBe(201);
    const list = await call(app, tenant.adminToken, { method: 'GET', url: '/api/v1/sla/policies' });
    expect(
      (list.data.items as { id: string; isDefault: boolean }[]).filter((p) => p.isDefault).map((p) => p.id),
    ).toEqual([second.data.id]);
    const back = await call(app, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/sla/policies/${policy.data.id}`,
      payload: { isDefault: true },
    });
    expect(back.statusCode).toBe(200);

    const inUse = await call(app, tenant.adminToken, {
      method: 'DELETE',
      url: `/api/v1/sla/calendars/${calendar.data.id}`,
    });
    expect(inUse.statusCode).toBe(409);

    // Another tenant sees none of it.
    const foreign = await call(app, other.adminToken, {
      method: 'PATCH',
      url: `/api/v1/sla/policies/${policy.data.id}`,
      payload: { name: 'x' },
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('is for admins and supervisors only', async () => {
    const agent = await createTestUser(tenant, 'agent');
    const supervisor = await createTestUser(tenant, 'supervisor');
    expect((await call(app, agent.token, { method: 'GET', url: '/api/v1/sla/policies' })).statusCode).toBe(
      403,
    );
    expect((await call(app, agent.token, { method: 'GET', url: '/api/v1/routing/rules' })).statusCode).toBe(
      403,
    );
    expect(
      (await call(app, supervisor.token, { method: 'GET', url: '/api/v1/routing/rules' })).statusCode,
    ).toBe(200);
  });
});

describe('routing rules', () => {
  it('routes a VIP refund: rules in order, with reasons, decision and due times', async () => {
    const vip = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/routing/rules',
      payload: {
        name: 'Big orders to VIP',
        stopProcessing: true,
        conditions: {
          all: [{ field: 'orderAmount', op: 'gte', value: 500_000 }],
          any: [
            { field: 'customerTier', op: 'gte', value: 3 },
            { field: 'text', op: 'contains', value: ['投诉', '12315'] },
          ],
        },
        actions: { teamId: vipTeamId, priority: 'urgent', addTags: ['vip'] },
      },
    });
    expect(vip.statusCode).toBe(201);
    const refund = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/routing/rules',
      payload: {
        name: 'Refunds tagged',
        conditions: { all: [{ field: 'category', op: 'eq', value: 'refund' }] },
        actions: { addTags: ['refund'] },
      },
    });
    expect(refund.data.position).toBeGreaterThan(vip.data.position);

    const big = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/routing/test',
      payload: { category: 'refund', orderAmount: 520_000, subject: '退款', body: '再不退我就投诉了' },
    });
    expect(big.statusCode).toBe(200);
    expect(
      (big.data.rules as { matched: boolean; skipped: string | null }[]).map((r) => [r.matched, r.skipped]),
    ).toEqual([
      [true, null],
      [false, 'stopped'],
    ]);
    expect(big.data.rules[0].conditions[2].reason).toMatch(/found 投诉/);
    expect(big.data.decision).toMatchObject({ teamId: vipTeamId, priority: 'urgent', tags: ['vip'] });
    // Urgent, default policy on the Shanghai calendar: Friday 17:30 + 15 business minutes = Friday 17:45.
    expect(big.data.decision.firstResponseDueAt).toBe('2026-11-27T09:45:00.000Z');

    const small = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/routing/test',
      payload: { category: 'refund', orderAmount: 9_900 },
    });
    expect(small.data.decision).toMatchObject({ teamId: null, priority: 'normal', tags: ['refund'] });
    // Normal: 60 minutes, 30 on Friday and 30 on Monday morning.
    expect(small.data.decision.firstResponseDueAt).toBe('2026-11-30T01:30:00.000Z');
  });

  it('refuses invalid rules and ids of another tenant', async () => {
    const otherTeam = await call(app, other.adminToken, {
      method: 'POST',
      url: '/api/v1/teams',
      payload: { name: 'Theirs' },
    });
    const cases = [
      { conditions: { all: [{ field: 'colour', op: 'eq', value: 'red' }] }, actions: { priority: 'high' } },
      { conditions: { all: [{ field: 'text', op: 'matches', value: '(' }] }, actions: { priority: 'high' } },
      { conditions: {}, actions: {} },
      { conditions: {}, actions: { teamId: otherTeam.data.id } },
    ];
    for (const rule of cases) {
      const r = await call(app, tenant.adminToken, {
        method: 'POST',
        url: '/api/v1/routing/rules',
        payload: { name: 'bad', ...rule },
      });
      expect(r.statusCode, JSON.stringify(rule)).toBe(400);
    }
  });

  it('updates by version: a stale version gets 412', async () => {
    const created = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/routing/rules',
      payload: {
        name: 'Email',
        enabled: false,
        conditions: { all: [{ field: 'channel', op: 'eq', value: 'email' }] },
        actions: { priority: 'low' },
      },
    });
    const first = await call(app, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/routing/rules/${created.data.id}`,
      payload: { version: 1, enabled: true },
    });
    expect(first.statusCode).toBe(200);
    expect(first.data).toMatchObject({ version: 2, enabled: true });
    const stale = await call(app, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/routing/rules/${created.data.id}`,
      payload: { version: 1, enabled: false },
    });
    expect(stale.statusCode).toBe(412);
    const foreign = await call(app, other.adminToken, {
      method: 'DELETE',
      url: `/api/v1/routing/rules/${created.data.id}`,
    });
    expect(foreign.statusCode).toBe(404);
    const gone = await call(app, tenant.adminToken, {
      method: 'DELETE',
      url: `/api/v1/routing/rules/${created.data.id}`,
    });
    expect(gone.statusCode).toBe(204);
  });
});

describe('decideForNewTickets (what intake calls)', () => {
  it('decides a batch: rules, default policy, due and warning times on the policy calendar', async () => {
    const shop = await createTestTenant();
    const cal = await call(app, shop.adminToken, {
      method: 'POST',
      url: '/api/v1/sla/calendars',
      payload: { name: 'Office', timeZone: 'Asia/Shanghai', hours: WEEKDAYS },
    });
    await call(app, shop.adminToken, {
      method: 'POST',
      url: '/api/v1/sla/policies',
      payload: {
        name: 'Default',
        isDefault: true,
        calendarId: cal.data.id,
        targets: [
          {
            priority: 'normal',
            minTier: 0,
            firstResponseMinutes: 60,
            nextResponseMinutes: 60,
            resolutionMinutes: 480,
          },
          {
            priority: 'high',
            minTier: 0,
            firstResponseMinutes: 20,
            nextResponseMinutes: 20,
            resolutionMinutes: 240,
          },
        ],
      },
    });
    await call(app, shop.adminToken, {
      method: 'POST',
      url: '/api/v1/routing/rules',
      payload: {
        name: 'Quality is high',
        conditions: { all: [{ field: 'category', op: 'eq', value: 'quality' }] },
        actions: { priority: 'high', addTags: ['qa'] },
      },
    });
    const sample = {
      category: null,
      channel: 'web',
      platform: null,
      language: null,
      priority: 'normal' as const,
      customerTier: 0,
      orderAmount: null,
      tags: ['qa'],
      subject: '',
      body: '',
      fields: {},
    };
    const [plain, quality] = await decideForNewTickets(
      testDb(),
      shop.id,
      [sample, { ...sample, category: 'quality' }],
      NOW,
    );
    // Friday 17:30 Shanghai: 60 minutes → Monday 09:30; the warning at 48 minutes → Monday 09:18.
    expect(plain).toMatchObject({ priority: 'normal', tags: ['qa'], matchedRuleIds: [] });
    expect(plain!.firstResponseDueAt?.toISOString()).toBe('2026-11-30T01:30:00.000Z');
    expect(plain!.slaWarningAt?.toISOString()).toBe('2026-11-30T01:18:00.000Z');
    expect(quality).toMatchObject({ priority: 'high', tags: ['qa'] });
    // High: 20 minutes, inside Friday's last half hour.
    expect(quality!.firstResponseDueAt?.toISOString()).toBe('2026-11-27T09:50:00.000Z');
  });
});
