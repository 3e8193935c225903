import { createHash } from 'node:crypto';
import type pg from 'pg';

export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A fingerprint of a write request, stored beside its idempotency key to detect a key reused for another request. */
export function requestHash(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex').slice(0, 32);
}

/** New shop ids continue one sequence: `RF1010001`, `NT1010002`, … */
export async function nextId(client: Pick<pg.PoolClient, 'query'>, prefix: string): Promise<string> {
  const { rows } = await client.query<{ n: string }>(`SELECT nextval('ids')::text AS n`);
  return `${prefix}${String(1_000_000 + Number(rows[0]!.n))}`;
}
