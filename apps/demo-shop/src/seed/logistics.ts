import { WAREHOUSES, type CARRIERS, type PLACES } from './catalog.ts';
import type { Prng } from './prng.ts';
import { HOUR, MINUTE } from './time.ts';

export type Carrier = (typeof CARRIERS)[number];
export type Place = (typeof PLACES)[number];

export interface TrackingRow {
  seq: number;
  at: number;
  code: string;
  location: string;
  description: string;
}

export interface Route {
  events: TrackingRow[];
  /** The shipment's status in the shop's own codes. */
  status: 'WAIT_PICKUP' | 'IN_TRANSIT' | 'DELIVERING' | 'SIGNED' | 'DELAYED' | 'RETURNED' | 'LOST';
  deliveredAt: number | undefined;
}

type Outcome = 'normal' | 'delayed' | 'returned' | 'lost';

/**
 * A carrier's route from the warehouse to the buyer: 揽收 → 发往 → 到达 → 派送中 → 已签收, with the usual
 * exceptions (滞留, 退回, 丢件). Events after `cutoff` have not happened yet and are left out.
 */
export function buildRoute(
  prng: Prng,
  carrier: Carrier,
  warehouseCode: string,
  place: Place,
  shippedAt: number,
  cutoff: number,
  peak: boolean,
): Route {
  const warehouse = WAREHOUSES.find((w) => w.code === warehouseCode)!;
  const [, city, , , , destHub] = place;
  const district = prng.pick(place[2]);
  const originHub = `${warehouse.city.replace('市', '')}转运中心`;
  const outcome: Outcome = prng.weighted<Outcome>([
    ['normal', 96.5],
    ['delayed', 2.5],
    ['returned', 0.6],
    ['lost', 0.4],
  ]);
  const slow = peak ? 2 : 1;
  const courier = `${prng.pick(['王', '李', '张', '刘', '陈'])}师傅`;
  const steps: Omit<TrackingRow, 'seq'>[] = [];
  let at = shippedAt;
  const step = (minHours: number, maxHours: number, code: string, location: string, description: string) => {
    at += prng.int(minHours * 60, maxHours * 60) * MINUTE * slow;
    steps.push({ at, code, location, description });
  };
  step(
    0,
    1,
    '揽收',
    warehouse.city,
    `【${warehouse.city}】${carrier.name} 已揽收，揽收网点：${warehouse.name}`,
  );
  step(2, 6, '发往', warehouse.city, `【${warehouse.city}】快件已从 ${originHub} 发出，下一站 ${destHub}`);
  step(4, 28, '到达', city, `【${city}】快件已到达 ${destHub}`);
  if (outcome === 'lost') {
    step(24, 48, '丢件', city, `【${city}】快件异常：运输途中遗失，已登记理赔，请联系商家`);
  } else {
    if (outcome === 'delayed') {
      const why = prng.pick(['双11件量激增，转运中心爆仓', '天气原因，航班延误', '道路管制，暂停派送']);
      step(2, 6, '滞留', city, `【${city}】快件滞留：${why}，派送将延误`);
      at += prng.int(24, 60) * HOUR;
    }
    step(2, 6, '发往', city, `【${city}】快件已从 ${destHub} 发出，下一站 ${district}营业部`);
    step(2, 8, '到达', city, `【${city}】快件已到达 ${district}营业部`);
    step(
      1,
      4,
      '派送中',
      city,
      `【${city}】${courier}正在派件（电话：1${prng.digits(2)}****${prng.digits(4)}）`,
    );
    if (outcome === 'returned') {
      step(2, 8, '退回', city, `【${city}】收件人拒收，快件退回中`);
      step(24, 60, '退回', warehouse.city, `【${warehouse.city}】退回件已由 ${warehouse.name} 签收`);
    } else {
      const how = prng.pick(['本人签收', '已放入快递柜', '菜鸟驿站代收', '家门口']);
      step(1, 5, '已签收', city, `【${city}】已签收（${how}），感谢使用${carrier.name}`);
    }
  }
  const happened = steps.filter((event) => event.at <= cutoff).map((event, i) => ({ ...event, seq: i + 1 }));
  const last = happened[happened.length - 1];
  return {
    events: happened,
    status: statusAfter(last?.code),
    deliveredAt: last?.code === '已签收' ? last.at : undefined,
  };
}

function statusAfter(code: string | undefined): Route['status'] {
  switch (code) {
    case undefined:
      return 'WAIT_PICKUP';
    case '已签收':
      return 'SIGNED';
    case '派送中':
      return 'DELIVERING';
    case '滞留':
      return 'DELAYED';
    case '退回':
      return 'RETURNED';
    case '丢件':
      return 'LOST';
    default:
      return 'IN_TRANSIT';
  }
}

export function trackingNumber(prng: Prng, carrier: Carrier): string {
  return `${carrier.prefix}${prng.digits(carrier.code === 'sf' ? 12 : 13 - carrier.prefix.length + 2)}`;
}
