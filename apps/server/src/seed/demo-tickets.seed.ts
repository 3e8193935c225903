import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { TicketPriority, TicketStatus } from '../db/tables.ts';
import type { Actor } from '../modules/access/permissions.ts';
import { MessageService } from '../modules/tickets/message.service.ts';
import type { NewTicketInput } from '../modules/tickets/new-ticket.ts';
import type { TicketRecord } from '../modules/tickets/ticket.repository.ts';
import { TicketService } from '../modules/tickets/ticket.service.ts';

/**
 * ~300 demo tickets of a Double 11 morning, written through the ticket services (so numbers, history and
 * search vectors are real): Chinese and some English customer messages about shipping, logistics, price
 * protection, refunds, returns, coupons, invoices, address changes and quality; spread over the teams, some
 * assigned to the seeded agents, in every status, with a few replies and internal notes. Deterministic.
 */

type Category =
  | 'shipping_eta'
  | 'logistics'
  | 'price_protection'
  | 'refund'
  | 'return_exchange'
  | 'coupon_points'
  | 'invoice'
  | 'order_change'
  | 'quality';

const MESSAGES: Record<Category, string[]> = {
  shipping_eta: [
    '我 11 号零点下的单，订单号 {order}，到现在还没发货，请问什么时候能发？',
    '你好，{order} 这个订单显示待发货两天了，能不能催一下仓库尽快发货？',
    '预售的羽绒服说 48 小时内发货，已经超时了，订单 {order}。',
    'Hi, my order {order} still has not shipped. When will it be dispatched?',
  ],
  logistics: [
    '快递三天没更新物流了，订单 {order}，是不是丢件了？',
    '物流显示已签收，但我没有收到包裹！订单号 {order}，电话 {phone}。',
    '中转站停滞好几天了，{order} 麻烦帮忙查一下物流。',
    'Tracking for {order} has not moved since Monday, can you check with the courier?',
  ],
  price_protection: [
    '我买完第二天就降价了 80 元，申请价格保护，订单 {order}。',
    '双11当天下单的扫地机器人现在便宜了，能价保吗？订单号 {order}',
    '价保怎么申请？{order} 这单差了 120 块。',
  ],
  refund: [
    '退货已经寄回 5 天了，退款还没到账，订单 {order}。',
    '申请仅退款，商品缺件，订单 {order}，请尽快处理退款。',
    'I returned the item last week but have not received my refund yet ({order}).',
  ],
  return_exchange: [
    '衣服尺码偏小，想换大一码，订单 {order}，可以上门取件吗？',
    '七天无理由退货怎么操作？订单号 {order}',
    '鞋子颜色和图片不一样，要求退换货，订单 {order}。',
  ],
  coupon_points: [
    '满 300 减 50 的优惠券结算时用不了，是怎么回事？',
    '下单时优惠券没生效，多付了 30 元，订单 {order}，能补偿吗？',
    'The Double 11 coupon did not apply at checkout for order {order}.',
  ],
  invoice: [
    '请帮我开增值税专用发票，订单 {order}，抬头是公司名称。',
    '发票抬头写错了，能重新开发票吗？订单 {order}',
  ],
  order_change: [
    '地址填错了，还没发货的话麻烦帮我改地址，订单 {order}，新电话 {phone}。',
    '想修改收货地址到公司，订单号 {order}，谢谢！',
    'Can I change the shipping address of {order}? I moved last week.',
  ],
  quality: [
    '收到的保温杯有裂痕，质量有问题，订单 {order}，附图已上传。',
    '充电宝用了一次就充不进电了，质量太差，订单 {order}。',
    '面膜打开有异味，怀疑质量问题，要求退款，订单 {order}。',
  ],
};

const REPLIES: Record<Category, string> = {
  shipping_eta: '您好，已为您催促仓库，预计 24 小时内发货，发货后会短信通知您。',
  logistics: '您好，已联系快递公司核实物流，有结果第一时间告诉您，请您耐心等待。',
  price_protection: '您好，已核实符合价保规则，差价将在 1–3 个工作日内退回原支付账户。',
  refund: '您好，退款已加急处理，预计 1–2 个工作日到账。',
  return_exchange: '您好，已为您登记换货，快递员将于明天上门取件。',
  coupon_points: '您好，已为您补发一张同等面额的优惠券，请在“我的优惠券”中查看。',
  invoice: '您好，发票已重新开具，电子发票将发送到您的邮箱。',
  order_change: '您好，订单尚未出库，收货地址已为您修改。',
  quality: '您好，非常抱歉给您带来不便，已为您安排退款并补发新品。',
};

