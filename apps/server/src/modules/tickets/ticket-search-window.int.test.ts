import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, testDb, type TestTenant } from '../../../test/helpers.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { toTsqueryLiteral } from '../search/cjk-tokenizer.ts';
import { decodeCursor } from './cursor.ts';
import { SEARCH_WINDOW } from './ticket-list.query.ts';
import { TicketRepository } from './ticket.repository.ts';

/**
 * Search reads the newest SEARCH_WINDOW tickets first and falls back to the GIN index (see
 * ticket-list.query.ts). Both paths must give exactly the plain query's answer: same rows, same order, and
 * cursors that continue across the window's edge.
 */
describe('ticket search: newest-first window, GIN fallback', () => {
  const db = testDb();
  const repo = new TicketRepository(db);
  const all = { kind: 'all' } as const;
  const total = SEARCH_WINDOW + 120;
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTestTenant();
    const customerId = uuidv7();
    await db
      .insertInto('customers')
      .values({ tenantId: tenant.id, id: customerId, name: 'c', email: null, phone: null, address: null })
      .execute();
    // Ticket g is g seconds older than the first. Every third mentions 发货; 价格保护 appears only in the
    // 40 oldest, beyond the window (the others hold its bigrams, not as a phrase); 退款 in every third
    // ticket beyond the window and once inside it.
    await sql`
      INSERT INTO tickets (tenant_id, id, number, subject, channel, requester_id, status, created_at, search_vector)
      SELECT ${tenant.id}::uuid, gen_random_uuid(), g, 'bench', 'web', ${customerId}::uuid,
             CASE WHEN g % 7 = 0 THEN 'closed' ELSE 'open' END,
             timestamptz '2026-11-11 12:00:00+00' - g * interval '1 second' - (g % 2) * interval '1 microsecond',
             (CASE WHEN g % 3 = 0 THEN '''发货'':1 ' ELSE '' END
              || CASE WHEN g > ${total - 40} THEN '''价格'':3 ''格保'':4 ''保护'':5 ' ELSE '''价格'':3 ''格保'':5 ''保护'':6 ' END
              || CASE WHEN g = 17 OR (g > ${SEARCH_WINDOW} AND g % 3 = 1) THEN '''退款'':9' ELSE '' END)::tsvector
        FROM generate_series(1, ${total}) AS g`.execute(db);
    await sql`ANALYZE tickets`.execute(db);
  }, 60_000);

  async function expected(q: string, where = sql`true`): Promise<string[]> {
    const { rows } = await sql<{ id: string }>`
      SELECT id FROM tickets WHERE tenant_id = ${tenant.id} AND ${where}
         AND search_vector @@ ${toTsqueryLiteral(q)}::tsquery
       ORDER BY created_at DESC, id DESC`.execute(db);
    return rows.map((r) => r.id);
  }

  async function walk(q: string, status?: ('open' | 'closed')[]): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 60; pages++) {
      const page = await repo.list(
        tenant.id,
        all,
        { q, ...(status ? { status } : {}) },
        {
          sort: '-createdAt',
          limit: 200,
          cursor: cursor ? decodeCursor(cursor, '-createdAt') : null,
        },
      );
      ids.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
      if (!cursor) return ids;
    }
    throw new Error('too many pages');
  }

  it.each([
    ['a common word, found inside the window', '发货'],
    ['a phrase found only beyond the window', '价格保护'],
    ['a word once inside the window and often beyond it', '退款'],
    ['a word that matches nothing', '没有的词'],
  ])('gives the plain query’s rows and order for %s', async (_, q) => {
    const want = await expected(q);
    const first = await repo.list(tenant.id, all, { q }, { sort: '-createdAt', limit: 25 });
    expect(first.items.map((t) => t.id)).toEqual(want.slice(0, 25));
    expect(await walk(q)).toEqual(want);
  });

  it('combines the window with other filters', async () => {
    expect(await walk('发货', ['closed'])).toEqual(await expected('发货', sql`status = 'closed'`));
  });
});
