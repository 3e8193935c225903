/**
 * An in-process cache of authenticated principals (API tokens and sessions), so that a request does not cost
 * a database lookup before it can do its work. It is only as fresh as its invalidation: entries are served
 * only while this process LISTENs for `peakdesk_auth` notifications (auth-invalidation.ts), every path that
 * narrows or ends access NOTIFYs inside its transaction, and a lost listener connection empties the cache and
 * turns it off until LISTEN is back (notifications sent meanwhile are lost). Negative results are never
 * cached, so a new token works at once. Entries also carry the credential's own end (token, session or
 * account `expiresAt`): expiry needs no notification.
 */
export interface CachedPrincipal<T> {
  value: T;
  tenantId: string;
  /** Ids a notification may name to drop this entry: user id, token id, session hash. */
  ids: readonly string[];
  /** When the credential stops by itself (epoch ms), or null for never. */
  endsAtMs: number | null;
}

interface Entry<T> {
  principal: CachedPrincipal<T>;
  staleAtMs: number;
}

export interface PrincipalCacheOptions {
  /** How long an entry is served without a database read, even without notifications (ms). */
  ttlMs?: number;
  /** Entries kept at most; the oldest go first. */
  maxEntries?: number;
}

export class PrincipalCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  /** Bumped when everything is dropped; with the tenant's own count it dates a read (see ticket()). */
  private epoch = 0;
  private readonly tenantGenerations = new Map<string, number>();
  private listening = false;
  /** Counters for tests and diagnostics. */
  readonly stats = { hits: 0, misses: 0, invalidations: 0 };

  constructor(options: PrincipalCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  get size(): number {
    return this.entries.size;
  }

  get isListening(): boolean {
    return this.listening;
  }

  /** The listener's state. Any change empties the cache: while deaf nothing is served, and a reconnect may
   * have missed notifications. */
  setListening(listening: boolean): void {
    if (listening === this.listening) return;
    this.listening = listening;
    this.clear();
  }

  /**
   * Taken before the database read whose result may be cached: an invalidation for the same tenant (or a
   * clear) that arrives while the read is in flight bumps the tenant's generation, and the (possibly stale)
   * result is then not stored. Other tenants' notifications cannot make it stale, so they do not count.
   */
  ticket(tenantId: string): string | null {
    return this.listening ? `${this.epoch}:${this.tenantGenerations.get(tenantId) ?? 0}` : null;
  }

  get(key: string, nowMs: number): T | undefined {
    if (!this.listening) return undefined;
    const entry = this.entries.get(key);
    if (!entry) {
      this.stats.misses++;
      return undefined;
    }
    const ended = entry.principal.endsAtMs !== null && entry.principal.endsAtMs <= nowMs;
    if (ended || entry.staleAtMs <= nowMs) {
      this.entries.delete(key);
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    return entry.principal.value;
  }

  set(key: string, ticket: string | null, principal: CachedPrincipal<T>, nowMs: number): void {
    if (ticket === null || !this.listening || ticket !== this.ticket(principal.tenantId)) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(key, { principal, staleAtMs: nowMs + this.ttlMs });
  }

  /** Whether an entry of the tenant names `id` (tests wait on this for a notification to arrive). */
  holds(tenantId: string, id: string): boolean {
    for (const entry of this.entries.values()) {
      if (entry.principal.tenantId === tenantId && entry.principal.ids.includes(id)) return true;
    }
    return false;
  }

  /** Drops the tenant's entries naming `id` (user, token or session hash), or all of the tenant's for `*`. */
  invalidate(tenantId: string, id: string): void {
    this.tenantGenerations.set(tenantId, (this.tenantGenerations.get(tenantId) ?? 0) + 1);
    this.stats.invalidations++;
    for (const [key, entry] of this.entries) {
      if (entry.principal.tenantId !== tenantId) continue;
      if (id === '*' || entry.principal.ids.includes(id)) this.entries.delete(key);
    }
  }

  clear(): void {
    this.epoch++;
    this.tenantGenerations.clear();
    this.entries.clear();
  }
}
