import { sql } from 'kysely';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { scratchDatabase } from '../../test/scratch.ts';
import { uuidv7 } from '../lib/ids.ts';
import { createTenant } from '../modules/tenants/tenant.service.ts';
import { createDb, createPool, migrateToLatest, type Db } from './database.ts';
import { guardStatistics } from './stats-guard.ts';

/**
 * On a database of its own (a fresh install: every table empty and never analysed), so that the plans and
 * statistics are the ones a first surge meets, whatever other test files wrote to the run's database.
 */
let db: Db | undefined;
let drop: (() => Promise<void>) | undefined;

afterAll(async () => {
  await db?.destroy();
  await drop?.();
});

/** The plan PostgreSQL keeps for a foreign-key check on tickets (a generic plan, as the check caches it). */
async function keyCheckIndex(conn: Db): Promise<string> {
  return conn.connection().execute(async (c) => {
    await sql`SET plan_cache_mode = force_generic_plan`.execute(c);
    await sql`DEALLOCATE ALL`.execute(c);
    await sql`PREPARE key_check(uuid, uuid) AS
      SELECT 1 FROM ONLY tickets x WHERE tenant_id = $1 AND id = $2 FOR KEY SHARE OF x`.execute(c);
    const { rows } = await sql<{ 'QUERY PLAN': string }>`
      EXPLAIN EXECUTE key_check('00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000')`.execute(
      c,
    );
    await sql`DEALLOCATE key_check`.execute(c);
    await sql`RESET plan_cache_mode`.execute(c);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

describe('statistics guard', () => {
  it(
    'analyses tables that outgrew their statistics, so key checks plan on the primary key',
    { timeout: 60_000 },
    async () => {
      const scratch = await scratchDatabase(inject('databaseUrl'), 'peakdesk_stats');
      drop = scratch.drop;
      db = createDb(createPool(scratch.url, 2));
      await migrateToLatest(db);
      const { tenantId } = await createTenant(db, {
        slug: 'stats-guard',
        name: 'Stats guard',
        adminEmail: 'admin@stats-guard.test',
        adminPassword: 'stats guard password',
      });

      // A first surge: rows arrive before any statistics exist.
      await db.connection().execute(async (c) => {
        await sql`
          INSERT INTO customers (tenant_id, id, name, created_at, updated_at)
          SELECT ${tenantId}::uuid, id, 'c', now(), now() FROM unnest(${Array.from({ length: 400 }, () => uuidv7())}::uuid[]) AS id`.execute(
          c,
        );
        await sql`
          INSERT INTO tickets (tenant_id, id, number, subject, channel, requester_id, created_at, updated_at)
          SELECT ${tenantId}::uuid, gen_random_uuid(), n, 's', 'web', c.id, now(), now()
          FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM customers WHERE tenant_id = ${tenantId}) c`.execute(
          c,
        );
        // Statistics counters reach the shared view when a connection goes idle, at most once a second.
        await sql`SELECT pg_stat_force_next_flush()`.execute(c);
      });
      await new Promise((resolve) => setTimeout(resolve, 200));

      const analysed = await guardStatistics(db);
      expect(analysed).toEqual(expect.arrayContaining(['tickets', 'customers']));
      // Tenants (one row) and empty tables stay as they were.
      expect(analysed).not.toContain('tenants');
      const { rows } = await sql<{ relname: string; reltuples: number }>`
        SELECT relname, reltuples::float8 AS reltuples FROM pg_class
        WHERE relname IN ('tickets', 'customers') ORDER BY relname`.execute(db);
      expect(rows).toEqual([
        { relname: 'customers', reltuples: 400 },
        { relname: 'tickets', reltuples: 400 },
      ]);
      expect(await keyCheckIndex(db)).toContain('tickets_pkey');

      // Nothing grew since: the next pass has nothing to do.
      expect(await guardStatistics(db)).toEqual([]);
    },
  );
});
