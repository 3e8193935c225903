import {
  AFTERSALE_REASONS,
  CARRIERS,
  CATEGORY_SHARE,
  COUPON_TEMPLATES,
  PRODUCTS,
  WAREHOUSES,
} from './catalog.ts';
import { emptyDataset, type Dataset } from './dataset.ts';
import { buildRoute, trackingNumber } from './logistics.ts';
import { buildMember, type MemberSeed } from './members.ts';
import { buildPriceHistory, priceAt, type PricePointRow } from './prices.ts';
import { Prng } from './prng.ts';
import { cst, cstDateKey, DAY, DOUBLE11, HOUR, MINUTE } from './time.ts';

/** The seed's "now": data describes the shop as it stood at midnight 2026-11-25, China time. */
export const SEED_NOW = cst(2026, 11, 25);
const FIRST_DAY = cst(2026, 10, 14);

export interface SkuSeed {
  id: string;
  productId: string;
  title: string;
  variant: string;
  category: string;
  listFen: number;
  prices: PricePointRow[];
}

export interface Catalog {
  skus: SkuSeed[];
  byCategory: Map<string, SkuSeed[]>;
}

export function buildCatalog(prng: Prng, data: Dataset | undefined): Catalog {
  const skus: SkuSeed[] = [];
  PRODUCTS.forEach((product, p) => {
    const productId = `P${String(1001 + p)}`;
    data?.products.push([productId, product.title, product.category, product.brand]);
    product.variants.forEach((variant, v) => {
      // Bigger variants cost a little more, as on real listings.
      const listFen = product.priceFen + v * Math.round(product.priceFen * 0.1);
      const sku: SkuSeed = {
        id: `${productId}-${v + 1}`,
        productId,
        title: product.title,
        variant,
        category: product.category,
        listFen,
        prices: buildPriceHistory(prng, listFen),
      };
      skus.push(sku);
      data?.skus.push([sku.id, productId, variant, listFen]);
      for (const point of sku.prices) {
        data?.price_points.push([
          sku.id,
          point.kind,
          point.priceFen,
          iso(point.startsAt),
          iso(point.endsAt),
          point.campaign ?? null,
          point.tiers?.join(',') ?? null,
        ]);
      }
    });
  });
  const byCategory = new Map<string, SkuSeed[]>();
  for (const sku of skus) byCategory.set(sku.category, [...(byCategory.get(sku.category) ?? []), sku]);
  return { skus, byCategory };
}

export function iso(ms: number | undefined | null): string | null {
  return ms === undefined || ms === null ? null : new Date(ms).toISOString();
}

function dayWeight(dayStart: number): number {
  if (dayStart === cst(2026, 11, 11)) return 14;
  if (dayStart >= DOUBLE11.startsAt && dayStart < DOUBLE11.endsAt) return 2.5;
  if (dayStart < cst(2026, 11, 14) && dayStart >= DOUBLE11.endsAt) return 1.8;
  return 1;
}

/** Order times over six weeks, heavy on Double 11 and on its first two hours. */
export function sampleOrderTimes(prng: Prng, count: number, until: number): number[] {
  const days: (readonly [number, number])[] = [];
  for (let day = FIRST_DAY; day + DAY <= until; day += DAY) days.push([day, dayWeight(day)] as const);
  const hours = Array.from(
    { length: 24 },
    (_, h) => [h, h < 7 ? 0.3 : h < 12 ? 1 : h < 19 ? 1.2 : 2] as const,
  );
  const peakHours = hours.map(([h, w]) => [h, h < 2 ? 12 : w] as const);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const day = prng.weighted(days);
    const hour = prng.weighted(day === cst(2026, 11, 11) ? peakHours : hours);
    times.push(day + hour * HOUR + prng.int(0, 3599) * 1000);
  }
  return times.sort((a, b) => a - b);
}

export interface GenerateOptions {
  seed: number;
  orders: number;
  /** Nothing in the data happens after this instant. */
  now?: number;
}

