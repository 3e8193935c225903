/**
 * Where the customer's portal access token lives in the browser: handed over in the link's fragment
 * (`/portal/<shop>#access=pdp_…`, never sent to the server or in a Referer), then kept in localStorage per
 * shop so that the customer comes back to their tickets. Pure helpers plus a thin storage wrapper.
 */

export interface PortalPlace {
  /** The shop (tenant slug), or null at `/portal`. */
  shop: string | null;
}

export function parsePortalPath(path: string): PortalPlace | null {
  const match = /^\/portal(?:\/([a-z0-9][a-z0-9-]*))?\/?$/.exec(path);
  if (!match) return null;
  return { shop: match[1] ?? null };
}

export function isPortalPath(path: string): boolean {
  return path === '/portal' || path.startsWith('/portal/');
}

export function tokenFromFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('access');
  return token && /^pdp_[A-Za-z0-9_-]{40,300}$/.test(token) ? token : null;
}

/** The link a customer keeps (or receives by email) to come back to their tickets. */
export function accessLink(origin: string, shop: string, token: string): string {
  return `${origin}/portal/${shop}#access=${token}`;
}

/** The tokens kept for a shop, newest first: one per ticket opened here, plus any link followed. */
export function parseStoredTokens(raw: string | null): string[] {
  if (!raw) return [];
  if (raw.startsWith('pdp_')) return [raw];
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value)
      ? value.filter((t): t is string => typeof t === 'string' && t.startsWith('pdp_'))
      : [];
  } catch {
    return [];
  }
}

export const MAX_TOKENS = 20;

export function withToken(tokens: readonly string[], token: string): string[] {
  return [token, ...tokens.filter((t) => t !== token)].slice(0, MAX_TOKENS);
}

const key = (shop: string) => `peakdesk.portal.${shop}`;

export const portalStorage = {
  read(shop: string): string[] {
    return parseStoredTokens(localStorage.getItem(key(shop)));
  },
  add(shop: string, token: string): string[] {
    const tokens = withToken(portalStorage.read(shop), token);
    localStorage.setItem(key(shop), JSON.stringify(tokens));
    return tokens;
  },
  clear(shop: string): void {
    localStorage.removeItem(key(shop));
  },
};