const NOTES = [
  '已联系仓库，说今晚批次统一发。',
  '这个客户是第二次来问，优先处理。',
  '快递网点爆仓，已经在跟物流专线同步。',
  '价保差价已在后台提交，等财务审核。',
];

const TEAM_OF: Record<Category, string> = {
  shipping_eta: '物流专线 Logistics',
  logistics: '物流专线 Logistics',
  price_protection: '售前咨询 Pre-sales',
  coupon_points: '售前咨询 Pre-sales',
  refund: '售后服务 After-sales',
  return_exchange: '售后服务 After-sales',
  quality: '售后服务 After-sales',
  invoice: '售后服务 After-sales',
  order_change: '售后服务 After-sales',
};

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙'];
const GIVEN = ['芳', '伟', '娜', '敏', '静', '磊', '洋', '艳', '勇', '杰', '婷', '强'];
const CHANNELS = ['web', 'im', 'im', 'platform', 'email', 'phone'] as const;

/** A small deterministic PRNG (mulberry32), so the demo is the same on every machine. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A connection that does not wait for each commit's WAL flush: demo data only, lost at worst on a crash. */
function withoutSyncCommit<T>(db: Db, work: (conn: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`SET synchronous_commit = off`.execute(conn);
    try {
      return await work(conn);
    } finally {
      await sql`RESET synchronous_commit`.execute(conn);
    }
  });
}

/** Concurrent connections for the per-ticket work (routing, notes, replies, status changes). */
const WORKERS = 4;

