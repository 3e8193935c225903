/**
 * Deterministic data for the read benchmark: the same seed gives byte-identical COPY text, so two runs (or
 * two machines) measure the same database. Everything here is pure; load.ts streams it into PostgreSQL.
 */
import { toTsvectorLiteral } from '../src/modules/search/cjk-tokenizer.ts';
import {
  CITIES,
  COURIERS,
  GIVEN,
  PRODUCTS,
  PRODUCTS_EN,
  SURNAMES,
  TOPICS,
  TOPICS_EN,
  type Topic,
} from './corpus.ts';

const DAY = 86_400_000;
/** The generated history ends at 2026-11-25 00:00 China time and spans 60 days, Double 11 included. */
export const HISTORY_END = Date.UTC(2026, 10, 24, 16);
export const HISTORY_DAYS = 60;
export const HISTORY_START = HISTORY_END - HISTORY_DAYS * DAY;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** sfc32: small, fast, and good enough for test data; seeded from one 32-bit number. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** An index drawn by relative weight. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      const v = (this.next() * 0x100000000) >>> 0;
      out += HEX[v >>> 24]! + HEX[(v >>> 16) & 255]! + HEX[(v >>> 8) & 255]! + HEX[v & 255]!;
    }
    return out.slice(0, length);
  }
}

