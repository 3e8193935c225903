import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, createTestTenant, type TestTenant } from '../../../test/helpers.ts';
import { postTicket } from './ticket.factories.ts';

/** Random Han characters: nearly every bigram distinct, the worst case for a tsvector's size. */
function noise(length: number, seed: number): string {
  let a = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out += String.fromCodePoint(0x4e00 + (((t ^ (t >>> 14)) >>> 0) % 20_000));
  }
  return out;
}

describe('search vector size', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;

  beforeAll(async () => {
    app = await buildTestApp();
    tenant = await createTestTenant();
  });
  afterAll(() => app.close());

  it('keeps taking messages and merges once the search vector is full (PostgreSQL caps it at 1 MB)', async () => {
    const ticket = await postTicket(app, tenant.adminToken, { body: `发货 ${noise(49_990, 1)}` });
    for (let i = 2; i < 9; i++) {
      const response = await call(app, tenant.adminToken, {
        method: 'POST',
        url: `/api/v1/tickets/${ticket.id}/messages`,
        payload: { body: noise(50_000, i), visibility: 'internal' },
      });
      expect(response.statusCode, response.body.slice(0, 300)).toBe(201);
    }
    const other = await postTicket(app, tenant.adminToken, {
      body: noise(50_000, 99),
      customer: { email: 'full@example.cn' },
    });
    const merged = await call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/tickets/${other.id}/merge`,
      payload: { targetId: ticket.id, force: true },
    });
    expect(merged.statusCode, merged.body.slice(0, 300)).toBe(200);
    // What was indexed first is still found.
    const found = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets?q=${encodeURIComponent('发货')}`,
    });
    expect((found.data.items as Array<{ id: string }>).map((t) => t.id)).toContain(ticket.id);
  }, 60_000);
});
