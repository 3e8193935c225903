import type { Db } from '../../db/database.ts';
import {
  countArrivals,
  countOpenTickets,
  durationsSince,
  listFloorAgents,
  listTeamNames,
  startOfDay,
  type ArrivalRow,
  type DurationStats,
} from './floor-stats.repository.ts';

export const ARRIVAL_WINDOW_MINUTES = 60;
const CACHE_MS = 5_000;
const CACHE_ENTRIES = 1_000;

export interface FloorStats {
  generatedAt: string;
  timeZone: string;
  arrivals: { minutes: string[]; series: Array<{ category: string; counts: number[] }> };
  backlog: Array<{
    teamId: string | null;
    teamName: string | null;
    open: number;
    unassigned: number;
    waiting: number;
    atRisk: number;
    breached: number;
  }>;
  sla: { atRisk: number; breached: number };
  agents: Array<{
    id: string;
    name: string;
    role: string;
    presence: string;
    capacity: number;
    load: number;
  }>;
  agentsOnline: number;
  firstResponse: DurationStats;
  resolution: DurationStats;
}

/** Arrival rows → one count per minute of the window (oldest first) per category; pure. */
export function arrivalSeries(rows: readonly ArrivalRow[], windowStart: Date, minutes: number) {
  const start = Math.floor(windowStart.getTime() / 60_000) * 60_000;
  const labels = Array.from({ length: minutes }, (_, i) => new Date(start + (i + 1) * 60_000));
  const byCategory = new Map<string, number[]>();
  for (const row of rows) {
    const index = Math.round((new Date(row.minute).getTime() - start) / 60_000) - 1;
    if (index < 0 || index >= minutes) continue;
    const category = row.category ?? 'other';
    let counts = byCategory.get(category);
    if (!counts) byCategory.set(category, (counts = new Array<number>(minutes).fill(0)));
    counts[index]! += row.count;
  }
  return {
    minutes: labels.map((d) => d.toISOString()),
    series: [...byCategory.entries()]
      .map(([category, counts]) => ({ category, counts }))
      .sort((a, b) => a.category.localeCompare(b.category)),
  };
}

/**
 * The supervisor's floor at a glance. Five indexed reads per tenant (see floor-stats.repository.ts), cached
 * per tenant and time zone for a few seconds and shared by concurrent callers, so a wall of supervisors
 * refreshing on every live event costs one computation per tenant per five seconds.
 */
export class FloorStatsService {
  private readonly cache = new Map<string, { at: number; value: Promise<FloorStats> }>();

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get(tenantId: string, timeZone: string): Promise<FloorStats> {
    const key = `${tenantId}|${timeZone}`;
    const at = this.now().getTime();
    const hit = this.cache.get(key);
    if (hit && at - hit.at < CACHE_MS) return hit.value;
    const value = this.compute(tenantId, timeZone);
    // A failure is not cached: the next caller tries again.
    value.catch(() => this.cache.delete(key));
    this.cache.delete(key);
    this.cache.set(key, { at, value });
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }

  private async compute(tenantId: string, timeZone: string): Promise<FloorStats> {
    const now = this.now();
    const windowStart = new Date(now.getTime() - ARRIVAL_WINDOW_MINUTES * 60_000);
    const dayStart = await startOfDay(this.db, now, timeZone);
    const [arrivals, groups, agents, teams, firstResponse, resolution] = await Promise.all([
      countArrivals(this.db, tenantId, new Date(Math.floor(windowStart.getTime() / 60_000) * 60_000)),
      countOpenTickets(this.db, tenantId, now),
      listFloorAgents(this.db, tenantId),
      listTeamNames(this.db, tenantId),
      durationsSince(this.db, tenantId, 'first_responded_at', dayStart),
      durationsSince(this.db, tenantId, 'solved_at', dayStart),
    ]);
    const teamRows = groups.filter((g) => g.kind === 'team');
    const load = new Map(groups.filter((g) => g.kind === 'agent').map((g) => [g.assigneeId, g.open]));
    return {
      generatedAt: now.toISOString(),
      timeZone,
      arrivals: arrivalSeries(arrivals, windowStart, ARRIVAL_WINDOW_MINUTES),
      backlog: teamRows
        .map((g) => ({
          teamId: g.teamId,
          teamName: g.teamId ? (teams.get(g.teamId) ?? null) : null,
          open: g.open,
          unassigned: g.unassigned,
          waiting: g.waiting,
          atRisk: g.atRisk,
          breached: g.breached,
        }))
        .sort((a, b) => b.open - a.open),
      sla: {
        atRisk: teamRows.reduce((n, g) => n + g.atRisk, 0),
        breached: teamRows.reduce((n, g) => n + g.breached, 0),
      },
      agents: agents.map((a) => ({ ...a, load: load.get(a.id) ?? 0 })),
      agentsOnline: agents.filter((a) => a.presence === 'online').length,
      firstResponse,
      resolution,
    };
  }
}

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
