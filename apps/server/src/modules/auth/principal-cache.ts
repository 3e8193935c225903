/**
 * An in-process cache of authenticated principals (API tokens and sessions), so that a request does not cost
 * a database lookup before it can do its work. It is only as fresh as its invalidation: entries are served
 * only while this process LISTENs for `peakdesk_auth` notifications (auth-invalidation.ts), every path that
 * narrows or ends access NOTIFYs inside its transaction, and a lost listener connection empties the cache and
 * turns it off until LISTEN is back (notifications sent meanwhile are lost). Negative results are never
 * cached, so a new token works at once. Entries also carry the credential's own end (token, session or
 * account `expiresAt`): expiry needs no notification.
 *
 * Under load one token is used by hundreds of requests at once, so a lookup is shared (`resolve`): concurrent
 * misses of one key wait for one lookup, and an entry in the last part of its TTL is served while one
 * background lookup refreshes it, so a busy credential never expires into a stampede of lookups.
 */
export interface CachedPrincipal<T> {
  value: T;
  tenantId: string;
  /** Ids a notification may name to drop this entry: user id, token id, session hash. */
  ids: readonly string[];
  /** When the credential stops by itself (epoch ms), or null for never. */
  endsAtMs: number | null;
}

/** Reads a credential from the database; null when it is not valid (unknown, revoked, ended). */
export type PrincipalLookup<T> = () => Promise<CachedPrincipal<T> | null>;

interface Entry<T> {
  principal: CachedPrincipal<T>;
  /** From here on, a request served from the entry starts a background refresh. */
  refreshAtMs: number;
  staleAtMs: number;
}

interface Flight<T> {
  /** The generation the lookup started in: only requests of the same generation may share it. */
  ticket: string;
  promise: Promise<CachedPrincipal<T> | null>;
}

export interface PrincipalCacheOptions {
  /** How long an entry is served without a database read, even without notifications (ms). */
  ttlMs?: number;
  /** The last part of the TTL (0–1) in which a request starts a background refresh (default 0.2). */
  refreshAheadFraction?: number;
  /** Entries kept at most; the oldest go first. */
  maxEntries?: number;
}

export class PrincipalCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Lookups in flight by key: as many as requests in flight at most, and emptied as they settle. */
  private readonly flights = new Map<string, Flight<T>>();
  private readonly ttlMs: number;
  private readonly refreshAfterMs: number;
  private readonly maxEntries: number;
  /** Bumped when everything is dropped; with the tenant's own count it dates a read (see ticket()). */
  private epoch = 0;
  private readonly tenantGenerations = new Map<string, number>();
  private listening = false;
  /** Counters for tests and diagnostics: `lookups` counts database reads started through resolve(). */
  readonly stats = { hits: 0, misses: 0, invalidations: 0, lookups: 0, shared: 0, refreshes: 0, failures: 0 };

  constructor(options: PrincipalCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    const fraction = Math.min(Math.max(options.refreshAheadFraction ?? 0.2, 0), 1);
    this.refreshAfterMs = this.ttlMs * (1 - fraction);
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  get size(): number {
    return this.entries.size;
  }

  get inFlight(): number {
    return this.flights.size;
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

  /**
   * The principal of `key` from the cache, or from `lookup`, shared with every concurrent request of the same
   * generation. An entry past its refresh point is served while one background lookup (per key) renews it.
   * A failed lookup rejects its waiters and leaves nothing behind: the next request looks up again.
   * `nowMs` is read when needed (before serving, and again when a lookup returns).
   */
  async resolve(
    key: string,
    tenantId: string,
    lookup: PrincipalLookup<T>,
    nowMs: () => number,
  ): Promise<T | null> {
    const now = nowMs();
    const entry = this.servable(key, now);
    if (entry) {
      if (entry.refreshAtMs <= now && !this.flights.has(key)) {
        this.stats.refreshes++;
        // Its failure is counted in start(); the entry is served until stale and the next request retries.
        void this.start(key, tenantId, lookup, nowMs).catch(() => undefined);
      }
      return entry.principal.value;
    }
    const ticket = this.ticket(tenantId);
    const flight = this.flights.get(key);
    // A lookup that began before an invalidation of this tenant may have read the old state: not shared.
    const isShareable = flight !== undefined && ticket !== null && flight.ticket === ticket;
    if (isShareable) this.stats.shared++;
    const principal = await (isShareable ? flight.promise : this.start(key, tenantId, lookup, nowMs));
    if (!principal || (principal.endsAtMs !== null && principal.endsAtMs <= nowMs())) return null;
    return principal.value;
  }

  private start(
    key: string,
    tenantId: string,
    lookup: PrincipalLookup<T>,
    nowMs: () => number,
  ): Promise<CachedPrincipal<T> | null> {
    const ticket = this.ticket(tenantId);
    this.stats.lookups++;
    const promise = lookup().then(
      (principal) => {
        if (principal) this.set(key, ticket, principal, nowMs());
        // The credential is no longer valid: whatever was cached for it goes at once.
        else this.entries.delete(key);
        return principal;
      },
      (error: unknown) => {
        this.stats.failures++;
        throw error;
      },
    );
    if (ticket === null) return promise;
    const flight = { ticket, promise };
    this.flights.set(key, flight);
    const land = () => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    promise.then(land, land);
    return promise;
  }

  /** The entry of `key` if it may be served at `nowMs` (counted as a hit or a miss). */
  private servable(key: string, nowMs: number): Entry<T> | undefined {
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
    return entry;
  }

  /** The cached value of `key` at `nowMs`, without looking anything up. */
  get(key: string, nowMs: number): T | undefined {
    return this.servable(key, nowMs)?.principal.value;
  }

  set(key: string, ticket: string | null, principal: CachedPrincipal<T>, nowMs: number): void {
    if (ticket === null || !this.listening || ticket !== this.ticket(principal.tenantId)) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(key, {
      principal,
      refreshAtMs: nowMs + this.refreshAfterMs,
      staleAtMs: nowMs + this.ttlMs,
    });
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
