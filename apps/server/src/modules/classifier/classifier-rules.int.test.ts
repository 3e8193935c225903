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
import { postTicket } from '../tickets/ticket.factories.ts';

describe('classifier override rules (/api/v1/classifier/rules)', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    app = await buildTestApp();
    [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
  });
  afterAll(() => app.close());

  const rules = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path = '', payload?: object) =>
    call(app, token, { method, url: `/api/v1/classifier/rules${path}`, ...(payload ? { payload } : {}) });
  const classify = (token: string, text: string) =>
    call(app, token, { method: 'POST', url: '/api/v1/classify', payload: { text } });

  it('overrides the model in POST /classify and says which rule matched', async () => {
    const before = await classify(tenant.adminToken, '我要开通黑钻会员');
    expect(before.data.category).not.toBe('coupon_points');
    expect(before.data.rule).toBeNull();

    const created = await rules(tenant.adminToken, 'POST', '', {
      kind: 'keyword',
      pattern: '黑钻',
      category: 'coupon_points',
    });
    expect(created.statusCode).toBe(201);
    expect(created.data).toMatchObject({ kind: 'keyword', pattern: '黑钻', enabled: true, version: 1 });

    const after = await classify(tenant.adminToken, '我要开通黑钻会员');
    expect(after.data).toMatchObject({
      category: 'coupon_points',
      confidence: 1,
      rule: { ruleId: created.data.id, kind: 'keyword', pattern: '黑钻', matched: '黑钻' },
    });
    expect(after.data.explanation[0]).toContain('黑钻');

    // Another tenant's classification does not see the rule.
    const elsewhere = await classify(other.adminToken, '我要开通黑钻会员');
    expect(elsewhere.data.category).toBe(before.data.category);
    expect(elsewhere.data.rule).toBeNull();
  });

  it("applies rules to new tickets in intake, first match by position, and not to other tenants' tickets", async () => {
    const pattern = await rules(tenant.adminToken, 'POST', '', {
      kind: 'pattern',
      pattern: '绿色通道.{0,10}(?:加急|优先)',
      category: 'shipping_eta',
      position: 1,
    });
    expect(pattern.statusCode).toBe(201);
    const ticket = await postTicket(app, tenant.adminToken, { body: '黑钻会员绿色通道，帮我加急一下' });
    expect(ticket.category).toBe('shipping_eta');
    expect(ticket.categoryConfidence).toBe(1);

    const plain = await postTicket(app, other.adminToken, { body: '黑钻会员绿色通道，帮我加急一下' });
    expect(plain.categoryConfidence).toBeLessThan(1);
  });

  it('changes and deletes a rule with version checks, and audits every write', async () => {
    const created = await rules(tenant.adminToken, 'POST', '', {
      kind: 'keyword',
      pattern: '小票',
      category: 'invoice',
    });
    const id = created.data.id as string;
    const stale = await rules(tenant.adminToken, 'PATCH', `/${id}`, { version: 9, enabled: false });
    expect(stale.statusCode).toBe(412);
    const disabled = await rules(tenant.adminToken, 'PATCH', `/${id}`, { version: 1, enabled: false });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.data).toMatchObject({ enabled: false, version: 2 });
    expect((await classify(tenant.adminToken, '小票')).data.rule).toBeNull();

    const listed = (await rules(tenant.adminToken, 'GET')).data as { items: { id: string }[] };
    expect(listed.items.map((r) => r.id)).toContain(id);
    expect((await rules(tenant.adminToken, 'DELETE', `/${id}`)).statusCode).toBe(204);
    expect((await rules(tenant.adminToken, 'GET', `/${id}`)).statusCode).toBe(404);
    expect((await rules(other.adminToken, 'DELETE', `/${id}`)).statusCode).toBe(404);

    const audit = await testDb()
      .selectFrom('auditLog')
      .select('action')
      .where('tenantId', '=', tenant.id)
      .where('targetId', '=', id)
      .orderBy('createdAt')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'classifier.rule.created',
      'classifier.rule.updated',
      'classifier.rule.deleted',
    ]);
  });

  it.each<[string, string, string]>([
    ['(a+)+$', 'UNSAFE_PATTERN', 'nested_quantifier'],
    ['(退款|退钱)*急', 'UNSAFE_PATTERN', 'nested_quantifier'],
    ['(x)\\1', 'UNSAFE_PATTERN', 'backreference'],
    ['.*退.*款', 'UNSAFE_PATTERN', 'too_many_quantifiers'],
    ['[退款', 'INVALID_PATTERN', 'invalid'],
  ])('refuses the pattern %s with %s', async (source, code, reason) => {
    const response = await rules(tenant.adminToken, 'POST', '', {
      kind: 'pattern',
      pattern: source,
      category: 'refund',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.data).toMatchObject({ code, reason });
  });

  it('refuses a pattern longer than 200 characters', async () => {
    const response = await rules(tenant.adminToken, 'POST', '', {
      kind: 'pattern',
      pattern: 'x'.repeat(201),
      category: 'refund',
    });
    expect(response.statusCode).toBe(400);
  });

  it('is for admins only', async () => {
    const supervisor = await createTestUser(tenant, 'supervisor');
    const agent = await createTestUser(tenant, 'agent');
    for (const token of [supervisor.token, agent.token]) {
      expect((await rules(token, 'GET')).statusCode).toBe(403);
      expect(
        (await rules(token, 'POST', '', { kind: 'keyword', pattern: 'x', category: 'other' })).statusCode,
      ).toBe(403);
    }
  });
});
