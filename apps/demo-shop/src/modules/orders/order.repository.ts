import type pg from 'pg';

type Queryable = Pick<pg.Pool, 'query'>;
type Row = Record<string, unknown>;

export interface OrderRecord {
  order: Row;
  member: Row;
  lines: Row[];
  payments: Row[];
  refunds: Row[];
  shipments: Row[];
  trackingEvents: Row[];
  afterSales: Row[];
  notes: Row[];
}

const ORDER_COLUMNS = `o.id, o.order_number AS "orderNumber", o.member_id AS "memberId", o.status, o.campaign,
  o.warehouse_code AS "warehouseCode", o.subtotal_fen AS "subtotalFen", o.discount_fen AS "discountFen",
  o.shipping_fen AS "shippingFen", o.total_fen AS "totalFen", o.paid_fen AS "paidFen",
  o.refunded_fen AS "refundedFen", o.coupon_code AS "couponCode", o.recipient_name AS "recipientName",
  o.recipient_phone AS "recipientPhone", o.province, o.city, o.district, o.street, o.created_at AS "createdAt",
  o.paid_at AS "paidAt", o.updated_at AS "updatedAt", o.version`;

export async function findOrderId(
  db: Queryable,
  ref: { id?: string; orderNumber?: string },
): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    ref.id !== undefined
      ? `SELECT id FROM orders WHERE id = $1`
      : `SELECT id FROM orders WHERE order_number = $1`,
    [ref.id ?? ref.orderNumber],
  );
  return rows[0]?.id ?? null;
}

/** Everything about one order, in parallel queries; null when there is no such order. */
export async function loadOrder(db: Queryable, orderId: string): Promise<OrderRecord | null> {
  const [order, lines, payments, refunds, shipments, events, afterSales, notes] = await Promise.all([
    db.query<Row>(`SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = $1`, [orderId]),
    db.query<Row>(
      `SELECT l.id, l.line_no AS "lineNo", l.sku_id AS "skuId", s.product_id AS "productId", l.title, l.variant,
              l.quantity, l.list_unit_fen AS "listUnitFen", l.paid_unit_fen AS "paidUnitFen",
              l.discount_fen AS "discountFen", l.total_fen AS "totalFen", l.refunded_quantity AS "refundedQuantity"
         FROM order_lines l JOIN skus s ON s.id = l.sku_id WHERE l.order_id = $1 ORDER BY l.line_no`,
      [orderId],
    ),
    db.query<Row>(
      `SELECT id, method, amount_fen AS "amountFen", status, transaction_id AS "transactionId", paid_at AS "paidAt"
         FROM payments WHERE order_id = $1 ORDER BY paid_at`,
      [orderId],
    ),
    db.query<Row>(
      `SELECT id, order_id AS "orderId", payment_id AS "paymentId", aftersale_id AS "afterSaleId",
              order_line_id AS "orderLineId", amount_fen AS "amountFen", reason, status, created_at AS "createdAt",
              succeeded_at AS "succeededAt"
         FROM refunds WHERE order_id = $1 ORDER BY created_at, id`,
      [orderId],
    ),
    db.query<Row>(
      `SELECT id, order_id AS "orderId", carrier_code AS "carrierCode", tracking_number AS "trackingNumber",
              warehouse_code AS "warehouseCode", status, shipped_at AS "shippedAt", delivered_at AS "deliveredAt",
              updated_at AS "updatedAt"
         FROM shipments WHERE order_id = $1 ORDER BY shipped_at`,
      [orderId],
    ),
    db.query<Row>(
      `SELECT e.shipment_id AS "shipmentId", e.seq, e.occurred_at AS "occurredAt", e.code, e.location, e.description
         FROM tracking_events e JOIN shipments s ON s.id = e.shipment_id WHERE s.order_id = $1 ORDER BY e.seq`,
      [orderId],
    ),
    db.query<Row>(`${AFTERSALE_SELECT} WHERE order_id = $1 ORDER BY created_at`, [orderId]),
    db.query<Row>(
      `SELECT id, body, visibility, created_at AS "createdAt" FROM order_notes WHERE order_id = $1 ORDER BY created_at`,
      [orderId],
    ),
  ]);
  const orderRow = order.rows[0];
  if (!orderRow) return null;
  const member = await db.query<Row>(`${MEMBER_SELECT} WHERE id = $1`, [orderRow.memberId]);
  return {
    order: orderRow,
    member: member.rows[0] as Row,
    lines: lines.rows,
    payments: payments.rows,
    refunds: refunds.rows,
    shipments: shipments.rows,
    trackingEvents: events.rows,
    afterSales: afterSales.rows,
    notes: notes.rows,
  };
}

export const AFTERSALE_SELECT = `SELECT id, order_id AS "orderId", kind, status, reason, lines,
  requested_fen AS "requestedFen", return_carrier AS "returnCarrier", return_tracking AS "returnTracking",
  created_at AS "createdAt", updated_at AS "updatedAt", version FROM aftersales`;

export const MEMBER_SELECT = `SELECT id, nick, name, phone, email, tier, points_balance AS "pointsBalance",
  store_credit_fen AS "storeCreditFen", province, city, district, street, joined_at AS "joinedAt" FROM members`;

export interface SummaryFilter {
  phone?: string;
  email?: string;
  memberId?: string;
  nick?: string;
  updatedSince?: Date;
  /** Keyset position: the (updated_at, id) of the last row of the previous page. */
  after?: { updatedAt: Date; id: string };
  limit: number;
}

/** Order summaries by customer and/or change time, oldest change first (a stable order for cursors). */
export async function listOrderSummaries(db: Queryable, filter: SummaryFilter): Promise<Row[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.memberId) add('o.member_id = ?', filter.memberId);
  if (filter.phone) add('o.member_id IN (SELECT id FROM members WHERE phone = ?)', filter.phone);
  if (filter.email)
    add('o.member_id IN (SELECT id FROM members WHERE lower(email) = lower(?))', filter.email);
  if (filter.nick) add('o.member_id IN (SELECT id FROM members WHERE nick = ?)', filter.nick);
  if (filter.updatedSince) add('o.updated_at >= ?', filter.updatedSince);
  if (filter.after) {
    params.push(filter.after.updatedAt, filter.after.id);
    where.push(`(o.updated_at, o.id) > ($${params.length - 1}, $${params.length})`);
  }
  params.push(filter.limit);
  const { rows } = await db.query<Row>(
    `SELECT o.id, o.order_number AS "orderNumber", o.status, o.total_fen AS "totalFen", o.paid_fen AS "paidFen",
            o.member_id AS "memberId",
            o.created_at AS "createdAt", o.updated_at AS "updatedAt", o.version
       FROM orders o ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY o.updated_at, o.id LIMIT $${params.length}`,
    params,
  );
  return rows;
}
