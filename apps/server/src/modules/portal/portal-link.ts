import { isUuid } from '../../lib/ids.ts';

/**
 * A portal access token: `pdp_<tenant id>_<link id>_<secret>` (ids as 32 hex digits). The ids travel in
 * clear so the lookup is one primary-key read keyed by tenant; only the secret's hash is stored. Pure.
 */
export interface PortalToken {
  tenantId: string;
  linkId: string;
  secret: string;
}

/** A link opened with a new ticket covers that ticket; one asked for by email covers all the customer's. */
export const TICKET_LINK_TTL_DAYS = 30;
export const CUSTOMER_LINK_TTL_DAYS = 7;

const compact = (id: string) => id.replaceAll('-', '');

function expand(hex: string): string | null {
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return isUuid(id) ? id : null;
}

export function formatPortalToken(token: PortalToken): string {
  return `pdp_${compact(token.tenantId)}_${compact(token.linkId)}_${token.secret}`;
}

export function parsePortalToken(value: string | undefined): PortalToken | null {
  const match = /^pdp_([0-9a-f]{32})_([0-9a-f]{32})_([A-Za-z0-9_-]{32,128})$/.exec(value?.trim() ?? '');
  if (!match) return null;
  const tenantId = expand(match[1]!);
  const linkId = expand(match[2]!);
  return tenantId && linkId ? { tenantId, linkId, secret: match[3]! } : null;
}

export function linkExpiry(now: Date, scope: 'ticket' | 'customer'): Date {
  const days = scope === 'ticket' ? TICKET_LINK_TTL_DAYS : CUSTOMER_LINK_TTL_DAYS;
  return new Date(now.getTime() + days * 86_400_000);
}
