import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildShopApp, type ShopApp } from '../src/app.ts';
import { createPool } from '../src/db/pool.ts';
import { seedShop } from '../src/seed/seed.ts';

export const DATABASE_URL =
  process.env.DEMO_SHOP_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
export const API_KEY = 'test-shop-key';
export const AUTH = { authorization: `Bearer ${API_KEY}` };

export interface TestShop extends ShopApp {
  pool: pg.Pool;
  schema: string;
  close(): Promise<void>;
}

/** A schema of its own per test file, seeded small, dropped on close: test files never see each other. */
export async function createTestSchema(): Promise<{
  pool: pg.Pool;
  schema: string;
  drop: () => Promise<void>;
}> {
  const schema = `demo_shop_t_${randomBytes(5).toString('hex')}`;
  const pool = createPool(DATABASE_URL, schema, 12);
  return {
    pool,
    schema,
    drop: async () => {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    },
  };
}

export async function createTestShop(
  options: { orders?: number; seed?: number; chaosHangMs?: number } = {},
): Promise<TestShop> {
  const { pool, schema, drop } = await createTestSchema();
  await seedShop(pool, schema, { seed: options.seed ?? 7, orders: options.orders ?? 400 });
  const shop = await buildShopApp({
    pool,
    config: {
      apiKey: API_KEY,
      piiMasked: false,
      seed: options.seed ?? 7,
      chaosHangMs: options.chaosHangMs ?? 200,
    },
  });
  return {
    ...shop,
    pool,
    schema,
    async close() {
      await shop.app.close();
      await drop();
    },
  };
}

export async function call(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  body?: unknown,
) {
  const response = await app.inject({
    method,
    url,
    headers: AUTH,
    ...(body === undefined ? {} : { payload: body as object }),
  });
  return { status: response.statusCode, body: response.json() };
}

/** An order with a payment and nothing refunded yet, from the seeded data. */
export async function findRefundableOrder(
  pool: pg.Pool,
  skip = 0,
): Promise<{ id: string; paidFen: number; memberId: string }> {
  const { rows } = await pool.query<{ id: string; paidFen: number; memberId: string }>(
    `SELECT id, paid_fen AS "paidFen", member_id AS "memberId" FROM orders
      WHERE status = 'TRADE_FINISHED' AND refunded_fen = 0 ORDER BY id OFFSET $1 LIMIT 1`,
    [skip],
  );
  return rows[0]!;
}
