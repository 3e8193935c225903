import { describe, expect, it } from 'vitest';
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
    cache.set('k', cache.ticket(), principal(entry), T0);
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
    cache.set('k', cache.ticket(), principal(), T0);
    cache.invalidate(tenantId, id);
    expect(cache.get('k', T0)).toBe(dropped ? undefined : 'actor');
  });

  it('does not store a read that an invalidation overtook', () => {
    const cache = listening();
    const ticket = cache.ticket();
    cache.invalidate('t9', 'someone');
    cache.set('k', ticket, principal(), T0);
    expect(cache.get('k', T0)).toBeUndefined();
  });

  it('serves and stores nothing while not listening, and forgets everything when listening resumes', () => {
    const cache = new PrincipalCache<string>();
    expect(cache.ticket()).toBeNull();
    cache.set('k', 0, principal(), T0);
    expect(cache.size).toBe(0);
    cache.setListening(true);
    cache.set('k', cache.ticket(), principal(), T0);
    cache.setListening(false);
    expect(cache.get('k', T0)).toBeUndefined();
    cache.setListening(true);
    expect(cache.get('k', T0)).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = listening({ maxEntries: 2 });
    for (const key of ['a', 'b', 'c']) cache.set(key, cache.ticket(), principal({ value: key }), T0);
    expect([cache.get('a', T0), cache.get('b', T0), cache.get('c', T0)]).toEqual([undefined, 'b', 'c']);
  });
});
