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
