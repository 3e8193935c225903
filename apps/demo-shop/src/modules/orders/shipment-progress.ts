import type pg from 'pg';
import { CARRIERS } from '../../seed/catalog.ts';
import { enqueueEvent } from '../events/outbox.repository.ts';
import { touchOrder } from './order-lock.ts';

interface ShipmentState {
  id: string;
  orderId: string;
  orderNumber: string;
  orderStatus: string;
  carrierCode: string;
  city: string;
  district: string;
  warehouseCity: string;
  lastCode: string | null;
  lastSeq: number;
}

/** The next carrier scan after `lastCode`, or null when the parcel's journey is over. */
export function nextScan(
  lastCode: string | null,
  s: Pick<ShipmentState, 'carrierCode' | 'city' | 'district' | 'warehouseCity'>,
): { code: string; status: string; location: string; description: string } | null {
  const carrier = CARRIERS.find((c) => c.code === s.carrierCode)?.name ?? s.carrierCode;
  switch (lastCode) {
    case null:
      return {
        code: '揽收',
        status: 'IN_TRANSIT',
        location: s.warehouseCity,
        description: `【${s.warehouseCity}】${carrier} 已揽收`,
      };
    case '揽收':
      return {
        code: '发往',
        status: 'IN_TRANSIT',
        location: s.warehouseCity,
        description: `【${s.warehouseCity}】快件已发出，下一站 ${s.city}`,
      };
    case '发往':
      return {
        code: '到达',
        status: 'IN_TRANSIT',
        location: s.city,
        description: `【${s.city}】快件已到达 ${s.district}营业部`,
      };
    case '到达':
    case '滞留':
      return {
        code: '派送中',
        status: 'DELIVERING',
        location: s.city,
        description: `【${s.city}】快递员正在派件`,
      };
    case '派送中':
      return {
        code: '已签收',
        status: 'SIGNED',
        location: s.city,
        description: `【${s.city}】已签收，感谢使用${carrier}`,
      };
    default:
      return null;
  }
}

/**
 * Moves a parcel one scan further (揽收 → 发往 → 到达 → 派送中 → 已签收) and emits shipment.updated; delivery also
 * moves the order to BUYER_SIGNED. Returns false when the journey was already over. Runs in the caller's
 * transaction and locks the order row first, like every other write on an order.
 */
export async function advanceShipment(
  client: pg.PoolClient,
  shipmentId: string,
  now: Date,
): Promise<boolean> {
  const { rows } = await client.query<ShipmentState>(
    `SELECT s.id, s.order_id AS "orderId", o.order_number AS "orderNumber", o.status AS "orderStatus",
            s.carrier_code AS "carrierCode", o.city, o.district, w.city AS "warehouseCity",
            (SELECT code FROM tracking_events e WHERE e.shipment_id = s.id ORDER BY seq DESC LIMIT 1) AS "lastCode",
            coalesce((SELECT max(seq) FROM tracking_events e WHERE e.shipment_id = s.id), 0) AS "lastSeq"
       FROM shipments s JOIN orders o ON o.id = s.order_id JOIN warehouses w ON w.code = s.warehouse_code
      WHERE s.id = $1 FOR UPDATE OF o, s`,
    [shipmentId],
  );
  const state = rows[0];
  if (!state) return false;
  const scan = nextScan(state.lastCode, state);
  if (!scan) return false;
  await client.query(
    `INSERT INTO tracking_events (shipment_id, seq, occurred_at, code, location, description) VALUES ($1, $2, $3, $4, $5, $6)`,
    [state.id, state.lastSeq + 1, now, scan.code, scan.location, scan.description],
  );
  const delivered = scan.status === 'SIGNED';
  await client.query(
    `UPDATE shipments SET status = $2, updated_at = $3, delivered_at = CASE WHEN $4 THEN $3 ELSE delivered_at END WHERE id = $1`,
    [state.id, scan.status, now, delivered],
  );
  const version = await touchOrder(client, state.orderId, now, {
    ...(delivered && state.orderStatus === 'WAIT_BUYER_CONFIRM_GOODS' ? { status: 'BUYER_SIGNED' } : {}),
  });
  await enqueueEvent(client, {
    type: 'shipment.updated',
    orderId: state.orderId,
    orderNumber: state.orderNumber,
    orderVersion: version,
    occurredAt: now,
    data: { shipmentId: state.id, status: scan.status, scan: scan.code },
  });
  return true;
}
