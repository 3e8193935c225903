import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../../db/transaction.ts';
import { ShopApiError } from '../../errors.ts';
import { CARRIERS, PLACES } from '../../seed/catalog.ts';
import { emptyDataset } from '../../seed/dataset.ts';
import { buildCatalog, iso, OrderFactory, type Catalog } from '../../seed/generate.ts';
import { trackingNumber } from '../../seed/logistics.ts';
import type { MemberSeed } from '../../seed/members.ts';
import { Prng } from '../../seed/prng.ts';
import { insertDataset, insertRows } from '../../seed/seed.ts';
import { advanceShipment } from '../orders/shipment-progress.ts';

export interface SurgeRequest {
  orders: number;
  eventsPerSecond: number;
  durationSeconds: number;
}

export interface SurgeStatus extends SurgeRequest {
  id: string;
  startedAt: string;
  running: boolean;
  ordersCreated: number;
  eventsEmitted: number;
  error?: string;
}

const TICK_MS = 200;
/** Keeps each tick's transaction short even when a slow machine makes the surge fall behind. */
const MAX_PER_TICK = 5000;

/**
 * A Double 11 burst: new paid orders spread over the duration, the surge's earlier orders shipped, and
 * re-pushed shipment hints for existing parcels to fill the requested event rate. Bounded by the request and
 * stops by itself; one surge at a time.
 */