export async function seedDemoTickets(
  db: Db,
  tenantId: string,
  adminUserId: string,
  count = 300,
): Promise<number> {
  const rand = random(20261111);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const weighted = <T>(pairs: Array<[T, number]>): T => {
    let r = rand() * pairs.reduce((sum, [, w]) => sum + w, 0);
    for (const [value, weight] of pairs) if ((r -= weight) < 0) return value;
    return pairs[0]![0];
  };

  const teams = new Map(
    (await db.selectFrom('teams').select(['id', 'name']).where('tenantId', '=', tenantId).execute()).map(
      (t) => [t.name, t.id],
    ),
  );
  const members = await db
    .selectFrom('teamMembers')
    .innerJoin('users', (j) =>
      j.onRef('users.tenantId', '=', 'teamMembers.tenantId').onRef('users.id', '=', 'teamMembers.userId'),
    )
    .select(['teamMembers.teamId', 'users.id'])
    .where('teamMembers.tenantId', '=', tenantId)
    .where('users.role', 'in', ['agent', 'outsourced_agent', 'supervisor'])
    .execute();
  const vipTeam = teams.get('VIP 专席')!;

  const admin: Actor = {
    tenantId,
    kind: 'user',
    id: adminUserId,
    userId: adminUserId,
    role: 'admin',
    department: null,
    teamIds: [],
  };

  // The morning of a sale: tickets every ~2 minutes over the last ten hours, oldest first, the newest an
  // hour ago so that replies and status changes (up to 38 minutes later) are not in the future.
  const start = Date.now() - count * 2 * 60_000 - 60 * 60_000;
  const plans = Array.from({ length: count }, (_, i) => {
    const category = pick(Object.keys(MESSAGES) as Category[]);
    const order = `E20261111${String(100 + i * 7).padStart(5, '0')}`;
    const phone = `1${pick(['38', '39', '58', '86'])}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`;
    const body = pick(MESSAGES[category]).replace('{order}', order).replace('{phone}', phone);
    const english = /^[A-Z]/.test(body);
    const vip = rand() < 0.08;
    const input: NewTicketInput = {
      body,
      channel: pick(CHANNELS),
      customer: english
        ? { name: pick(['Emily Wang', 'Jason Li', 'Sophia Zhang']), email: `buyer${i % 180}@example.com` }
        : {
            name: `${pick(SURNAMES)}${pick(GIVEN)}`,
            phone: `139${String(10_000_000 + (i % 200) * 37).padStart(8, '0')}`,
          },
      orderNumber: body.includes(order) ? order : null,
      priority: weighted<TicketPriority>([
        ['urgent', 1],
        ['high', 2],
        ['normal', 6],
        ['low', 1],
      ]),
      tags: [...(vip ? ['vip'] : []), ...(rand() < 0.5 ? ['双11'] : [])],
    };
    const status = weighted<TicketStatus>([
      ['new', 35],
      ['open', 25],
      ['pending', 15],
      ['on_hold', 5],
      ['solved', 15],
      ['closed', 5],
    ]);
    const teamId = vip ? vipTeam : teams.get(TEAM_OF[category])!;
    const staff = members.filter((m) => m.teamId === teamId).map((m) => m.id);
    const working = status !== 'new';
    input.teamId = teamId;
    return {
      input,
      category,
      vip,
      status,
      at: new Date(start + i * 2 * 60_000 + Math.floor(rand() * 60_000)),
      assigneeId: working && staff.length ? pick(staff) : null,
      note: working && rand() < 0.25 ? pick(NOTES) : null,
      reply: working && status !== 'on_hold' && rand() < 0.7,
    };
  });

  // Every random choice is made above, so the concurrent work below gives the same data every time.
  const created: TicketRecord[] = [];
  await withoutSyncCommit(db, async (conn) => {
    const tickets = new TicketService(conn);
    for (let i = 0; i < plans.length; i += 10) {
      const batch = plans.slice(i, i + 10);
      const results = await conn.transaction().execute((tx) =>
        tickets.createManyIn(
          tx,
          admin,
          batch.map((p) => p.input),
          batch[0]!.at,
        ),
      );
      for (const result of results) {
        if (!result.ok) throw result.error;
        created.push(result.ticket);
      }
    }
  });

  const vipCustomers = [...new Set(created.filter((_, i) => plans[i]!.vip).map((t) => t.requesterId))];
  if (vipCustomers.length) {
    await db
      .updateTable('customers')
      .set({ tier: 3 })
      .where('tenantId', '=', tenantId)
      .where('id', 'in', vipCustomers)
      .execute();
  }

  const work = async (conn: Db, slice: number) => {
    let clock = new Date();
    const now = () => clock;
    const tickets = new TicketService(conn, now);
    const messages = new MessageService(conn, now);
    for (let i = slice; i < plans.length; i += WORKERS) {
      const plan = plans[i]!;
      let ticket = created[i]!;
      clock = new Date(plan.at.getTime() + 3 * 60_000);
      const laterStatus = plan.note !== null || plan.reply;
      // Routing (category, assignee) is one change; without messages the status goes with it.
      ticket = await tickets.update(admin, ticket.id, ticket.version, {
        category: plan.category,
        ...(plan.assigneeId ? { assigneeId: plan.assigneeId } : {}),
        ...(laterStatus ? {} : { status: plan.status }),
      });
      const agent: Actor = {
        ...admin,
        id: plan.assigneeId ?? adminUserId,
        userId: plan.assigneeId ?? adminUserId,
        role: 'agent',
      };
      if (plan.note !== null) {
        clock = new Date(clock.getTime() + 5 * 60_000);
        await messages.add(agent, ticket.id, { body: plan.note, visibility: 'internal' });
      }
      if (plan.reply) {
        clock = new Date(clock.getTime() + 10 * 60_000);
        // A note leaves status and version alone; a reply may open the ticket.
        ticket = (
          await messages.add(agent, ticket.id, { body: REPLIES[plan.category], visibility: 'public' })
        ).ticket;
      }
      if (laterStatus && ticket.status !== plan.status) {
        clock = new Date(clock.getTime() + 20 * 60_000);
        await tickets.update(agent, ticket.id, ticket.version, { status: plan.status });
      }
    }
  };
  await Promise.all(
    Array.from({ length: WORKERS }, (_, slice) => withoutSyncCommit(db, (conn) => work(conn, slice))),
  );
  return created.length;
}
