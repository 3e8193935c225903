import { beforeEach, describe, expect, it } from 'vitest';
import { PrincipalCache, type CachedPrincipal } from './principal-cache.ts';

const T0 = Date.UTC(2026, 10, 11, 0, 0, 0);

function principal(over: Partial<CachedPrincipal<string>> = {}): CachedPrincipal<string> {
  return { value: 'actor', tenantId: 't1', ids: ['user-1', 'token-1'], endsAtMs: null, ...over };
}

function listening(options = {}): PrincipalCache<string> {
  const cache = new PrincipalCache<string>({ ttlMs: 30_000, ...options });
  cache.setListening(true);
  return cache;
}

describe('PrincipalCache', () => {
  it.each([
    { case: 'fresh entry', entry: {}, at: T0 + 1_000, served: true },
    { case: 'past the TTL', entry: {}, at: T0 + 30_000, served: false },
    { case: 'credential ended', entry: { endsAtMs: T0 + 5_000 }, at: T0 + 5_000, served: false },
    { case: 'credential ends later', entry: { endsAtMs: T0 + 5_000 }, at: T0 + 4_999, served: true },
  ])('serves a $case: $served', ({ entry, at, served }) => {
    const cache = listening();
    cache.set('k', cache.ticket('t1'), principal(entry), T0);
    expect(cache.get('k', at)).toBe(served ? 'actor' : undefined);
  });

  it.each([
    { case: 'its user', tenantId: 't1', id: 'user-1', dropped: true },
    { case: 'its token', tenantId: 't1', id: 'token-1', dropped: true },
    { case: 'the whole tenant', tenantId: 't1', id: '*', dropped: true },
    { case: 'another user', tenantId: 't1', id: 'user-2', dropped: false },
    { case: 'the same id in another tenant', tenantId: 't2', id: 'user-1', dropped: false },
  ])('an invalidation naming $case drops the entry: $dropped', ({ tenantId, id, dropped }) => {
    const cache = listening();
    cache.set('k', cache.ticket('t1'), principal(), T0);
    cache.invalidate(tenantId, id);
    expect(cache.get('k', T0)).toBe(dropped ? undefined : 'actor');
  });

  it.each([
    { case: 'of its tenant', tenantId: 't1', stored: false },
    { case: 'of another tenant', tenantId: 't9', stored: true },
  ])('a read overtaken by an invalidation $case is stored: $stored', ({ tenantId, stored }) => {
    const cache = listening();
    const ticket = cache.ticket('t1');
    cache.invalidate(tenantId, 'someone');
    cache.set('k', ticket, principal(), T0);
    expect(cache.get('k', T0)).toBe(stored ? 'actor' : undefined);
  });

  it('does not store a read that a clear overtook', () => {
    const cache = listening();
    const ticket = cache.ticket('t1');
    cache.clear();
    cache.set('k', ticket, principal(), T0);
    expect(cache.get('k', T0)).toBeUndefined();
  });

  it('serves and stores nothing while not listening, and forgets everything when listening resumes', () => {
    const cache = new PrincipalCache<string>();
    expect(cache.ticket('t1')).toBeNull();
    cache.set('k', '0:0', principal(), T0);
    expect(cache.size).toBe(0);
    cache.setListening(true);
    cache.set('k', cache.ticket('t1'), principal(), T0);
    cache.setListening(false);
    expect(cache.get('k', T0)).toBeUndefined();
    cache.setListening(true);
    expect(cache.get('k', T0)).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = listening({ maxEntries: 2 });
    for (const key of ['a', 'b', 'c']) cache.set(key, cache.ticket('t1'), principal({ value: key }), T0);
    expect([cache.get('a', T0), cache.get('b', T0), cache.get('c', T0)]).toEqual([undefined, 'b', 'c']);
  });
});

