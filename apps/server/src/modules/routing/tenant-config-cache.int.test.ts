import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { buildTestApp, call, createTestTenant, testDb, type TestTenant } from '../../../test/helpers.ts';
import { TenantConfigCache } from './tenant-config.cache.ts';

/** Polls (bounded) until the notification of another process has reached this cache. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

// Two app instances over one database stand for two processes: A takes tickets, B changes the configuration.
describe('routing/SLA configuration cache across processes (LISTEN peakdesk_config)', () => {
  let a: FastifyInstance;
  let b: FastifyInstance;
  const cacheA = new TenantConfigCache();
  let tenant: TestTenant;

  beforeAll(async () => {
    const databaseUrl = inject('databaseUrl');
    a = await buildTestApp({ databaseUrl, configCache: cacheA });
    b = await buildTestApp({ databaseUrl });
    tenant = await createTestTenant();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  async function ticketTagsThroughA(): Promise<string[]> {
    const response = await call(a, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { body: 'Where is my parcel?', channel: 'web', customer: { email: 'c@example.com' } },
    });
    expect(response.statusCode, JSON.stringify(response.data)).toBe(201);
    return response.data.tags as string[];
  }

  it('applies a rule changed through B to the next ticket created through A', async () => {
    expect(cacheA.isListening).toBe(true);
    const created = await call(b, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/routing/rules',
      payload: {
        name: 'web tickets',
        conditions: { all: [{ field: 'channel', op: 'eq', value: 'web' }] },
        actions: { addTags: ['v1'] },
      },
    });
    expect(created.statusCode, JSON.stringify(created.data)).toBe(201);
    const rule = created.data as { id: string; version: number };
    await until(() => !cacheA.holds(tenant.id), 'the creation');

    expect(await ticketTagsThroughA()).toContain('v1');
    expect(cacheA.holds(tenant.id)).toBe(true);
    const hits = cacheA.stats.hits;
    expect(await ticketTagsThroughA()).toContain('v1');
    expect(cacheA.stats.hits).toBe(hits + 1);

    // Changed behind PeakDesk's back (no NOTIFY): A still uses its cache, which shows the cache is used.
    await testDb()
      .updateTable('routingRules')
      .set({ actions: JSON.stringify({ addTags: ['by-hand'] }) })
      .where('tenantId', '=', tenant.id)
      .where('id', '=', rule.id)
      .execute();
    expect(await ticketTagsThroughA()).toContain('v1');

    const changed = await call(b, tenant.adminToken, {
      method: 'PATCH',
      url: `/api/v1/routing/rules/${rule.id}`,
      payload: { version: rule.version, actions: { addTags: ['v2'] } },
    });
    expect(changed.statusCode, JSON.stringify(changed.data)).toBe(200);
    await until(() => !cacheA.holds(tenant.id), 'the change');
    const tags = await ticketTagsThroughA();
    expect(tags).toContain('v2');
    expect(tags).not.toContain('v1');
  });

  it('drops the tenant when an SLA policy changes through B, and leaves other tenants cached', async () => {
    const other = await createTestTenant();
    await call(a, other.adminToken, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { body: 'hello', channel: 'web', customer: { email: 'o@example.com' } },
    });
    await ticketTagsThroughA();
    expect(cacheA.holds(tenant.id)).toBe(true);
    expect(cacheA.holds(other.id)).toBe(true);
    const policy = await call(b, tenant.adminToken, {
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
        ],
      },
    });
    expect(policy.statusCode, JSON.stringify(policy.data)).toBe(201);
    await until(() => !cacheA.holds(tenant.id), 'the policy');
    expect(cacheA.holds(other.id)).toBe(true);
  });
});
