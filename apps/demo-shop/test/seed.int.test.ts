import { afterAll, describe, expect, it } from 'vitest';
import { TABLES } from '../src/db/schema.ts';
import { seedShop } from '../src/seed/seed.ts';
import { createTestSchema } from './helpers.ts';

type Schema = Awaited<ReturnType<typeof createTestSchema>>;
const schemas: Schema[] = [];

async function seededDigest(seed: number, orders: number): Promise<Record<string, string>> {
  const schema = await createTestSchema();
  schemas.push(schema);
  await seedShop(schema.pool, schema.schema, { seed, orders });
  const digest: Record<string, string> = {};
  for (const table of TABLES) {
    // Rows as text, in a stable order; serial ids are part of the row, so insertion order counts too.
    const { rows } = await schema.pool.query<{ md5: string | null; n: number }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS md5, count(*)::int AS n FROM ${table} t`,
    );
    digest[table] = `${rows[0]!.n}:${rows[0]!.md5}`;
  }
  return digest;
}

afterAll(async () => {
  for (const schema of schemas) await schema.drop();
});

describe('seeding', () => {
  it('produces exactly the same shop from the same seed, and another shop from another seed', async () => {
    const first = await seededDigest(2026, 300);
    const second = await seededDigest(2026, 300);
    const other = await seededDigest(2027, 300);
    expect(second).toEqual(first);
    expect(other.orders).not.toEqual(first.orders);
    expect(other.tracking_events).not.toEqual(first.tracking_events);
  });

  it('seeds a realistic shop: a Double 11 peak, shipments with routes, after-sales and price history', async () => {
    const schema = await createTestSchema();
    schemas.push(schema);
    const result = await seedShop(schema.pool, schema.schema, { seed: 11, orders: 1500 });
    expect(result.orders).toBe(1500);
    const { rows } = await schema.pool.query<{ day: string; n: number }>(
      `SELECT to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD') AS day, count(*)::int AS n
         FROM orders GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
    );
    expect(rows[0]!.day).toBe('11-11');
    const counts = await schema.pool.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM shipments) AS shipments,
              (SELECT count(DISTINCT code)::int FROM tracking_events) AS codes,
              (SELECT count(*)::int FROM aftersales) AS aftersales,
              (SELECT count(DISTINCT carrier_code)::int FROM shipments) AS carriers,
              (SELECT count(DISTINCT kind)::int FROM price_points) AS price_kinds,
              (SELECT count(*)::int FROM orders WHERE coupon_code IS NOT NULL) AS with_coupon,
              (SELECT count(*)::int FROM orders WHERE paid_fen <> total_fen AND status <> 'TRADE_CLOSED' AND status <> 'WAIT_BUYER_PAY') AS bad_paid`,
    );
    const c = counts.rows[0]!;
    expect(c.shipments).toBeGreaterThan(1000);
    expect(c.codes).toBeGreaterThanOrEqual(6);
    expect(c.aftersales).toBeGreaterThan(20);
    expect(c.carriers).toBe(5);
    expect(c.price_kinds).toBe(4);
    expect(c.with_coupon).toBeGreaterThan(50);
    expect(c.bad_paid).toBe(0);
  });
});
