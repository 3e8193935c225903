import { describe, expect, it } from 'vitest';
import { formatPortalToken, linkExpiry, parsePortalToken } from './portal-link.ts';

const tenantId = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const linkId = '0193a1b2-c3d4-7e5f-9a9b-0c1d2e3f4a5c';
const secret = 'Abc_def-0123456789abcdefghijklmnopqrstuvwxyzAB';

describe('portal tokens', () => {
  it('round-trips tenant, link and secret', () => {
    const text = formatPortalToken({ tenantId, linkId, secret });
    expect(text.startsWith('pdp_0193a1b2c3d4')).toBe(true);
    expect(parsePortalToken(text)).toEqual({ tenantId, linkId, secret });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['an API token', `pdk_${tenantId.replaceAll('-', '')}_${secret}`],
    ['a short secret', formatPortalToken({ tenantId, linkId, secret: 'short' })],
    ['a bad tenant id', `pdp_${'z'.repeat(32)}_${linkId.replaceAll('-', '')}_${secret}`],
    ['a secret with other characters', formatPortalToken({ tenantId, linkId, secret: `${secret}!` })],
  ])('refuses %s', (_, value) => {
    expect(parsePortalToken(value)).toBeNull();
  });

  it('lets a ticket link live 30 days and an emailed customer link 7', () => {
    const now = new Date('2026-11-11T00:00:00Z');
    expect(linkExpiry(now, 'ticket').toISOString()).toBe('2026-12-11T00:00:00.000Z');
    expect(linkExpiry(now, 'customer').toISOString()).toBe('2026-11-18T00:00:00.000Z');
  });
});
