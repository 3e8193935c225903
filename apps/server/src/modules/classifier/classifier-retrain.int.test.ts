import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  testDb,
  type TestTenant,
  type TestUser,
} from '../../../test/helpers.ts';
import { runJobsOnce } from '../../jobs/testing.ts';
import { patchTicket, postTicket } from '../tickets/ticket.factories.ts';
import { classifyTicket } from './classifier.ts';
import { RETRAIN_AFTER_CORRECTIONS, RETRAIN_TASK } from './corrections.ts';

// 黑钻 is this shop's paid membership; questions about its benefits (权益) are coupon/points questions here.
// The base model has never seen the word and puts them elsewhere.
// Candidates the agents correct; one the base happens to file under coupon_points needs no correction and
// is skipped (the base model is retrained as the corpus grows), as long as at least N remain.
const CORRECTED = [
  '黑钻权益什么时候生效',
  '黑钻权益怎么用',
  '黑钻权益在哪里看',
  '开了黑钻，权益呢',
  '黑钻权益领取不了',
  '黑钻权益是不是过期了',
  '帮我查下黑钻权益',
  '黑钻权益给我开一下',
  '黑钻的权益有哪些',
  '黑钻权益怎么激活',
  '黑钻权益啥时候能用',
  '黑钻权益不见了',
  '黑钻权益能转给别人吗',
  '黑钻权益说明在哪',
];
const NEW_PHRASING = '黑钻权益怎么还没有';

const layerVersions = async (tenant: TestTenant) =>
  (
    await testDb()
      .selectFrom('classifierTenantModels')
      .select('version')
      .where('tenantId', '=', tenant.id)
      .orderBy('version')
      .execute()
  ).map((v) => v.version);

describe('learning from agents’ corrections', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;
  let other: TestTenant;
  let agent: TestUser;
  const runRetrains = () =>
    runJobsOnce(testDb(), { connectionString: inject('databaseUrl'), tasks: [RETRAIN_TASK] });

  beforeAll(async () => {
    app = await buildTestApp();
    [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    agent = await createTestUser(tenant, 'agent');
  });
  afterAll(() => app.close());

  it('records a correction as a training example in the ticket update’s transaction', async () => {
    const ticket = await postTicket(app, tenant.adminToken, { body: '问一下黑钻权益' });
    expect(ticket.category).not.toBe('coupon_points');
    const response = await patchTicket(app, agent.token, ticket.id, ticket.version, {
      category: 'coupon_points',
    });
    expect(response.statusCode).toBe(200);
    const examples = await testDb()
      .selectFrom('classifierExamples')
      .selectAll()
      .where('tenantId', '=', tenant.id)
      .where('ticketId', '=', ticket.id)
      .execute();
    expect(examples).toEqual([
      expect.objectContaining({
        text: expect.stringContaining('问一下黑钻权益'),
        oldCategory: ticket.category,
        newCategory: 'coupon_points',
        actorType: 'user',
        actorId: agent.id,
      }),
    ]);
    // A refused update (stale version) leaves no example behind.
    await patchTicket(app, agent.token, ticket.id, ticket.version, { category: 'refund' });
    const count = await testDb()
      .selectFrom('classifierExamples')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('tenantId', '=', tenant.id)
      .where('ticketId', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('retrains after N corrections: the tenant’s new tickets with that phrasing get the corrected category', async () => {
    const base = classifyTicket(NEW_PHRASING).category;
    expect(base).not.toBe('coupon_points');

    let corrections = 1; // the first test's
    for (const body of CORRECTED) {
      const ticket = await postTicket(app, tenant.adminToken, { body });
      if (ticket.category === 'coupon_points') continue;
      const response = await patchTicket(app, agent.token, ticket.id, ticket.version, {
        category: 'coupon_points',
      });
      expect(response.statusCode).toBe(200);
      corrections++;
      if (corrections === RETRAIN_AFTER_CORRECTIONS - 1) {
        // One short of N: nothing is enqueued yet.
        await runRetrains();
        expect(await layerVersions(tenant)).toEqual([]);
      }
    }
    expect(corrections).toBeGreaterThanOrEqual(RETRAIN_AFTER_CORRECTIONS);
    // The N-th correction enqueued the tenant's retrain in its transaction; run it as the worker would.
    await runRetrains();

    const model = await call(app, tenant.adminToken, { method: 'GET', url: '/api/v1/classifier/model' });
    expect(model.statusCode).toBe(200);
    expect(model.data.layer).toMatchObject({ version: 1, examples: corrections });
    expect(model.data.layer.metrics.accuracyBefore).toBeLessThan(0.5);
    expect(model.data.layer.metrics.accuracyAfter).toBe(1);
    expect(model.data.pendingCorrections).toBe(0);

    const fresh = await postTicket(app, tenant.adminToken, { body: NEW_PHRASING });
    expect(fresh.category).toBe('coupon_points');
    const classified = await call(app, agent.token, {
      method: 'POST',
      url: '/api/v1/classify',
      payload: { text: NEW_PHRASING },
    });
    expect(classified.data).toMatchObject({ category: 'coupon_points', layerVersion: 1, rule: null });

    // Unrelated inquiries of the same tenant stay where the base model puts them.
    for (const body of ['发票什么时候能开', '快递三天没更新了']) {
      expect((await postTicket(app, tenant.adminToken, { body })).category).toBe(
        classifyTicket(body).category,
      );
    }
    // Another tenant is unaffected.
    const elsewhere = await postTicket(app, other.adminToken, { body: NEW_PHRASING });
    expect(elsewhere.category).toBe(base);
  });

  it('retrains on demand (admins), audited, and a retrain with nothing new stores nothing', async () => {
    const agentTry = await call(app, agent.token, { method: 'POST', url: '/api/v1/classifier/retrain' });
    expect(agentTry.statusCode).toBe(403);
    const queued = await call(app, tenant.adminToken, { method: 'POST', url: '/api/v1/classifier/retrain' });
    expect(queued.statusCode).toBe(202);
    await runRetrains();
    expect(await layerVersions(tenant)).toEqual([1]);
    const audit = await testDb()
      .selectFrom('auditLog')
      .select('action')
      .where('tenantId', '=', tenant.id)
      .where('action', '=', 'classifier.retrain.requested')
      .execute();
    expect(audit).toHaveLength(1);

    // The other tenant asks for a retrain without any correction: nothing to learn, no layer.
    await call(app, other.adminToken, { method: 'POST', url: '/api/v1/classifier/retrain' });
    await runRetrains();
    const model = await call(app, other.adminToken, { method: 'GET', url: '/api/v1/classifier/model' });
    expect(model.data).toMatchObject({ layer: null, pendingCorrections: 0 });
  });
});
