import type { Order } from '@peakdesk/commerce';
import type { Redis } from 'ioredis';

/**
 * Short-lived cache of fetched orders (the panel's TTL is per connection, seconds). In process always; in Redis
 * too when `REDIS_URL` is set, so that the nodes of a cluster share fetches and an invalidation (an order
 * event) reaches all of them. Redis is an optimisation: its errors are misses, never failures.
 */
export interface CachedOrder {
  /** null: the shop said it has no such order (cached too, so a typo does not hit the shop every time). */
  order: Order | null;
  fetchedAt: string;
}

/** Values are JSON: a fetched order, or a customer's order list. */
export interface OrderCache {
  get<T = CachedOrder>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Bounded: the oldest entry goes when full (Map keeps insertion order; a set re-inserts). */
export class MemoryOrderCache implements OrderCache {
  private readonly entries = new Map<string, { value: unknown; expiresAt: number }>();

  constructor(
    private readonly maxEntries = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  get<T = CachedOrder>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return Promise.resolve(undefined);
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(entry.value as T);
  }

  set(key: string, value: unknown, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return Promise.resolve();
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }
}

const REDIS_PREFIX = 'peakdesk:order:';

/** The process cache in front of Redis: a local hit costs nothing, a Redis hit fills the local cache. */
export class TieredOrderCache implements OrderCache {
  constructor(
    private readonly local: OrderCache,
    private readonly redis: Redis,
  ) {}

  async get<T = CachedOrder>(key: string): Promise<T | undefined> {
    const local = await this.local.get<T>(key);
    if (local) return local;
    try {
      const [[, text], [, ttl]] = (await this.redis
        .multi()
        .get(REDIS_PREFIX + key)
        .pttl(REDIS_PREFIX + key)
        .exec()) as [[null, string | null], [null, number]];
      if (!text) return undefined;
      const value = JSON.parse(text) as T;
      if (ttl > 0) await this.local.set(key, value, ttl);
      return value;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    await this.local.set(key, value, ttlMs);
    try {
      await this.redis.set(REDIS_PREFIX + key, JSON.stringify(value), 'PX', ttlMs);
    } catch {
      /* the local copy still serves this node */
    }
  }

  async delete(key: string): Promise<void> {
    await this.local.delete(key);
    try {
      await this.redis.del(REDIS_PREFIX + key);
    } catch {
      /* other nodes keep their copy for at most its TTL */
    }
  }
}
