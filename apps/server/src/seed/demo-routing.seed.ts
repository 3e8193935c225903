import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';
import { uuidv7 } from '../lib/ids.ts';

/** Team names of the demo tenant the rules route to (see demo.seed.ts). */
export interface DemoTeams {
  preSales: string;
  afterSales: string;
  logistics: string;
  vip: string;
}

const MINUTES = { hour: 60, day: 24 * 60 };

/**
 * The demo tenant's service levels and routing, as a merchant would set them up before Double 11: a 24/7
 * sale calendar beside the usual 9:00–21:00 one, a default policy with tighter targets for VIP members, and
 * rules that send VIPs, after-sales, logistics and pre-sales questions to their teams and flag complaints.
 */
export async function seedDemoRouting(
  tx: Kysely<Database>,
  tenantId: string,
  teams: DemoTeams,
): Promise<void> {
  const now = new Date();
  const weekday = { start: '09:00', end: '21:00' };
  const workdays = Object.fromEntries(['0', '1', '2', '3', '4', '5', '6'].map((d) => [d, [weekday]]));
  const officeCalendar = uuidv7();
  const saleCalendar = uuidv7();
  await tx
    .insertInto('businessCalendars')
    .values([
      {
        tenantId,
        id: officeCalendar,
        name: '日常 9:00–21:00',
        timeZone: 'Asia/Shanghai',
        hours: JSON.stringify(workdays),
        holidays: ['2027-01-01', '2027-02-16', '2027-02-17', '2027-02-18'],
        createdAt: now,
        updatedAt: now,
      },
      {
        tenantId,
        id: saleCalendar,
        name: '大促 7×24',
        timeZone: 'Asia/Shanghai',
        hours: JSON.stringify('always'),
        holidays: [],
        createdAt: now,
        updatedAt: now,
      },
    ])
    .execute();
  const target = (
    priority: 'low' | 'normal' | 'high' | 'urgent',
    minTier: number,
    first: number,
    next: number,
    resolution: number,
  ) => ({
    priority,
    minTier,
    firstResponseMinutes: first,
    nextResponseMinutes: next,
    resolutionMinutes: resolution,
  });
  await tx
    .insertInto('slaPolicies')
    .values({
      tenantId,
      id: uuidv7(),
      name: '双11 大促服务标准',
      calendarId: saleCalendar,
      warningRatio: 0.8,
      isDefault: true,
      targets: JSON.stringify([
        target('low', 0, 8 * MINUTES.hour, 8 * MINUTES.hour, 3 * MINUTES.day),
        target('normal', 0, 4 * MINUTES.hour, 4 * MINUTES.hour, 2 * MINUTES.day),
        target('normal', 3, 1 * MINUTES.hour, 2 * MINUTES.hour, 1 * MINUTES.day),
        target('high', 0, 1 * MINUTES.hour, 2 * MINUTES.hour, 1 * MINUTES.day),
        target('high', 3, 30, 60, 12 * MINUTES.hour),
        target('urgent', 0, 15, 30, 8 * MINUTES.hour),
      ]),
      // Flag breaches for the supervisor view rather than pushing every late ticket to urgent at a peak.
      escalation: JSON.stringify({ raisePriority: false, tags: ['sla-breached'] }),
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  const rule = (
    position: number,
    name: string,
    conditions: Record<string, unknown>,
    actions: Record<string, unknown>,
    stopProcessing = false,
  ) => ({
    tenantId,
    id: uuidv7(),
    name,
    position,
    stopProcessing,
    conditions: JSON.stringify(conditions),
    actions: JSON.stringify(actions),
    createdAt: now,
    updatedAt: now,
  });
  await tx
    .insertInto('routingRules')
    .values([
      rule(
        10,
        '投诉升级 Complaints',
        { any: [{ field: 'text', op: 'matches', value: '投诉|12315|曝光|差评|complain' }] },
        { priority: 'urgent', addTags: ['complaint'] },
      ),
      rule(
        20,
        'VIP 会员专席',
        { all: [{ field: 'customerTier', op: 'gte', value: 3 }] },
        { teamId: teams.vip, priority: 'high', addTags: ['vip'] },
        true,
      ),
      rule(
        30,
        '售后: 退款/退换/质量',
        { all: [{ field: 'category', op: 'in', value: ['refund', 'return_exchange', 'quality'] }] },
        { teamId: teams.afterSales },
      ),
      rule(
        40,
        '物流: 发货/物流',
        { all: [{ field: 'category', op: 'in', value: ['shipping_eta', 'logistics'] }] },
        { teamId: teams.logistics },
      ),
      rule(
        50,
        '售前: 价保/优惠/库存/发票/改单',
        {
          all: [
            {
              field: 'category',
              op: 'in',
              value: ['price_protection', 'coupon_points', 'stock', 'invoice', 'order_change', 'other'],
            },
          ],
        },
        { teamId: teams.preSales },
      ),
    ])
    .execute();
}
