import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, createTestTenant, type TestTenant } from '../../../test/helpers.ts';
import { patchTicket, postTicket } from './ticket.factories.ts';

describe('merging tickets', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;

  const merge = (sourceId: string, targetId: string, force?: boolean) =>
    call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/tickets/${sourceId}/merge`,
      payload: force === undefined ? { targetId } : { targetId, force },
    });
  const get = (id: string) => call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/tickets/${id}` });
  const search = async (q: string) =>
    (await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/tickets?q=${encodeURIComponent(q)}` }))
      .data.items as Array<{ id: string }>;

  beforeAll(async () => {
    app = await buildTestApp();
    tenant = await createTestTenant();
  });
  afterAll(() => app.close());

  it('moves messages, notes both, closes the source and unites tags, bumping both versions', async () => {
    const customer = { email: 'merge@example.cn' };
    const target = await postTicket(app, tenant.adminToken, {
      customer,
      tags: ['a'],
      body: '第一次问：什么时候发货',
    });
    const source = await postTicket(app, tenant.adminToken, {
      customer,
      tags: ['b', 'a'],
      body: '重复问：退款进度独有词',
    });
    const sourceBefore = (await get(source.id)).data;

    const merged = await merge(source.id, target.id);
    expect(merged.statusCode).toBe(200);
    expect(merged.data).toMatchObject({ id: target.id, tags: ['a', 'b'], version: 2 });

    const targetAfter = (await get(target.id)).data;
    const bodies = (
      targetAfter.messages as Array<{ body: string; createdAt: string; authorType: string }>
    ).map((m) => m.body);
    expect(bodies).toEqual([
      '第一次问：什么时候发货',
      '重复问：退款进度独有词',
      `Ticket #${source.number} was merged into this ticket.`,
    ]);
    const moved = targetAfter.messages[1];
    expect(moved.createdAt).toBe(sourceBefore.messages[0].createdAt);
    expect(targetAfter.messages[2]).toMatchObject({ authorType: 'system', visibility: 'internal' });

    const sourceAfter = (await get(source.id)).data;
    expect(sourceAfter).toMatchObject({ status: 'closed', mergedIntoId: target.id, version: 2 });
    expect(sourceAfter.closedAt).not.toBeNull();
    expect(sourceAfter.messages).toHaveLength(1);
    expect(sourceAfter.messages[0].body).toBe(`This ticket was merged into ticket #${target.number}.`);

    // The target is found by the source's words.
    expect((await search('退款进度独有词')).map((t) => t.id)).toContain(target.id);

    const targetHistory = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${target.id}/history`,
    });
    expect((targetHistory.data.items as unknown[]).at(-1)).toMatchObject({
      action: 'merged_in',
      changes: [
        { field: 'mergedFrom', before: null, after: source.id },
        { field: 'tags', before: ['a'], after: ['a', 'b'] },
      ],
    });
    const sourceHistory = await call(app, tenant.adminToken, {
      method: 'GET',
      url: `/api/v1/tickets/${source.id}/history`,
    });
    expect((sourceHistory.data.items as Array<{ action: string }>).at(-1)!.action).toBe('merged');

    // Stale versions held by clients are refused after a merge.
    expect((await patchTicket(app, tenant.adminToken, target.id, 1, { priority: 'low' })).statusCode).toBe(
      412,
    );
  });

  it('refuses merging into itself, into or from a closed ticket, and across requesters unless forced', async () => {
    const one = await postTicket(app, tenant.adminToken, { customer: { email: 'one@example.cn' } });
    const two = await postTicket(app, tenant.adminToken, { customer: { email: 'two@example.cn' } });
    const closed = await postTicket(app, tenant.adminToken, { customer: { email: 'one@example.cn' } });
    expect((await patchTicket(app, tenant.adminToken, closed.id, 1, { status: 'closed' })).statusCode).toBe(
      200,
    );

    for (const [source, target] of [
      [one.id, one.id],
      [one.id, closed.id],
      [closed.id, one.id],
      [one.id, two.id],
    ] as const) {
      const response = await merge(source, target);
      expect(response.statusCode, `${source} → ${target}`).toBe(409);
      expect(response.data.code).toBe('MERGE_INVALID');
    }
    // Nothing changed on a refused merge.
    expect((await get(one.id)).data).toMatchObject({ status: 'new', version: 1 });
    expect((await get(one.id)).data.messages).toHaveLength(1);

    expect((await merge(one.id, '0192f0c4-8a4b-7c3d-9e1f-0123456789ab')).statusCode).toBe(404);
    const forced = await merge(one.id, two.id, true);
    expect(forced.statusCode).toBe(200);
    // A merged ticket cannot be merged again.
    expect((await merge(one.id, two.id, true)).statusCode).toBe(409);
  });
});
