import { describe, expect, it } from 'vitest';
import { TenantConfigCache, type TenantConfig } from './tenant-config.cache.ts';

function config(timeZone: string): TenantConfig {
  return { rules: [], policyById: new Map(), defaultPolicy: null, calendarById: new Map(), timeZone };
}

function setUp(options: { ttlMs?: number; maxEntries?: number } = {}) {
  let clock = 0;
  const cache = new TenantConfigCache({ ...options, clock: () => clock });
  cache.setListening(true);
  let loads = 0;
  const load =
    (zone = 'Asia/Shanghai') =>
    () => {
      loads++;
      return Promise.resolve(config(zone));
    };
  return { cache, load, loads: () => loads, advance: (ms: number) => (clock += ms) };
}

describe('TenantConfigCache', () => {
  it('loads once, then serves from memory until the TTL passes', async () => {
    const { cache, load, loads, advance } = setUp({ ttlMs: 30_000 });
    await cache.get('t1', load());
    await cache.get('t1', load());
    expect(loads()).toBe(1);
    advance(29_999);
    await cache.get('t1', load());
    expect(loads()).toBe(1);
    advance(1);
    await cache.get('t1', load());
    expect(loads()).toBe(2);
  });

  it('drops only the invalidated tenant', async () => {
    const { cache, load, loads } = setUp();
    await cache.get('t1', load());
    await cache.get('t2', load());
    cache.invalidate('t1');
    expect(cache.holds('t1')).toBe(false);
    expect(cache.holds('t2')).toBe(true);
    expect((await cache.get('t1', load('UTC'))).timeZone).toBe('UTC');
    expect(loads()).toBe(3);
  });

  it('never serves nor keeps anything while the listener is down', async () => {
    const { cache, load, loads } = setUp();
    await cache.get('t1', load());
    cache.setListening(false);
    expect(cache.size).toBe(0);
    await cache.get('t1', load());
    await cache.get('t1', load());
    expect(loads()).toBe(3);
    expect(cache.size).toBe(0);
  });

  it('does not keep a load that overlapped an invalidation (it may hold the old configuration)', async () => {
    const { cache } = setUp();
    let finish!: (c: TenantConfig) => void;
    const pending = cache.get('t1', () => new Promise<TenantConfig>((resolve) => (finish = resolve)));
    cache.invalidate('t1');
    finish(config('old'));
    expect((await pending).timeZone).toBe('old');
    expect(cache.holds('t1')).toBe(false);
  });

  it('keeps a load when only another tenant changed meanwhile', async () => {
    const { cache } = setUp();
    let finish!: (c: TenantConfig) => void;
    const pending = cache.get('t1', () => new Promise<TenantConfig>((resolve) => (finish = resolve)));
    cache.invalidate('t2');
    finish(config('UTC'));
    await pending;
    expect(cache.holds('t1')).toBe(true);
  });

  it('is bounded: the least recently used tenant goes first', async () => {
    const { cache, load } = setUp({ maxEntries: 2 });
    await cache.get('t1', load());
    await cache.get('t2', load());
    await cache.get('t1', load());
    await cache.get('t3', load());
    expect(cache.size).toBe(2);
    expect(cache.holds('t1')).toBe(true);
    expect(cache.holds('t2')).toBe(false);
    expect(cache.holds('t3')).toBe(true);
  });
});