/** The whole shop, deterministically from `seed`: same seed and options, same rows. */
export function generateShop(options: GenerateOptions): Dataset {
  const now = options.now ?? SEED_NOW;
  const prng = new Prng(options.seed);
  const data = emptyDataset();
  for (const w of WAREHOUSES) data.warehouses.push([w.code, w.name, w.city, w.province]);
  for (const t of COUPON_TEMPLATES)
    data.coupon_templates.push([t.id, t.name, t.valueFen, t.minSpendFen, t.validDays]);
  const catalog = buildCatalog(prng, data);
  const members = Array.from({ length: Math.max(20, Math.ceil(options.orders / 4)) }, (_, i) =>
    buildMember(prng, i + 1, FIRST_DAY),
  );
  const points = new Map<string, number>();
  const earn = (memberId: string, delta: number, reason: string, orderId: string | null, at: number) => {
    points.set(memberId, (points.get(memberId) ?? 0) + delta);
    data.points_ledger.push([memberId, delta, reason, orderId, iso(at)]);
  };
  for (const m of members) earn(m.id, 100, '注册礼', null, m.joinedAt);
  const factory = new OrderFactory(prng, catalog, data, now, earn);
  sampleOrderTimes(prng, options.orders, now).forEach((at, i) =>
    factory.build(i + 1, at, prng.pick(members)),
  );
  for (const m of members) {
    data.members.push([
      m.id,
      m.nick,
      m.name,
      m.phone,
      m.email,
      m.rawTier,
      points.get(m.id) ?? 0,
      m.place[0],
      m.place[1],
      m.district,
      m.street,
      iso(m.joinedAt),
    ]);
    // Unused Double 11 coupons, handed out before the campaign.
    if (prng.chance(0.3)) {
      const expires = DOUBLE11.endsAt;
      data.coupons.push([
        `CP${prng.digits(10)}`,
        'CT-D11-200-20',
        m.id,
        2000,
        20000,
        expires <= now ? 'EXPIRED' : 'UNUSED',
        iso(DOUBLE11.startsAt - DAY),
        iso(expires),
        null,
      ]);
    }
  }
  return data;
}

type Earn = (memberId: string, delta: number, reason: string, orderId: string | null, at: number) => void;

/** Builds one order with everything that happened to it up to `now`. Also used by the surge generator. */
export class OrderFactory {
  constructor(
    private readonly prng: Prng,
    private readonly catalog: Catalog,
    private readonly data: Dataset,
    private readonly now: number,
    private readonly earn: Earn,
  ) {}

