import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import type { BusinessCalendar } from '../sla/business-calendar.ts';
import {
  findCalendars,
  findPolicies,
  findTenantTimeZone,
  type PolicyRow,
} from '../sla/sla-config.repository.ts';
import { defaultClassifierModel } from '../classifier/classifier.ts';
import { loadTenantClassifier, type TenantClassifier } from '../classifier/tenant-classifier.ts';
import { findRules, toRule } from './routing.repository.ts';
import type { RoutingRule } from './rule-engine.ts';

/**
 * What classification, routing and SLA need of a tenant to decide a new ticket: read once per batch, or from
 * the cache.
 */
export interface TenantConfig {
  rules: RoutingRule[];
  policyById: Map<string, PolicyRow>;
  defaultPolicy: PolicyRow | null;
  calendarById: Map<string, BusinessCalendar>;
  timeZone: string;
  /** Override rules and the retrained layer; absent means none (the base model alone). */
  classifier?: TenantClassifier;
}

/**
 * Six queries (rules, policies, calendars, tenant time zone, classifier rules and layer), in the caller's
 * transaction.
 */
export async function loadTenantConfig(
  db: Kysely<Database>,
  tenantId: string,
  includeDisabled = false,
): Promise<TenantConfig> {
  const [ruleRows, policies, calendars, timeZone, classifier] = await Promise.all([
    findRules(db, tenantId, !includeDisabled),
    findPolicies(db, tenantId),
    findCalendars(db, tenantId),
    findTenantTimeZone(db, tenantId),
    loadTenantClassifier(db, tenantId, defaultClassifierModel()),
  ]);
  return {
    rules: ruleRows.map(toRule),
    policyById: new Map(policies.map((p) => [p.id, p])),
    defaultPolicy: policies.find((p) => p.isDefault) ?? null,
    calendarById: new Map(
      calendars.map((c) => [c.id, { timeZone: c.timeZone, hours: c.hours, holidays: c.holidays }]),
    ),
    timeZone,
    classifier,
  };
}

export interface TenantConfigCacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  clock?: () => number;
}

/**
 * The enabled routing rules, SLA policies, calendars and time zone of recently seen tenants, in this process
 * (intake read them on every batch). Entries live 30 s at most and are dropped at once when any process
 * announces a change on `peakdesk_config` (see auth/auth-invalidation.ts). It serves only while that
 * listener is connected: while it is down every call loads, since a missed NOTIFY would go unnoticed.
 * Values are shared between callers and must not be mutated.
 */
export class TenantConfigCache {
  private readonly entries = new Map<string, { value: TenantConfig; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly clock: () => number;
  private listening = false;
  /**
   * Tenants with loads in flight, and how many invalidations each saw meanwhile: a load that overlapped one
   * may hold the old configuration and is not kept. Per tenant, since some tenant changes all the time.
   */
  private readonly loading = new Map<string, { count: number; invalidations: number }>();
  /** Bumped when the listener goes up or down: nothing loaded across that is kept. */
  private listenEpoch = 0;
  readonly stats = { hits: 0, loads: 0 };

  constructor(options: TenantConfigCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 1_000;
    this.clock = options.clock ?? Date.now;
  }

  get isListening(): boolean {
    return this.listening;
  }

  setListening(listening: boolean): void {
    this.listening = listening;
    this.listenEpoch++;
    this.entries.clear();
  }

  invalidate(tenantId: string): void {
    const inFlight = this.loading.get(tenantId);
    if (inFlight) inFlight.invalidations++;
    this.entries.delete(tenantId);
  }

  holds(tenantId: string): boolean {
    return this.entries.has(tenantId);
  }

  get size(): number {
    return this.entries.size;
  }

  async get(tenantId: string, load: () => Promise<TenantConfig>): Promise<TenantConfig> {
    if (this.listening) {
      const hit = this.entries.get(tenantId);
      if (hit && hit.expiresAt > this.clock()) {
        // Re-inserting keeps the Map's order least recently used first, for eviction.
        this.entries.delete(tenantId);
        this.entries.set(tenantId, hit);
        this.stats.hits++;
        return hit.value;
      }
      if (hit) this.entries.delete(tenantId);
    }
    const listenEpoch = this.listenEpoch;
    const inFlight = this.loading.get(tenantId) ?? { count: 0, invalidations: 0 };
    this.loading.set(tenantId, inFlight);
    inFlight.count++;
    const invalidations = inFlight.invalidations;
    this.stats.loads++;
    let value: TenantConfig;
    try {
      value = await load();
    } finally {
      if (--inFlight.count === 0) this.loading.delete(tenantId);
    }
    if (this.listening && listenEpoch === this.listenEpoch && invalidations === inFlight.invalidations) {
      this.entries.set(tenantId, { value, expiresAt: this.clock() + this.ttlMs });
      while (this.entries.size > this.maxEntries) {
        this.entries.delete(this.entries.keys().next().value!);
      }
    }
    return value;
  }
}
