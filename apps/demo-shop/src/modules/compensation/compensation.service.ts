import type pg from 'pg';
import { nextId, requestHash, withTransaction } from '../../db/transaction.ts';
import { ShopApiError } from '../../errors.ts';

type Row = Record<string, unknown>;

export interface CompensationRequest {
  memberId: string;
  kind: 'coupon' | 'points' | 'store_credit';
  amountFen?: number | undefined;
  points?: number | undefined;
  reason: string;
  orderId?: string | undefined;
  idempotencyKey: string;
}

const SELECT = `SELECT id, member_id AS "memberId", kind, amount_fen AS "amountFen", points, coupon_code AS "couponCode",
  order_id AS "orderId", reason, created_at AS "createdAt", request_hash AS "requestHash" FROM compensations`;

/**
 * Goodwill through the member system: a no-threshold coupon, points, or store credit. Idempotent by key; the
 * member row is locked so that concurrent retries grant once.
 */
export async function issueCompensation(
  pool: pg.Pool,
  request: CompensationRequest,
  now: Date,
): Promise<{ compensation: Row; replayed: boolean }> {
  const needsAmount = request.kind !== 'points';
  if (needsAmount ? !request.amountFen : !request.points) {
    throw new ShopApiError(
      'VALIDATION_FAILED',
      needsAmount ? `${request.kind} needs an amount` : 'points needs a points count',
    );
  }
  const hash = requestHash({ ...request, idempotencyKey: undefined });
  return withTransaction(pool, async (client) => {
    const member = await client.query<Row>(`SELECT id FROM members WHERE id = $1 FOR UPDATE`, [
      request.memberId,
    ]);
    if (member.rowCount === 0) throw new ShopApiError('NOT_FOUND', `no member ${request.memberId}`);
    const existing = await client.query<Row>(`${SELECT} WHERE idempotency_key = $1`, [
      request.idempotencyKey,
    ]);
    if (existing.rows[0]) {
      if (existing.rows[0].requestHash !== hash) {
        throw new ShopApiError(
          'IDEMPOTENCY_KEY_REUSED',
          'this idempotency key was used for a different compensation',
        );
      }
      return { compensation: existing.rows[0], replayed: true };
    }
    let couponCode: string | null = null;
    if (request.kind === 'coupon') {
      couponCode = await nextId(client, 'CPC');
      await client.query<Row>(
        `INSERT INTO coupons (code, template_id, member_id, value_fen, min_spend_fen, status, issued_at, expires_at)
         VALUES ($1, 'CT-COMP', $2, $3, 0, 'UNUSED', $4, $4::timestamptz + interval '90 days')`,
        [couponCode, request.memberId, request.amountFen, now],
      );
    } else if (request.kind === 'points') {
      await client.query<Row>(`UPDATE members SET points_balance = points_balance + $2 WHERE id = $1`, [
        request.memberId,
        request.points,
      ]);
      await client.query<Row>(
        `INSERT INTO points_ledger (member_id, delta, reason, order_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
        [request.memberId, request.points, `客服补偿：${request.reason}`, request.orderId ?? null, now],
      );
    } else {
      await client.query<Row>(`UPDATE members SET store_credit_fen = store_credit_fen + $2 WHERE id = $1`, [
        request.memberId,
        request.amountFen,
      ]);
    }
    const id = await nextId(client, 'CMP');
    await client.query<Row>(
      `INSERT INTO compensations (id, member_id, kind, amount_fen, points, coupon_code, order_id, reason,
                                  idempotency_key, request_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        id,
        request.memberId,
        request.kind,
        needsAmount ? request.amountFen : null,
        needsAmount ? null : request.points,
        couponCode,
        request.orderId ?? null,
        request.reason,
        request.idempotencyKey,
        hash,
        now,
      ],
    );
    return {
      compensation: (await client.query<Row>(`${SELECT} WHERE id = $1`, [id])).rows[0] as Row,
      replayed: false,
    };
  });
}