  build(seq: number, createdAt: number, member: MemberSeed): string {
    const { prng, data } = this;
    const orderId = `O${String(1_000_000 + seq)}`;
    const inCampaign = createdAt >= DOUBLE11.startsAt && createdAt < DOUBLE11.endsAt;
    const lineCount = prng.weighted([
      [1, 70],
      [2, 22],
      [3, 8],
    ] as const);
    const lines = Array.from({ length: lineCount }, () => {
      const category = prng.weighted(CATEGORY_SHARE);
      const sku = prng.pick(this.catalog.byCategory.get(category)!);
      const quantity = prng.weighted([
        [1, 85],
        [2, 12],
        [3, 3],
      ] as const);
      const unit = priceAt(sku.prices, createdAt, member.tier, prng.chance(0.5));
      return { sku, quantity, unit };
    });
    const subtotal = lines.reduce((s, l) => s + l.sku.listFen * l.quantity, 0);
    const afterPromo = lines.reduce((s, l) => s + l.unit * l.quantity, 0);
    const template = prng.chance(inCampaign ? 0.35 : 0.1)
      ? COUPON_TEMPLATES.filter((t) => t.valueFen > 0 && t.minSpendFen <= afterPromo).sort(
          (a, b) => b.valueFen - a.valueFen,
        )[0]
      : undefined;
    const couponFen = template?.valueFen ?? 0;
    const couponCode = template ? `CP${prng.digits(10)}` : null;
    let couponLeft = couponFen;
    const lineRows = lines.map((l, i) => {
      const gross = l.unit * l.quantity;
      const share = i === lines.length - 1 ? couponLeft : Math.floor((couponFen * gross) / afterPromo);
      couponLeft -= share;
      const total = gross - share;
      return {
        ...l,
        id: `${orderId}-${i + 1}`,
        total,
        paidUnit: Math.round(total / l.quantity),
        discount: l.sku.listFen * l.quantity - total,
        refundedQuantity: 0,
      };
    });
    const goods = afterPromo - couponFen;
    const shipping = goods >= 9900 ? 0 : 800;
    const total = goods + shipping;
    const discount = subtotal - goods;
    let updatedAt = createdAt;
    let version = 1;
    const touch = (at: number) => {
      updatedAt = Math.max(updatedAt, at);
      version++;
    };

    const cancelled = prng.chance(0.03);
    const unpaid = !cancelled && createdAt > this.now - 30 * MINUTE && prng.chance(0.5);
    const paidAt = cancelled || unpaid ? undefined : createdAt + prng.int(10, 900) * 1000;
    let status = cancelled ? 'TRADE_CLOSED' : unpaid ? 'WAIT_BUYER_PAY' : 'WAIT_SELLER_SEND_GOODS';
    if (cancelled) touch(createdAt + prng.int(5, 30) * MINUTE);
    let refunded = 0;
    const warehouse = prng.chance(0.8) ? member.place[4] : prng.pick(WAREHOUSES).code;

    if (couponCode && template) {
      data.coupons.push([
        couponCode,
        template.id,
        member.id,
        template.valueFen,
        template.minSpendFen,
        paidAt ? 'USED' : 'UNUSED',
        iso(createdAt - prng.int(1, 5) * DAY),
        iso(createdAt + template.validDays * DAY),
        paidAt ? orderId : null,
      ]);
    }
    const paymentId = `PAY${orderId.slice(1)}`;
    if (paidAt !== undefined) {
      touch(paidAt);
      this.earn(member.id, Math.floor(total / 100), '购物返积分', orderId, paidAt);
      const shipAt =
        paidAt +
        prng.int(4, 40) * HOUR +
        (inCampaign && createdAt >= cst(2026, 11, 10) ? prng.int(24, 72) * HOUR : 0);
      if (shipAt <= this.now) {
        const carrier = prng.weighted(CARRIERS.map((c) => [c, c.weight] as const));
        const route = buildRoute(prng, carrier, warehouse, member.place, shipAt, this.now, inCampaign);
        const shipmentId = `SH${orderId.slice(1)}`;
        const last = route.events[route.events.length - 1]?.at ?? shipAt;
        touch(last);
        data.shipments.push([
          shipmentId,
          orderId,
          carrier.code,
          trackingNumber(prng, carrier),
          warehouse,
          route.status,
          iso(shipAt),
          iso(route.deliveredAt),
          iso(last),
        ]);
        for (const e of route.events)
          data.tracking_events.push([shipmentId, e.seq, iso(e.at), e.code, e.location, e.description]);
        status = 'WAIT_BUYER_CONFIRM_GOODS';
        if (route.deliveredAt !== undefined) {
          status = route.deliveredAt + 7 * DAY <= this.now ? 'TRADE_FINISHED' : 'BUYER_SIGNED';
          if (status === 'TRADE_FINISHED') touch(route.deliveredAt + 7 * DAY);
          refunded = this.afterSale(orderId, paymentId, lineRows, route.deliveredAt, touch);
        } else if (route.status === 'RETURNED') {
          status = 'TRADE_CLOSED';
          refunded = total;
          data.refunds.push([
            `RF${orderId.slice(1)}R`,
            orderId,
            paymentId,
            null,
            null,
            total,
            '快件退回，全额退款',
            'SUCCESS',
            iso(last),
            iso(last + HOUR),
          ]);
          touch(last + HOUR);
        }
      }
      const paymentStatus = refunded === 0 ? 'PAID' : refunded >= total ? 'REFUNDED' : 'PARTIAL_REFUNDED';
      const method = prng.weighted([
        ['alipay', 55],
        ['wechat', 40],
        ['unionpay', 5],
      ] as const);
      const txn =
        method === 'alipay'
          ? `2026${prng.digits(24)}`
          : method === 'wechat'
            ? `42000${prng.digits(23)}`
            : `UP${prng.digits(20)}`;
      data.payments.push([paymentId, orderId, method, total, paymentStatus, txn, iso(paidAt)]);
    }
    data.orders.push([
      orderId,
      `DS${cstDateKey(createdAt)}${String(seq).padStart(7, '0')}`,
      member.id,
      status,
      inCampaign ? DOUBLE11.name : null,
      warehouse,
      subtotal,
      discount,
      shipping,
      total,
      paidAt ? total : 0,
      refunded,
      couponCode,
      member.name,
      member.phone,
      member.place[0],
      member.place[1],
      member.district,
      member.street,
      iso(createdAt),
      iso(paidAt),
      iso(updatedAt),
      version,
    ]);
    for (const [i, l] of lineRows.entries()) {
      data.order_lines.push([
        l.id,
        orderId,
        i + 1,
        l.sku.id,
        l.sku.title,
        l.sku.variant,
        l.quantity,
        l.sku.listFen,
        l.paidUnit,
        l.discount,
        l.total,
        l.refundedQuantity,
      ]);
    }
    return orderId;
  }