/** A UUIDv7 whose time part is `ms` and whose random part comes from the seeded generator. */
export function seededUuid(rng: Rng, ms: number): string {
  const time = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  const rand = rng.hex(19);
  const variant = (8 + (parseInt(rand[3]!, 16) & 3)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${rand.slice(0, 3)}-${variant}${rand.slice(4, 7)}-${rand.slice(7, 19)}`;
}

export type CopyValue = string | number | boolean | null | undefined;

const COPY_SPECIAL = /[\\\t\n\r]/;

/**
 * One field in COPY's text format: backslash, tab, newline and carriage return are escaped, null is `\N`.
 * (A tsvector literal's own backslashes are doubled here once more, as COPY strips one level.)
 */
export function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return String(value);
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (ch) =>
    ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r',
  );
}

export function copyLine(values: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i ? '\t' : '') + copyField(values[i]);
  return `${line}\n`;
}

/** A PostgreSQL array literal of simple words (tags). */
export function textArray(items: readonly string[]): string {
  return `{${items.map((item) => `"${item.replace(/["\\]/g, (ch) => `\\${ch}`)}"`).join(',')}}`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

// ---------------------------------------------------------------------------------------------------------
// The world: tenants, teams, agents, customers

export interface TenantPlan {
  slug: string;
  name: string;
  tickets: number;
  customers: number;
  teams: number;
  agents: number;
}

/** One large shop and four small ones, so that `tenant_id` is as selective as in a shared deployment. */
export function planTenants(totalTickets: number): TenantPlan[] {
  const small = Math.round(totalTickets * 0.015);
  const large = totalTickets - 4 * small;
  const plans: TenantPlan[] = [
    {
      slug: 'bench-flagship',
      name: '旗舰店',
      tickets: large,
      customers: Math.round(large * 0.3),
      teams: 20,
      agents: 300,
    },
  ];
  for (let i = 1; i <= 4; i++) {
    plans.push({
      slug: `bench-shop-${i}`,
      name: `小店${i}`,
      tickets: small,
      customers: Math.max(10, Math.round(small * 0.3)),
      teams: 3,
      agents: 12,
    });
  }
  return plans;
}

export interface Agent {
  id: string;
  teamId: string;
}

export interface TenantWorld {
  plan: TenantPlan;
  id: string;
  teamIds: string[];
  agents: Agent[];
  agentsByTeam: Map<string, Agent[]>;
  customerIds: string[];
  nextNumber: number;
}

const TEAM_NAMES = [
  '售前',
  '售后',
  '物流专线',
  '价保专项',
  'VIP专席',
  '外包',
  '退换货',
  '投诉处理',
  '夜班',
  '跨境',
];
const CREATED = HISTORY_START - 400 * DAY;

export interface WorldRows {
  tenants: string[];
  users: string[];
  teams: string[];
  teamMembers: string[];
  customers: string[];
  identities: string[];
}

function personName(rng: Rng): string {
  const given = rng.pick([...GIVEN]) + (rng.chance(0.6) ? rng.pick([...GIVEN]) : '');
  return rng.pick([...SURNAMES]) + given;
}

/** Builds every tenant's staff and customers; returns the worlds (for tickets) and their COPY lines. */
export function buildWorld(
  plans: readonly TenantPlan[],
  rng: Rng,
): { worlds: TenantWorld[]; rows: WorldRows } {
  const rows: WorldRows = {
    tenants: [],
    users: [],
    teams: [],
    teamMembers: [],
    customers: [],
    identities: [],
  };
  const worlds: TenantWorld[] = [];
  for (const plan of plans) {
    const tenantId = seededUuid(rng, CREATED);
    rows.tenants.push(copyLine([tenantId, plan.slug, plan.name, '{}', iso(CREATED)]));
    const teamIds: string[] = [];
    for (let t = 0; t < plan.teams; t++) {
      const id = seededUuid(rng, CREATED + t);
      teamIds.push(id);
      const name = `${TEAM_NAMES[t % TEAM_NAMES.length]}${Math.floor(t / TEAM_NAMES.length) + 1}组`;
      rows.teams.push(copyLine([tenantId, id, name, '', true, iso(CREATED), iso(CREATED)]));
    }
    const agents: Agent[] = [];
    const agentsByTeam = new Map<string, Agent[]>(teamIds.map((id) => [id, []]));
    for (let a = 0; a < plan.agents; a++) {
      const id = seededUuid(rng, CREATED + 1000 + a);
      // Uneven team sizes, as real shifts are: the first teams are the big general ones.
      const teamId = teamIds[Math.min(teamIds.length - 1, Math.floor(rng.next() ** 1.6 * teamIds.length))]!;
      const agent = { id, teamId };
      agents.push(agent);
      agentsByTeam.get(teamId)!.push(agent);
      const role = rng.chance(0.2) ? 'outsourced_agent' : 'agent';
      rows.users.push(
        copyLine([
          tenantId,
          id,
          `agent${a}@${plan.slug}.bench.local`,
          personName(rng),
          role,
          null,
          null,
          30,
          'online',
          true,
          iso(CREATED),
          iso(CREATED),
        ]),
      );
      rows.teamMembers.push(copyLine([tenantId, teamId, id, iso(CREATED)]));
    }
    // A team left without members still gets tickets, unassigned.
    const customerIds: string[] = [];
    for (let c = 0; c < plan.customers; c++) {
      const created = CREATED + Math.floor(rng.next() * 400 * DAY);
      const id = seededUuid(rng, created);
      customerIds.push(id);
      // Multiplying by a number coprime with 10^9 permutes 0..10^9-1: distinct customers, distinct phones.
      const phoneBody = String((c * 2654435761) % 1e9).padStart(9, '0');
      const phone = rng.chance(0.8) ? `1${rng.between(3, 9)}${phoneBody}` : null;
      const email = rng.chance(0.4)
        ? `u${c}x${rng.hex(4)}@${rng.pick(['qq.com', '163.com', 'gmail.com', 'foxmail.com'])}`
        : null;
      const tier = rng.weighted([70, 12, 8, 5, 3, 2]);
      rows.customers.push(
        copyLine([tenantId, id, personName(rng), email, phone, tier, iso(created), iso(created)]),
      );
      rows.identities.push(copyLine([tenantId, 'platform', `taobao:tb${c}${rng.hex(6)}`, id, iso(created)]));
      if (phone) rows.identities.push(copyLine([tenantId, 'phone', phone, id, iso(created)]));
      if (email) rows.identities.push(copyLine([tenantId, 'email', email, id, iso(created)]));
    }
    worlds.push({ plan, id: tenantId, teamIds, agents, agentsByTeam, customerIds, nextNumber: 1 });
  }
  return { worlds, rows };
}

// ---------------------------------------------------------------------------------------------------------
// Tickets

/** Relative ticket volume of each day: a pre-sale rise, the Double 11 peak and its after-sales tail. */
export function dayWeight(dayStartMs: number): number {
  const china = new Date(dayStartMs + 8 * 3600_000);
  const month = china.getUTCMonth() + 1;
  const day = china.getUTCDate();
  if (month !== 11) return 1;
  if (day === 11) return 7;
  if (day === 12) return 4.5;
  if (day === 13) return 3;
  if (day >= 14 && day <= 17) return 2;
  if (day === 1) return 2.5;
  if (day < 11) return 1.5;
  return 1.3;
}

// Hourly shape of a day in China (index = hour): quiet at night, busy at lunch and in the evening.
const HOURS = [3, 2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 10, 9, 8, 8, 8, 8, 9, 10, 11, 12, 10, 6];
const HOUR_CDF = (() => {
  const total = HOURS.reduce((s, w) => s + w, 0);
  let acc = 0;
  return HOURS.map((w) => (acc += w / total));
})();

/** Maps u in [0,1) to a time of day (ms after midnight), monotonically, following HOURS. */
function timeOfDay(u: number): number {
  let h = 0;
  while (h < 23 && HOUR_CDF[h]! <= u) h++;
  const lo = h ? HOUR_CDF[h - 1]! : 0;
  return (h + (u - lo) / (HOUR_CDF[h]! - lo)) * 3600_000;
}

/** Creation times for `count` tickets, ascending. */
export function* creationTimes(count: number, rng: Rng): Generator<number> {
  const weights = Array.from({ length: HISTORY_DAYS }, (_, d) => dayWeight(HISTORY_START + d * DAY));
  const total = weights.reduce((s, w) => s + w, 0);
  let emitted = 0;
  for (let d = 0; d < HISTORY_DAYS; d++) {
    const n = d === HISTORY_DAYS - 1 ? count - emitted : Math.round((count * weights[d]!) / total);
    for (let k = 0; k < n; k++) yield HISTORY_START + d * DAY + timeOfDay((k + rng.next()) / n);
    emitted += n;
  }
}

/** The share of tickets still open by age: recent ones mostly, plus the Double 11 backlog. */
export function openProbability(ageDays: number): number {
  if (ageDays < 2) return 0.8;
  if (ageDays < 5) return 0.6;
  if (ageDays < 9) return 0.35;
  if (ageDays < 16) return 0.2;
  return 0.03;
}

export interface TicketRows {
  ticket: string;
  messages: string[];
  events: string[];
}

const OPEN_STATUSES = ['new', 'open', 'pending', 'on_hold'] as const;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const CHANNELS = ['platform', 'im', 'web', 'email', 'phone', 'api'] as const;
const NOTES = [
  '已联系仓库加急处理',
  '已提交物流查件工单',
  '客户情绪激动，注意安抚',
  'VIP客户，优先处理',
  '等待财务审核退款',
];
const DUE_HOURS = { urgent: 2, high: 8, normal: 24, low: 72 } as const;

function fill(template: string, rng: Rng, english: boolean, orderNumber: string): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    switch (key) {
      case 'p':
        return english ? rng.pick(PRODUCTS_EN) : rng.pick(PRODUCTS);
      case 'o':
        return orderNumber;
      case 'c':
        return rng.pick(COURIERS);
      case 'n':
        return String(rng.between(5, 300));
      case 'd':
        return String(rng.between(2, 10));
      case 't':
        return `${rng.pick(['SF', 'YT', 'ZT', 'JD'])}${rng.hex(10).replace(/[a-f]/g, (c) => String(c.charCodeAt(0) % 10))}`;
      case 'city':
        return rng.pick(CITIES);
      default:
        return key;
    }
  });
}

const TOPIC_WEIGHTS = TOPICS.map((t) => t.weight);
const TOPIC_EN_WEIGHTS = TOPICS_EN.map((t) => t.weight);

/** One ticket with its messages and history, as COPY lines; `created` is its creation time (ms). */
export function generateTicket(world: TenantWorld, rng: Rng, created: number): TicketRows {
  const english = rng.chance(0.07);
  const topic: Topic = english
    ? TOPICS_EN[rng.weighted(TOPIC_EN_WEIGHTS)]!
    : TOPICS[rng.weighted(TOPIC_WEIGHTS)]!;
  const ageDays = (HISTORY_END - created) / DAY;
  const isOpen = rng.chance(openProbability(ageDays));
  const status = isOpen
    ? OPEN_STATUSES[rng.weighted([15, 50, 25, 10])]!
    : rng.chance(ageDays < 7 ? 0.7 : 0.1)
      ? 'solved'
      : 'closed';
  const priority = PRIORITIES[rng.weighted([10, 70, 15, 5])]!;
  const channel = CHANNELS[rng.weighted([55, 25, 8, 5, 5, 2])]!;
  const orderNumber = `${2026}${String(rng.int(1e8)).padStart(8, '0')}${String(rng.int(1e4)).padStart(4, '0')}`;
  const hasOrder = rng.chance(0.85);
  const teamId = rng.chance(0.95)
    ? world.teamIds[Math.floor(rng.next() ** 1.4 * world.teamIds.length)]!
    : null;
  const members = teamId ? world.agentsByTeam.get(teamId)! : [];
  const assigned = status === 'new' ? rng.chance(0.3) : rng.chance(0.93);
  const assignee = assigned && members.length ? rng.pick(members) : null;
  const requesterId = world.customerIds[Math.floor(rng.next() ** 1.3 * world.customerIds.length)]!;
  const id = seededUuid(rng, created);
  const number = world.nextNumber++;

  const subject = fill(rng.pick(topic.subjects), rng, english, orderNumber);
  const count = status === 'new' ? 1 : 1 + rng.weighted([25, 40, 25, 10]);
  const bodies: string[] = [];
  const messages: string[] = [];
  let at = created;
  let firstResponse: number | null = null;
  for (let m = 0; m < count; m++) {
    const fromAgent = m % 2 === 1;
    const isNote = fromAgent && rng.chance(0.1);
    let body: string;
    if (m === 0) body = fill(rng.pick(topic.asks), rng, english, orderNumber);
    else if (isNote) body = rng.pick(NOTES);
    else if (fromAgent) body = fill(rng.pick(topic.replies), rng, english, orderNumber);
    else body = fill(rng.pick(topic.followUps), rng, english, orderNumber);
    // Some customers write long messages: repeat the point with detail, as they do.
    if (m === 0 && rng.chance(0.15)) body += ` ${fill(rng.pick(topic.asks), rng, english, orderNumber)}`;
    if (m > 0) at += rng.between(2, 600) * 60_000;
    if (fromAgent && !isNote && firstResponse === null) firstResponse = at;
    bodies.push(body);
    messages.push(
      copyLine([
        world.id,
        seededUuid(rng, at),
        id,
        fromAgent ? 'agent' : 'customer',
        fromAgent ? (assignee?.id ?? null) : requesterId,
        isNote ? 'internal' : 'public',
        body,
        iso(at),
      ]),
    );
  }

  const dueHours = DUE_HOURS[priority];
  const firstDue = created + dueHours * 3600_000;
  const nextDue = isOpen
    ? Math.max(at, created) + (status === 'pending' ? 48 : dueHours) * 3600_000 + rng.int(3600_000)
    : null;
  const solvedAt = status === 'solved' || status === 'closed' ? at + rng.between(10, 2000) * 60_000 : null;
  const closedAt = status === 'closed' && solvedAt ? solvedAt + 3 * DAY : null;
  const updated = closedAt ?? solvedAt ?? at;

  const events: string[] = [
    copyLine([
      world.id,
      seededUuid(rng, created),
      id,
      'customer',
      requesterId,
      'created',
      '[]',
      iso(created),
    ]),
  ];
  if (assignee) {
    events.push(
      copyLine([
        world.id,
        seededUuid(rng, created + 1000),
        id,
        'system',
        null,
        'assigned',
        JSON.stringify([{ field: 'assigneeId', before: null, after: assignee.id }]),
        iso(created + 1000),
      ]),
    );
  }
  if (status !== 'new') {
    const when = solvedAt ?? at;
    events.push(
      copyLine([
        world.id,
        seededUuid(rng, when),
        id,
        'user',
        assignee?.id ?? null,
        'updated',
        JSON.stringify([{ field: 'status', before: 'new', after: status }]),
        iso(when),
      ]),
    );
  }
  const tags: string[] = [];
  if (created >= Date.UTC(2026, 9, 31, 16) && created < Date.UTC(2026, 10, 11, 16)) tags.push('双11');
  if (rng.chance(0.05)) tags.push('vip');
  const searchText = `${subject}\n${bodies.join('\n')}`;
  const ticket = copyLine([
    world.id,
    id,
    number,
    subject,
    status,
    priority,
    topic.category,
    channel,
    textArray(tags),
    hasOrder ? orderNumber : null,
    requesterId,
    assignee?.id ?? null,
    teamId,
    iso(firstDue),
    nextDue === null ? null : iso(nextDue),
    firstResponse === null ? null : iso(firstResponse),
    solvedAt === null ? null : iso(solvedAt),
    closedAt === null ? null : iso(closedAt),
    toTsvectorLiteral(searchText),
    iso(created),
    iso(updated),
    events.length,
  ]);
  return { ticket, messages, events };
}

/** COPY column lists, in the order the lines above are written. */
export const COLUMNS = {
  tenants: 'id, slug, name, settings, created_at',
  teams: 'tenant_id, id, name, description, is_active, created_at, updated_at',
  users:
    'tenant_id, id, email, name, role, department, password_hash, capacity, presence, is_active, created_at, updated_at',
  team_members: 'tenant_id, team_id, user_id, created_at',
  customers: 'tenant_id, id, name, email, phone, tier, created_at, updated_at',
  customer_identities: 'tenant_id, kind, value, customer_id, created_at',
  tickets:
    'tenant_id, id, number, subject, status, priority, category, channel, tags, order_number, requester_id, ' +
    'assignee_id, team_id, first_response_due_at, next_due_at, first_responded_at, solved_at, closed_at, ' +
    'search_vector, created_at, updated_at, version',
  ticket_messages: 'tenant_id, id, ticket_id, author_type, author_id, visibility, body, created_at',
  ticket_events: 'tenant_id, id, ticket_id, actor_type, actor_id, action, changes, created_at',
} as const;

/** Which tenant each successive ticket belongs to: by share of tickets, deterministic. */
export function tenantPicker(worlds: readonly TenantWorld[], rng: Rng): () => TenantWorld {
  const remaining = worlds.map((w) => w.plan.tickets);
  let left = remaining.reduce((s, n) => s + n, 0);
  return () => {
    // Draw without replacement so each tenant ends with exactly its planned count.
    let r = rng.int(left);
    let i = 0;
    while (r >= remaining[i]!) r -= remaining[i++]!;
    remaining[i]!--;
    left--;
    return worlds[i]!;
  };
}
