import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  type TestTenant,
} from '../../../test/helpers.ts';

describe('POST /api/v1/classify', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;

  beforeAll(async () => {
    app = await buildTestApp();
    tenant = await createTestTenant();
  });
  afterAll(() => app.close());

  const classify = (token: string | null, payload: unknown) =>
    call(app, token, { method: 'POST', url: '/api/v1/classify', payload: payload as object });

  it('returns category, confidence, explanation and entities', async () => {
    const agent = await createTestUser(tenant, 'agent');
    const response = await classify(agent.token, {
      text: '亲，SF1234567890123 显示签收了但我没收到，电话13812345678',
    });
    expect(response.statusCode).toBe(200);
    expect(response.data.category).toBe('logistics');
    expect(response.data.confidence).toBeGreaterThan(0.5);
    expect(response.data.confidence).toBeLessThanOrEqual(1);
    expect(response.data.explanation.length).toBeGreaterThan(0);
    expect(response.data.entities).toEqual({
      orderNumbers: [],
      trackingNumbers: [{ value: 'SF1234567890123', carrier: 'SF' }],
      phoneNumbers: ['13812345678'],
      amounts: [],
    });
  });

  it('reads English and amounts', async () => {
    const response = await classify(tenant.adminToken, { text: 'I want a refund of $12.50 for order #1042' });
    expect(response.statusCode).toBe(200);
    expect(response.data.category).toBe('refund');
    expect(response.data.entities.amounts).toEqual([{ text: '$12.50', minor: 1250, currency: 'USD' }]);
    expect(response.data.entities.orderNumbers).toEqual(['#1042']);
  });

  it('is allowed to a collaborator (tickets:read)', async () => {
    const collaborator = await createTestUser(tenant, 'collaborator');
    expect((await classify(collaborator.token, { text: '发票' })).statusCode).toBe(200);
  });

  it('requires authentication', async () => {
    const response = await classify(null, { text: '发票' });
    expect(response.statusCode).toBe(401);
  });

  it.each<[unknown, string]>([
    [{}, 'missing text'],
    [{ text: '' }, 'empty text'],
    [{ text: 42 }, 'a number'],
    [{ text: '发票', tenantId: 'x' }, 'unknown property'],
    [{ text: 'x'.repeat(20_001) }, 'too long'],
  ])('refuses %j (%s)', async (payload) => {
    const response = await classify(tenant.adminToken, payload);
    expect(response.statusCode).toBe(400);
    expect(response.data.code).toBe('VALIDATION_FAILED');
  });
});