  /** Maybe a return, exchange or refund-only request after delivery; returns the amount refunded. */
  private afterSale(
    orderId: string,
    paymentId: string,
    lines: { id: string; quantity: number; paidUnit: number; total: number; refundedQuantity?: number }[],
    deliveredAt: number,
    touch: (at: number) => void,
  ): number {
    const { prng, data } = this;
    if (!prng.chance(0.07)) return 0;
    const kind = prng.weighted([
      ['return', 70],
      ['exchange', 15],
      ['refund_only', 15],
    ] as const);
    const createdAt = deliveredAt + prng.int(2, 120) * HOUR;
    if (createdAt > this.now) return 0;
    const line = prng.pick(lines);
    const quantity = prng.int(1, line.quantity);
    const amount =
      kind === 'refund_only'
        ? Math.max(100, Math.round((line.total * prng.int(5, 30)) / 100))
        : Math.min(line.total, line.paidUnit * quantity);
    const path = prng.chance(0.06)
      ? ['WAIT_SELLER_AGREE', 'SELLER_REFUSE']
      : kind === 'return'
        ? [
            'WAIT_SELLER_AGREE',
            'WAIT_BUYER_RETURN_GOODS',
            'WAIT_SELLER_CONFIRM_GOODS',
            'SELLER_RECEIVED',
            'SUCCESS',
          ]
        : kind === 'exchange'
          ? [
              'WAIT_SELLER_AGREE',
              'WAIT_BUYER_RETURN_GOODS',
              'WAIT_SELLER_CONFIRM_GOODS',
              'SELLER_RECEIVED',
              'EXCHANGE_SENT',
            ]
          : ['WAIT_SELLER_AGREE', 'SUCCESS'];
    let at = createdAt;
    let reached = 0;
    for (let i = 1; i < path.length; i++) {
      const next = at + prng.int(4, 48) * HOUR;
      if (next > this.now) break;
      at = next;
      reached = i;
    }
    const status = path[reached]!;
    const id = `AS${orderId.slice(1)}`;
    const carrier = reached >= 2 && kind !== 'refund_only' ? prng.pick(CARRIERS) : undefined;
    data.aftersales.push([
      id,
      orderId,
      kind,
      status,
      prng.pick(AFTERSALE_REASONS[kind]),
      JSON.stringify([{ orderLineId: line.id, quantity }]),
      amount,
      carrier?.code ?? null,
      carrier ? trackingNumber(prng, carrier) : null,
      iso(createdAt),
      iso(at),
      reached + 1,
    ]);
    touch(at);
    if (status !== 'SUCCESS') return 0;
    data.refunds.push([
      `RF${orderId.slice(1)}A`,
      orderId,
      paymentId,
      id,
      line.id,
      amount,
      '售后退款',
      'SUCCESS',
      iso(at),
      iso(at),
    ]);
    if (kind === 'return') line.refundedQuantity = quantity;
    return amount;
  }
}