export class SurgeRunner {
  private status: SurgeStatus | undefined;
  private timer: NodeJS.Timeout | undefined;
  private catalog: Catalog | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly seed: number,
    private readonly now: () => Date,
  ) {}

  current(): SurgeStatus | null {
    return this.status ? { ...this.status } : null;
  }

  start(request: SurgeRequest): SurgeStatus {
    if (this.status?.running) throw new ShopApiError('SURGE_RUNNING', 'a surge is already running');
    // The catalog is the first thing the seed generates, so the same seed rebuilds the same SKUs and prices.
    this.catalog ??= buildCatalog(new Prng(this.seed), undefined);
    this.status = {
      ...request,
      id: randomUUID(),
      startedAt: this.now().toISOString(),
      running: true,
      ordersCreated: 0,
      eventsEmitted: 0,
    };
    const status = this.status;
    const prng = new Prng(Date.now() >>> 0);
    // Paced by the wall clock, not by tick count: a slow tick (a loaded machine) makes the next batch bigger,
    // and the surge ends when its duration is over whatever it managed to emit.
    const startedAt = performance.now();
    const durationMs = request.durationSeconds * 1000;
    const run = async () => {
      // The tick that reaches the end emits everything still due, so a surge that keeps up delivers all of it.
      const isLast = performance.now() - startedAt + TICK_MS >= durationMs;
      const elapsed = isLast ? durationMs : performance.now() - startedAt + TICK_MS;
      try {
        const ordersDue = Math.round((request.orders * elapsed) / durationMs) - status.ordersCreated;
        const eventsDue = Math.round((request.eventsPerSecond * elapsed) / 1000) - status.eventsEmitted;
        await this.tick(
          prng,
          status,
          Math.min(ordersDue, MAX_PER_TICK),
          Math.min(eventsDue, 4 * MAX_PER_TICK),
        );
      } catch (error) {
        status.error = (error as Error).message;
        status.running = false;
      }
      if (status.running && !isLast) this.timer = setTimeout(() => void run(), TICK_MS);
      else status.running = false;
    };
    this.timer = setTimeout(() => void run(), 0);
    return { ...status };
  }

  stop(): void {
    clearTimeout(this.timer);
    if (this.status) this.status.running = false;
  }

  private async tick(prng: Prng, status: SurgeStatus, ordersDue: number, eventsDue: number): Promise<void> {
    const now = this.now();
    let events = 0;
    if (ordersDue > 0) {
      const members = await this.sampleMembers(ordersDue);
      const data = emptyDataset();
      const outbox: unknown[][] = [];
      const factory = new OrderFactory(
        prng,
        this.catalog!,
        data,
        now.getTime(),
        (memberId, delta, reason, orderId, at) =>
          data.points_ledger.push([memberId, delta, reason, orderId, iso(at)]),
      );
      const { rows } = await this.pool.query<{ n: string }>(
        `SELECT nextval('ids')::text AS n FROM generate_series(1, $1)`,
        [ordersDue],
      );
      rows.forEach((row, i) => {
        const orderId = factory.build(
          Number(row.n),
          now.getTime() - prng.int(10_000, 60_000),
          members[i % members.length]!,
        );
        const order = data.orders[data.orders.length - 1]!;
        if (order[3] === 'WAIT_SELLER_SEND_GOODS')
          outbox.push(
            event('order.paid', orderId, order[1] as string, order[22] as number, now, { status: order[3] }),
          );
      });
      await withTransaction(this.pool, async (client) => {
        await insertDataset(client, data);
        await client.query(
          `UPDATE members m SET points_balance = points_balance + d.delta
             FROM (SELECT member_id, sum(delta) AS delta FROM unnest($1::text[], $2::int8[]) AS t(member_id, delta) GROUP BY member_id) d
            WHERE m.id = d.member_id`,
          [data.points_ledger.map((r) => r[0]), data.points_ledger.map((r) => r[1])],
        );
        await insertOutbox(client, outbox);
      });
      status.ordersCreated += data.orders.length;
      events += outbox.length;
    }
    if (events < eventsDue) events += await this.shipWaiting(prng, Math.ceil((eventsDue - events) / 2), now);
    if (events < eventsDue) events += await this.advanceParcels(Math.min(200, eventsDue - events), now);
    if (events < eventsDue) events += await this.repushHints(eventsDue - events, now);
    status.eventsEmitted += events;
  }

  private async sampleMembers(count: number): Promise<MemberSeed[]> {
    const { rows } = await this.pool.query<{
      id: string;
      name: string;
      phone: string;
      tier: string;
      city: string;
      district: string;
      street: string;
    }>(`SELECT id, name, phone, tier, city, district, street FROM members ORDER BY random() LIMIT $1`, [
      Math.min(count, 200),
    ]);
    if (rows.length === 0) throw new ShopApiError('UNPROCESSABLE', 'seed the shop before a surge');
    return rows.map((m) => {
      const place = PLACES.find((p) => p[1] === m.city) ?? PLACES[0]!;
      const tier =
        { 普通: 'regular', 银卡: 'silver', 金卡: 'gold', 黑钻: 'black_diamond' }[m.tier] ?? 'regular';
      return {
        id: m.id,
        nick: '',
        name: m.name,
        phone: m.phone,
        email: null,
        rawTier: m.tier,
        tier,
        place,
        district: m.district,
        street: m.street,
        joinedAt: 0,
      };
    });
  }

  /** Ships paid orders waiting in the warehouse: order.shipped plus the first shipment.updated (揽收). */
  private async shipWaiting(prng: Prng, limit: number, now: Date): Promise<number> {
    return withTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{
        id: string;
        orderNumber: string;
        warehouseCode: string;
        city: string;
        version: number;
      }>(
        `SELECT o.id, o.order_number AS "orderNumber", o.warehouse_code AS "warehouseCode", w.city, o.version
           FROM orders o JOIN warehouses w ON w.code = o.warehouse_code
          WHERE o.status = 'WAIT_SELLER_SEND_GOODS' ORDER BY o.paid_at LIMIT $1 FOR UPDATE OF o SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const shipments: unknown[][] = [];
      const tracking: unknown[][] = [];
      const outbox: unknown[][] = [];
      for (const o of rows) {
        const carrier = prng.weighted(CARRIERS.map((c) => [c, c.weight] as const));
        const shipmentId = `SH${o.id.slice(1)}`;
        const number = trackingNumber(prng, carrier);
        shipments.push([
          shipmentId,
          o.id,
          carrier.code,
          number,
          o.warehouseCode,
          'IN_TRANSIT',
          iso(now.getTime()),
          null,
          iso(now.getTime()),
        ]);
        tracking.push([
          shipmentId,
          1,
          iso(now.getTime()),
          '揽收',
          o.city,
          `【${o.city}】${carrier.name} 已揽收`,
        ]);
        outbox.push(
          event('order.shipped', o.id, o.orderNumber, o.version + 1, now, {
            shipmentId,
            carrierCode: carrier.code,
            trackingNumber: number,
          }),
        );
        outbox.push(
          event('shipment.updated', o.id, o.orderNumber, o.version + 1, now, { shipmentId, status: '揽收' }),
        );
      }
      await insertRows(client, 'shipments', shipments);
      await insertRows(client, 'tracking_events', tracking);
      await client.query(
        `UPDATE orders SET status = 'WAIT_BUYER_CONFIRM_GOODS', updated_at = $2, version = version + 1 WHERE id = ANY($1::text[])`,
        [rows.map((r) => r.id), now],
      );
      await insertOutbox(client, outbox);
      return outbox.length;
    });
  }

  /** Real progress on parcels in transit, oldest scan first: these events carry actual changes. */
  private async advanceParcels(limit: number, now: Date): Promise<number> {
    return withTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `SELECT id FROM shipments WHERE status IN ('WAIT_PICKUP', 'IN_TRANSIT', 'DELIVERING', 'DELAYED')
          ORDER BY updated_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      let advanced = 0;
      for (const row of rows) if (await advanceShipment(client, row.id, now)) advanced++;
      return advanced;
    });
  }

  /** Platforms re-push parcels' status as hints; consumers must treat these as "go and look", not as changes. */
  private async repushHints(count: number, now: Date): Promise<number> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO outbox (event_id, type, order_id, payload)
       SELECT x.event_id, 'shipment.updated', x.order_id,
              jsonb_build_object('id', x.event_id, 'type', 'shipment.updated', 'occurredAt', $2::text,
                                 'orderId', x.order_id, 'orderNumber', x.order_number, 'orderVersion', x.version,
                                 'data', jsonb_build_object('shipmentId', x.shipment_id, 'status', x.status))
         FROM (SELECT 'evt_' || gen_random_uuid() AS event_id, o.id AS order_id, o.order_number, o.version,
                      s.id AS shipment_id, s.status
                 FROM (SELECT id, order_id, status FROM shipments
                        OFFSET floor(random() * greatest(0, (SELECT count(*) FROM shipments) - $1)) LIMIT $1) s
                 JOIN orders o ON o.id = s.order_id) x`,
      [count, now.toISOString()],
    );
    return rowCount ?? 0;
  }
}

function event(
  type: string,
  orderId: string,
  orderNumber: string,
  orderVersion: number,
  now: Date,
  data: Record<string, unknown>,
): unknown[] {
  const id = `evt_${randomUUID()}`;
  return [
    id,
    type,
    orderId,
    JSON.stringify({ id, type, occurredAt: now.toISOString(), orderId, orderNumber, orderVersion, data }),
  ];
}

async function insertOutbox(client: pg.PoolClient, rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO outbox (event_id, type, order_id, payload) SELECT e, t, o, p::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(e, t, o, p)`,
    [0, 1, 2, 3].map((c) => rows.map((r) => r[c])),
  );
}