/** A lookup that counts its calls and answers each only when the test says so. */
function fakeLookup() {
  const pending: Array<{ resolve: (p: CachedPrincipal<string> | null) => void; reject: (e: Error) => void }> =
    [];
  const lookup = () =>
    new Promise<CachedPrincipal<string> | null>((resolve, reject) => pending.push({ resolve, reject }));
  return {
    lookup,
    get calls() {
      return pending.length;
    },
    answer: (index: number, result: CachedPrincipal<string> | null) => pending[index]!.resolve(result),
    fail: (index: number) => pending[index]!.reject(new Error('database down')),
  };
}

/** Lets settled promises run their callbacks (no timers involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('PrincipalCache.resolve', () => {
  let now = T0;
  const clock = () => now;
  beforeEach(() => {
    now = T0;
  });

  it('gives concurrent misses of one key a single lookup', async () => {
    const cache = listening();
    const fake = fakeLookup();
    const requests = Array.from({ length: 50 }, () => cache.resolve('k', 't1', fake.lookup, clock));
    expect(fake.calls).toBe(1);
    fake.answer(0, principal());
    expect(await Promise.all(requests)).toEqual(Array(50).fill('actor'));
    expect(await cache.resolve('k', 't1', fake.lookup, clock)).toBe('actor');
    expect(fake.calls).toBe(1);
    expect(cache.inFlight).toBe(0);
  });

  it.each([
    { case: 'fresh', at: T0 + 23_999, refreshes: 0 },
    { case: 'in the last 20% of its TTL', at: T0 + 24_000, refreshes: 1 },
    { case: 'just before stale', at: T0 + 29_999, refreshes: 1 },
  ])(
    'serves an entry $case without waiting, with $refreshes background refresh',
    async ({ at, refreshes }) => {
      const cache = listening();
      cache.set('k', cache.ticket('t1'), principal(), T0);
      const fake = fakeLookup();
      now = at;
      // The lookup is never answered here: a request that waited for it would not finish.
      const served = await Promise.all(
        Array.from({ length: 20 }, () => cache.resolve('k', 't1', fake.lookup, clock)),
      );
      expect(served).toEqual(Array(20).fill('actor'));
      expect(fake.calls).toBe(refreshes);
    },
  );

  it('renews a busy entry in the background, so it never expires under load', async () => {
    const cache = listening();
    const fake = fakeLookup();
    const first = cache.resolve('k', 't1', fake.lookup, clock);
    fake.answer(0, principal({ value: 'v1' }));
    expect(await first).toBe('v1');
    now = T0 + 25_000;
    expect(await cache.resolve('k', 't1', fake.lookup, clock)).toBe('v1');
    expect(fake.calls).toBe(2);
    now = T0 + 26_000;
    fake.answer(1, principal({ value: 'v2' }));
    await settle();
    now = T0 + 40_000; // past the first entry's TTL, within the renewed one's
    expect(await cache.resolve('k', 't1', fake.lookup, clock)).toBe('v2');
    expect(fake.calls).toBe(2);
  });

  it.each([
    { case: 'its tenant', tenantId: 't1', stored: false, lookups: 2 },
    { case: 'another tenant', tenantId: 't9', stored: true, lookups: 1 },
  ])(
    'an invalidation of $case during a lookup: stored $stored, later requests share it: $stored',
    async ({ tenantId, stored, lookups }) => {
      const cache = listening();
      const fake = fakeLookup();
      const before = cache.resolve('k', 't1', fake.lookup, clock);
      cache.invalidate(tenantId, 'user-1');
      const after = cache.resolve('k', 't1', fake.lookup, clock);
      expect(fake.calls).toBe(lookups);
      fake.answer(0, principal({ value: 'old' }));
      if (lookups === 2) fake.answer(1, principal({ value: 'new' }));
      // The request that began before the notice may get the old state; the one after must not.
      expect(await before).toBe('old');
      expect(await after).toBe(stored ? 'old' : 'new');
      expect(cache.get('k', now)).toBe(stored ? 'old' : 'new');
    },
  );

  it('does not store a background refresh that an invalidation of the tenant overtook', async () => {
    const cache = listening();
    cache.set('k', cache.ticket('t1'), principal({ value: 'v1' }), T0);
    const fake = fakeLookup();
    now = T0 + 25_000;
    expect(await cache.resolve('k', 't1', fake.lookup, clock)).toBe('v1');
    cache.invalidate('t1', 'user-2'); // someone else: this entry stays, but the refresh may be stale
    fake.answer(0, principal({ value: 'v2' }));
    await settle();
    expect(cache.get('k', now)).toBe('v1');
    expect(cache.inFlight).toBe(0);
  });

  it('caches no failure: every waiter gets it, and the next request looks up again', async () => {
    const cache = listening();
    const fake = fakeLookup();
    const requests = Array.from({ length: 5 }, () => cache.resolve('k', 't1', fake.lookup, clock));
    fake.fail(0);
    for (const request of requests) await expect(request).rejects.toThrow('database down');
    expect(cache.size).toBe(0);
    expect(cache.inFlight).toBe(0);
    const retry = cache.resolve('k', 't1', fake.lookup, clock);
    expect(fake.calls).toBe(2);
    fake.answer(1, principal());
    expect(await retry).toBe('actor');
  });

  it('keeps serving an entry whose refresh failed, and the next request refreshes again', async () => {
    const cache = listening();
    cache.set('k', cache.ticket('t1'), principal(), T0);
    const fake = fakeLookup();
    now = T0 + 25_000;
    expect(await cache.resolve('k', 't1', fake.lookup, clock)).toBe('actor');
    fake.fail(0);
    await settle();
    expect(await cache.resolve('k', 't1', fake.lookup, clock)).toBe('actor');
    expect(fake.calls).toBe(2);
    expect(cache.stats.failures).toBe(1);
  });

  it('caches no invalid credential, and drops a cached one whose refresh finds it invalid', async () => {
    const cache = listening();
    const fake = fakeLookup();
    const bad = [
      cache.resolve('bad', 't1', fake.lookup, clock),
      cache.resolve('bad', 't1', fake.lookup, clock),
    ];
    fake.answer(0, null);
    expect(await Promise.all(bad)).toEqual([null, null]);
    const again = cache.resolve('bad', 't1', fake.lookup, clock);
    fake.answer(1, null);
    expect(await again).toBeNull();
    expect(fake.calls).toBe(2);

    cache.set('k', cache.ticket('t1'), principal(), T0);
    now = T0 + 25_000;
    expect(await cache.resolve('k', 't1', fake.lookup, clock)).toBe('actor');
    fake.answer(2, null);
    await settle();
    expect(cache.size).toBe(0);
  });

  it('stays within maxEntries, and random bad tokens leave nothing behind', async () => {
    const cache = listening({ maxEntries: 3 });
    const valid = Array.from({ length: 10 }, (_, i) =>
      cache.resolve(`ok-${i}`, 't1', () => Promise.resolve(principal({ value: `v${i}` })), clock),
    );
    const invalid = Array.from({ length: 100 }, (_, i) =>
      cache.resolve(`bad-${i}`, 't1', () => Promise.resolve(null), clock),
    );
    await Promise.all([...valid, ...invalid]);
    expect(cache.size).toBe(3);
    expect(cache.inFlight).toBe(0);
    expect(cache.get('ok-9', now)).toBe('v9');
  });

  it('shares nothing and stores nothing while not listening', async () => {
    const cache = new PrincipalCache<string>();
    const fake = fakeLookup();
    const requests = [
      cache.resolve('k', 't1', fake.lookup, clock),
      cache.resolve('k', 't1', fake.lookup, clock),
    ];
    expect(fake.calls).toBe(2);
    fake.answer(0, principal());
    fake.answer(1, principal());
    expect(await Promise.all(requests)).toEqual(['actor', 'actor']);
    expect(cache.size).toBe(0);
  });
});
