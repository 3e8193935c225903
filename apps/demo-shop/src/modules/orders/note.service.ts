import type pg from 'pg';
import { nextId, requestHash } from '../../db/transaction.ts';
import { ShopApiError } from '../../errors.ts';

type Row = Record<string, unknown>;

export interface NoteRequest {
  orderId: string;
  body: string;
  visibility: 'internal' | 'buyer';
  idempotencyKey: string;
}

const SELECT = `SELECT id, order_id AS "orderId", body, visibility, created_at AS "createdAt", request_hash AS "requestHash" FROM order_notes`;

/** Adds a note (e.g. the PeakDesk ticket reference) once per idempotency key. */
export async function addOrderNote(
  pool: pg.Pool,
  request: NoteRequest,
  now: Date,
): Promise<{ note: Row; replayed: boolean }> {
  const order = await pool.query<Row>(`SELECT 1 FROM orders WHERE id = $1`, [request.orderId]);
  if (order.rowCount === 0) throw new ShopApiError('NOT_FOUND', `no order ${request.orderId}`);
  const hash = requestHash({ ...request, idempotencyKey: undefined });
  const id = await nextId(pool, 'NT');
  const inserted = await pool.query<Row>(
    `INSERT INTO order_notes (id, order_id, body, visibility, idempotency_key, request_hash, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING`,
    [id, request.orderId, request.body, request.visibility, request.idempotencyKey, hash, now],
  );
  const { rows } = await pool.query<Row>(`${SELECT} WHERE idempotency_key = $1`, [request.idempotencyKey]);
  if (rows[0]?.requestHash !== hash) {
    throw new ShopApiError('IDEMPOTENCY_KEY_REUSED', 'this idempotency key was used for a different note');
  }
  return { note: rows[0], replayed: inserted.rowCount === 0 };
}
