import { isUuid } from '../../lib/ids.ts';

/**
 * Session cookies and API tokens carry their tenant id in clear beside the secret, so that every lookup is
 * keyed by tenant (the tenant leads every index). The secret alone is stored, hashed.
 */
export const SESSION_COOKIE = 'peakdesk_session';
export const CSRF_COOKIE = 'peakdesk_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const TOKEN_PREFIX = 'pdk';

function compactUuid(id: string): string {
  return id.replaceAll('-', '');
}

function expandUuid(hex: string): string | null {
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return isUuid(id) ? id : null;
}

export function formatSessionCookie(tenantId: string, secret: string): string {
  return `${compactUuid(tenantId)}.${secret}`;
}

export function parseSessionCookie(value: string): { tenantId: string; secret: string } | null {
  const dot = value.indexOf('.');
  if (dot < 0) return null;
  const tenantId = expandUuid(value.slice(0, dot));
  const secret = value.slice(dot + 1);
  return tenantId && secret.length >= 32 ? { tenantId, secret } : null;
}

export function formatApiToken(tenantId: string, secret: string): string {
  return `${TOKEN_PREFIX}_${compactUuid(tenantId)}_${secret}`;
}

export function parseApiToken(value: string): { tenantId: string; secret: string } | null {
  const match = /^pdk_([0-9a-f]{32})_([A-Za-z0-9_-]{32,})$/.exec(value);
  if (!match) return null;
  const tenantId = expandUuid(match[1]!);
  return tenantId ? { tenantId, secret: match[2]! } : null;
}
