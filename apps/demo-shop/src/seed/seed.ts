import type pg from 'pg';
import { ensureSchema, truncateAll } from '../db/schema.ts';
import { COLUMNS, INSERT_ORDER, type Dataset, type TableName } from './dataset.ts';
import { generateShop, type GenerateOptions } from './generate.ts';

const BATCH = 5000;

/**
 * Inserts rows column-wise through `unnest`: one statement and one round trip per 5,000 rows, which keeps
 * seeding 10,000 orders (and their ~60,000 tracking events) to a few seconds.
 */
export async function insertRows(client: pg.PoolClient, table: TableName, rows: unknown[][]): Promise<void> {
  const columns = Object.entries(COLUMNS[table]);
  const list = columns.map(([name]) => name).join(', ');
  const casts = columns.map(([, type], i) => `$${i + 1}::${type === 'jsonb' ? 'text' : type}[]`).join(', ');
  const select = columns.map(([name, type]) => (type === 'jsonb' ? `${name}::jsonb` : name)).join(', ');
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    const arrays = columns.map((_, c) => batch.map((row) => row[c] ?? null));
    await client.query(
      `INSERT INTO ${table} (${list}) SELECT ${select} FROM unnest(${casts}) AS t(${list})`,
      arrays,
    );
  }
}

export async function insertDataset(client: pg.PoolClient, data: Dataset): Promise<void> {
  for (const table of INSERT_ORDER) await insertRows(client, table, data[table]);
}

export interface SeedResult {
  orders: number;
  members: number;
  trackingEvents: number;
  milliseconds: number;
}

/** Replaces all shop data with a freshly generated shop, in one transaction. */
export async function seedShop(pool: pg.Pool, schema: string, options: GenerateOptions): Promise<SeedResult> {
  const started = performance.now();
  await ensureSchema(pool, schema);
  const data = generateShop(options);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await truncateAll(client);
    await insertDataset(client, data);
    // New ids (surge orders, refunds, notes) continue after the seeded orders.
    await client.query(`SELECT setval('ids', $1)`, [data.orders.length + 1]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  return {
    orders: data.orders.length,
    members: data.members.length,
    trackingEvents: data.tracking_events.length,
    milliseconds: Math.round(performance.now() - started),
  };
}
