/**
 * The corpus of `bench:events` and `bench:events-cost`: demo-shop order events as its outbox sends them (JSON
 * body, `X-DemoShop-Timestamp`, `X-DemoShop-Signature: sha256=<hex>` over `<timestamp>.<body>`), pre-signed
 * and seeded, so every run sends the same mix: 95% of new events on 200,000 orders without tickets, 5% on
 * TICKET_ORDERS orders with an open ticket (snapshots held at SNAPSHOT_VERSION), 5% of deliveries repeat an
 * earlier event, 10% of events carry an order version older than the order's latest.
 */
import { createHmac } from 'node:crypto';

export const TICKET_ORDERS = 2000;
export const SNAPSHOT_VERSION = 10;

export interface SignedEvent {
  timestamp: number;
  /** `sha256=<hex>` */
  signature: string;
  body: string;
}

/** mulberry32: a seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` signed deliveries (duplicates included) and what they hold. `idPrefix` keeps runs apart. */
export function eventCorpus(secret: string, count: number, idPrefix = 'evt_bench_') {
  const random = prng(20261111);
  const int = (n: number) => Math.floor(random() * n);
  const timestamp = Math.floor(Date.now() / 1000);
  const lines: SignedEvent[] = [];
  const latest = new Map<string, number>();
  const stats = { lines: count, duplicates: 0, ticketed: 0, outOfOrder: 0 };
  const types = ['order.paid', 'order.shipped', 'shipment.updated'] as const;
  for (let i = 0; i < count; i++) {
    if (i > 100 && random() < 0.05) {
      lines.push(lines[int(lines.length)]!);
      stats.duplicates++;
      continue;
    }
    const ticketed = random() < 0.05;
    const orderNumber = ticketed ? `BENCH-T${int(TICKET_ORDERS)}` : `DS-B${int(200_000)}`;
    const current = latest.get(orderNumber) ?? (ticketed ? SNAPSHOT_VERSION : 1);
    const outOfOrder = current > 2 && random() < 0.1;
    const version = outOfOrder ? current - 2 : current + 1;
    if (!outOfOrder) latest.set(orderNumber, version);
    if (ticketed) stats.ticketed++;
    if (outOfOrder) stats.outOfOrder++;
    const type = types[int(types.length)]!;
    const body = JSON.stringify({
      id: `${idPrefix}${i}`,
      type,
      occurredAt: new Date(timestamp * 1000).toISOString(),
      orderId: `O-${orderNumber}`,
      orderNumber,
      orderVersion: version,
      data:
        type === 'order.paid'
          ? { status: 'WAIT_SELLER_SEND_GOODS' }
          : {
              shipmentId: `SH-${orderNumber}`,
              carrierCode: 'sf',
              trackingNumber: `SF${1_000_000 + i}`,
              status: 'IN_TRANSIT',
            },
    });
    const signature = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
    lines.push({ timestamp, signature: `sha256=${signature}`, body });
  }
  return { lines, stats };
}
