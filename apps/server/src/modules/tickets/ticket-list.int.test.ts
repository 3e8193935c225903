import type { FastifyInstance } from 'fastify';
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
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
import { createPool } from '../../db/database.ts';
import type { Database } from '../../db/tables.ts';
import { decodeCursor } from './cursor.ts';
import { TicketRepository } from './ticket.repository.ts';
import { createTeam, postTicket, setTicketColumns, type TicketJson } from './ticket.factories.ts';

interface Page {
  items: TicketJson[];
  nextCursor: string | null;
}

describe('ticket list: filters, keyset pagination, search', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;
  let agent: TestUser;
  let teamA: string;
  let teamB: string;
  const all: TicketJson[] = [];

  async function list(query: string, token = tenant.adminToken): Promise<Page> {
    const response = await call(app, token, { method: 'GET', url: `/api/v1/tickets?${query}` });
    expect(response.statusCode, response.body).toBe(200);
    return response.data as Page;
  }

  /** Walks every page of a query and returns the ids in order. */
  async function walk(query: string, limit: number, token = tenant.adminToken): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const page: Page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, token);
      ids.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
      if (!cursor) return ids;
    }
    throw new Error('too many pages');
  }

  beforeAll(async () => {
    app = await buildTestApp();
    tenant = await createTestTenant();
    [teamA, teamB] = await Promise.all([createTeam(tenant, 'A'), createTeam(tenant, 'B')]);
    agent = await createTestUser(tenant, 'agent', { teamIds: [teamA] });
    const bodies = [
      '催一下，我的快递什么时候发货？',
      '申请价格保护，降价了50元',
      'The parcel arrived damaged, I want a refund',
      '发 货 太慢了（这里的发和货分开写）',
      '优惠券没法用',
    ];
    // 25 tickets with distinct created_at (some equal, to exercise the id tie-break) and due times.
    const base = Date.parse('2026-11-11T00:00:00Z');
    for (let i = 0; i < 25; i++) {
      const ticket = await postTicket(app, tenant.adminToken, {
        body: `${bodies[i % bodies.length]} #${i}`,
        orderNumber: `E20261111${String(i).padStart(5, '0')}`,
        priority: i % 4 === 0 ? 'urgent' : 'normal',
        tags: i % 3 === 0 ? ['vip'] : [],
        customer: { email: `list-${i % 6}@example.cn` },
        channel: i % 2 ? 'web' : 'email',
      });
      all.push(ticket);
      await setTicketColumns(tenant, ticket.id, {
        teamId: i % 2 ? teamA : teamB,
        assigneeId: i % 3 === 0 ? agent.id : null,
        // A third without a due time (they sort last in queue order); pairs share one due time.
        nextDueAt: i % 3 === 2 ? null : new Date(base + Math.floor(i / 2) * 60_000),
        status: i % 5 === 4 ? 'solved' : i % 5 === 3 ? 'pending' : 'new',
      });
      await testDb()
        .updateTable('tickets')
        .set({ createdAt: new Date(base - Math.floor(i / 2) * 1000) })
        .where('tenantId', '=', tenant.id)
        .where('id', '=', ticket.id)
        .execute();
    }
  });
  afterAll(() => app.close());

  it('walks newest first over several pages with no duplicates and no gaps', async () => {
    const rows = await testDb()
      .selectFrom('tickets')
      .select('id')
      .where('tenantId', '=', tenant.id)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .execute();
    const ids = await walk('sort=-createdAt', 9);
    expect(ids).toEqual(rows.map((r) => r.id));
    expect(ids).toHaveLength(25);
    const first = await list('limit=9');
    expect(first.items).toHaveLength(9);
    expect(first.items[0]).not.toHaveProperty('messages');
    expect(first.items[0]).not.toHaveProperty('fields');
  });

  it('walks the queue by due time, undated last, over pages, open tickets only', async () => {
    const expected = await testDb()
      .selectFrom('tickets')
      .select('id')
      .where('tenantId', '=', tenant.id)
      .where('status', 'not in', ['solved', 'closed'])
      .orderBy(
        (eb) => eb.ref('nextDueAt'),
        (ob) => ob.asc().nullsLast(),
      )
      .orderBy('id', 'asc')
      .execute();
    const ids = await walk('sort=nextDueAt', 4);
    expect(ids).toEqual(expected.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(20);

    const mine = await walk(`sort=nextDueAt&assigneeId=${agent.id}`, 2);
    const expectedMine = expected.filter((r) => all.findIndex((t) => t.id === r.id) % 3 === 0);
    expect(mine).toEqual(expectedMine.map((r) => r.id));

    const team = await walk(`sort=nextDueAt&teamId=${teamA}&status=new&status=pending`, 3);
    expect(team.length).toBeGreaterThan(0);
    expect(team).toEqual(
      expected.filter((r) => all.findIndex((t) => t.id === r.id) % 2 === 1).map((r) => r.id),
    );
  });

  it('filters by status, assignee (me, none), team, priority, tag, customer, order, channel and dates', async () => {
    const ids = (page: Page) => page.items.map((t) => t.id).sort();
    const idx = (pred: (i: number) => boolean) =>
      all
        .filter((_, i) => pred(i))
        .map((t) => t.id)
        .sort();

    expect(ids(await list('status=solved&limit=200'))).toEqual(idx((i) => i % 5 === 4));
    expect(ids(await list('status=solved&status=pending&limit=200'))).toEqual(
      idx((i) => i % 5 === 4 || i % 5 === 3),
    );
    expect(ids(await list(`assigneeId=${agent.id}&limit=200`))).toEqual(idx((i) => i % 3 === 0));
    expect(ids(await list('assigneeId=me&limit=200', agent.token))).toEqual(idx((i) => i % 3 === 0));
    expect(ids(await list('assigneeId=none&limit=200'))).toEqual(idx((i) => i % 3 !== 0));
    expect(ids(await list(`teamId=${teamA}&limit=200`))).toEqual(idx((i) => i % 2 === 1));
    expect(ids(await list('priority=urgent&limit=200'))).toEqual(idx((i) => i % 4 === 0));
    expect(ids(await list('tag=vip&limit=200'))).toEqual(idx((i) => i % 3 === 0));
    expect(ids(await list(`customerId=${all[1]!.requesterId}&limit=200`))).toEqual(idx((i) => i % 6 === 1));
    expect(ids(await list('orderNumber=E2026111100007'))).toEqual([all[7]!.id]);
    expect(ids(await list('channel=email&limit=200'))).toEqual(idx((i) => i % 2 === 0));
    expect(
      ids(await list('createdFrom=2026-11-10T23:59:57Z&createdTo=2026-11-11T00:00:00Z&limit=200')),
    ).toEqual(idx((i) => i >= 2 && i <= 7));
  });

  it('searches messages: Chinese words as bigram phrases, English by prefix, order numbers', async () => {
    const hits = async (q: string) =>
      (await list(`q=${encodeURIComponent(q)}&limit=200`)).items.map((t) => t.id).sort();
    const idx = (pred: (i: number) => boolean) =>
      all
        .filter((_, i) => pred(i))
        .map((t) => t.id)
        .sort();

    expect(await hits('发货')).toEqual(idx((i) => i % 5 === 0));
    expect(await hits('价格保护')).toEqual(idx((i) => i % 5 === 1));
    expect(await hits('保护价格')).toEqual([]);
    expect(await hits('refu')).toEqual(idx((i) => i % 5 === 2));
    expect(await hits('REFUND damaged')).toEqual(idx((i) => i % 5 === 2));
    expect(await hits('E2026111100012')).toEqual([all[12]!.id]);
    expect(await hits('!!!')).toEqual([]);
    // `发 货` (split by a space) must not match the word 发货.
    expect(await hits('发货')).not.toContain(all[3]!.id);
    // Search combines with filters and with the queue order.
    expect((await list(`q=${encodeURIComponent('发货')}&sort=nextDueAt&limit=200`)).items.length).toBe(
      idx((i) => i % 5 === 0).length,
    );
  });

  it('finds words of later replies and a changed subject', async () => {
    const ticket = all[20]!;
    const reply = await call(app, tenant.adminToken, {
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/messages`,
      payload: { body: '已为您补发发票 invoice', visibility: 'public' },
    });
    expect(reply.statusCode).toBe(201);
    const hits = (await list(`q=${encodeURIComponent('发票')}`)).items.map((t) => t.id);
    expect(hits).toEqual([ticket.id]);
    expect((await list('q=invoice')).items.map((t) => t.id)).toEqual([ticket.id]);
  });

  it('refuses bad cursors, a cursor of another sort, and bad filters with 400', async () => {
    const page = await list('limit=2');
    for (const query of [
      'cursor=garbage!',
      'cursor=eyJ4IjoxfQ',
      `sort=nextDueAt&cursor=${page.nextCursor}`,
      'limit=201',
      'limit=0',
      'status=unknown',
      'assigneeId=someone',
      'createdFrom=yesterday',
      'sort=priority',
      'unknown=1',
      'tag=a%00b',
      'category=%00',
    ]) {
      const response = await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/tickets?${query}` });
      expect(response.statusCode, query).toBe(400);
      expect(['INVALID_CURSOR', 'VALIDATION_FAILED']).toContain(response.data.code);
    }
    const standalone = await call(app, null, { method: 'GET', url: '/api/v1/tickets?assigneeId=me' });
    expect(standalone.statusCode).toBe(401);
  });

  it('serves each sort from an index of migration 0001', async () => {
    // Run the repository's own SQL through EXPLAIN with sequential scans and sorts priced out, as they would
    // be at a million rows; a sort without a usable index would still show as Seq Scan or Sort.
    const logged: Array<{ sql: string; parameters: readonly unknown[] }> = [];
    const pool = createPool(inject('databaseUrl'), 1);
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      plugins: [new CamelCasePlugin()],
      log: (event) => {
        if (event.level === 'query') logged.push(event.query);
      },
    });
    const repo = new TicketRepository(db);
    const scope = { kind: 'all' } as const;
    const planOf = async (run: () => Promise<unknown>) => {
      logged.length = 0;
      await run();
      const client = await pool.connect();
      try {
        await client.query('SET enable_seqscan = off; SET enable_sort = off; SET enable_bitmapscan = off');
        const { sql, parameters } = logged[0]!;
        const result = await client.query(`EXPLAIN ${sql}`, [...parameters]);
        return result.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
      } finally {
        await client.query('RESET ALL');
        client.release();
      }
    };
    try {
      const newest = await planOf(() => repo.list(tenant.id, scope, {}, { sort: '-createdAt', limit: 50 }));
      expect(newest).toContain('tickets_created_idx');
      expect(newest).not.toMatch(/Seq Scan|Sort/);
      const agentQueue = await planOf(() =>
        repo.list(tenant.id, scope, { assigneeId: agent.id }, { sort: 'nextDueAt', limit: 50 }),
      );
      expect(agentQueue).toContain('tickets_assignee_queue_idx');
      expect(agentQueue).not.toMatch(/Seq Scan|Sort/);
      const teamQueue = await planOf(() =>
        repo.list(
          tenant.id,
          scope,
          { teamId: teamA, status: ['new', 'open'] },
          { sort: 'nextDueAt', limit: 50 },
        ),
      );
      expect(teamQueue).toContain('tickets_team_queue_idx');
      const page = await repo.list(tenant.id, scope, { teamId: teamA }, { sort: 'nextDueAt', limit: 2 });
      const cursor = decodeCursor(page.nextCursor!, 'nextDueAt');
      const nextPage = await planOf(() =>
        repo.list(tenant.id, scope, { teamId: teamA }, { sort: 'nextDueAt', limit: 2, cursor }),
      );
      expect(nextPage).toContain('tickets_team_queue_idx');
      expect(nextPage).toMatch(/Index Cond: .*next_due_at, id\) > /);
    } finally {
      await db.destroy();
    }
  });
});
