import { describe, expect, it } from 'vitest';
import { formatApiToken, formatSessionCookie, parseApiToken, parseSessionCookie } from './credentials.ts';

const TENANT = '01a21370-a780-7544-9527-0e7fae573872';
const SECRET = 'mCMyrWkGCkEkm9Qnpbs7QQYNdDf0TJhtRO9FGWQLQec';

describe('credentials', () => {
  it('round-trips a session cookie', () => {
    expect(parseSessionCookie(formatSessionCookie(TENANT, SECRET))).toEqual({
      tenantId: TENANT,
      secret: SECRET,
    });
  });
  it('round-trips an API token', () => {
    const token = formatApiToken(TENANT, SECRET);
    expect(token).toMatch(/^pdk_[0-9a-f]{32}_/);
    expect(parseApiToken(token)).toEqual({ tenantId: TENANT, secret: SECRET });
  });
  it.each([
    '',
    'pdk_',
    `pdk_${'z'.repeat(32)}_${SECRET}`,
    `pdk_01a21370a780754495270e7fae573872_short`,
    'Bearer x',
  ])('rejects the malformed token %j', (value) => expect(parseApiToken(value)).toBeNull());
  it.each(['', 'nodot', `01a21370a780754495270e7fae573872.short`, `xyz.${SECRET}`])(
    'rejects the malformed cookie %j',
    (value) => expect(parseSessionCookie(value)).toBeNull(),
  );
});
