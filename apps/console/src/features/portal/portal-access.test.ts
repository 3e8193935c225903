import { describe, expect, it } from 'vitest';
import {
  accessLink,
  isPortalPath,
  MAX_TOKENS,
  parsePortalPath,
  parseStoredTokens,
  tokenFromFragment,
  withToken,
} from './portal-access.ts';

const TOKEN = `pdp_${'a'.repeat(32)}_${'b'.repeat(32)}_${'C'.repeat(43)}`;

describe('portal places and access links', () => {
  it.each([
    ['/portal', { shop: null }],
    ['/portal/', { shop: null }],
    ['/portal/demo', { shop: 'demo' }],
    ['/portal/acme-2/', { shop: 'acme-2' }],
    ['/portal/Demo', null],
    ['/portal/demo/tickets', null],
    ['/admin', null],
  ])('reads %s', (path, place) => {
    expect(parsePortalPath(path)).toEqual(place);
  });

  it('tells portal paths from the console', () => {
    expect(isPortalPath('/portal/demo')).toBe(true);
    expect(isPortalPath('/portals')).toBe(false);
    expect(isPortalPath('/')).toBe(false);
  });

  it('takes the token from the fragment only when it looks like one', () => {
    expect(tokenFromFragment(`#access=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromFragment('#access=pdk_x')).toBeNull();
    expect(tokenFromFragment('')).toBeNull();
  });

  it('builds a link whose token stays in the fragment', () => {
    expect(accessLink('https://help.example', 'demo', TOKEN)).toBe(
      `https://help.example/portal/demo#access=${TOKEN}`,
    );
  });

  it('keeps one token per ticket opened on this device, newest first, without repeats', () => {
    const other = TOKEN.replace('C', 'D');
    expect(withToken([TOKEN], other)).toEqual([other, TOKEN]);
    expect(withToken([other, TOKEN], TOKEN)).toEqual([TOKEN, other]);
    const many = Array.from({ length: MAX_TOKENS }, (_, i) => `pdp_${i}`);
    expect(withToken(many, TOKEN)).toHaveLength(MAX_TOKENS);
  });

  it('reads what was stored, including a single token from an earlier version, and ignores junk', () => {
    expect(parseStoredTokens(null)).toEqual([]);
    expect(parseStoredTokens(TOKEN)).toEqual([TOKEN]);
    expect(parseStoredTokens(JSON.stringify([TOKEN, 3, 'x']))).toEqual([TOKEN]);
    expect(parseStoredTokens('{not json')).toEqual([]);
  });
});
