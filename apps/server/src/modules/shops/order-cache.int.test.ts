import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryOrderCache, TieredOrderCache, type CachedOrder } from './order-cache.ts';
import { stubOrder } from './stub-shop.testing.ts';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const value: CachedOrder = { order: stubOrder(), fetchedAt: '2026-11-11T10:00:00.000Z' };

describe('MemoryOrderCache', () => {
  it('serves an entry until its TTL passes, and drops the oldest when full', async () => {
    let now = 1_000;
    const cache = new MemoryOrderCache(2, () => now);
    await cache.set('a', value, 30_000);
    now += 29_999;
    expect(await cache.get('a')).toEqual(value);
    now += 1;
    expect(await cache.get('a')).toBeUndefined();
    await cache.set('a', value, 1000);
    await cache.set('b', value, 1000);
    await cache.set('c', value, 1000);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('c')).toEqual(value);
    await cache.set('d', value, 0);
    expect(await cache.get('d')).toBeUndefined();
  });
});

describe('TieredOrderCache over Redis', () => {
  let redisA: Redis;
  let redisB: Redis;
  const key = `test/${randomBytes(6).toString('hex')}/no:DS1`;

  beforeAll(() => {
    redisA = new Redis(REDIS_URL);
    redisB = new Redis(REDIS_URL);
  });
  afterAll(() => {
    redisA.disconnect();
    redisB.disconnect();
  });

  it('shares a fetch between nodes and lets an invalidation reach nodes that had not cached it', async () => {
    const nodeA = new TieredOrderCache(new MemoryOrderCache(), redisA);
    const nodeB = new TieredOrderCache(new MemoryOrderCache(), redisB);
    await nodeA.set(key, value, 30_000);
    expect(await nodeB.get(key)).toEqual(value);
    const ttl = await redisB.pttl(`peakdesk:order:${key}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    await nodeA.delete(key);
    expect(await new TieredOrderCache(new MemoryOrderCache(), redisB).get(key)).toBeUndefined();
  });

  it('treats Redis errors as misses, and still serves its own copy', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const node = new TieredOrderCache(new MemoryOrderCache(), down);
    expect(await node.get(key)).toBeUndefined();
    await node.set(key, value, 30_000);
    expect(await node.get(key)).toEqual(value);
    await node.delete(key);
    expect(await node.get(key)).toBeUndefined();
    down.disconnect();
  });
});
