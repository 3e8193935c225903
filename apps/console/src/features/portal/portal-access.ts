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

const key = (shop: string) => `peakdesk.portal.${shop}`;

export const portalStorage = {
  read(shop: string): string | null {
    return localStorage.getItem(key(shop));
  },
  write(shop: string, token: string): void {
    localStorage.setItem(key(shop), token);
  },
  clear(shop: string): void {
    localStorage.removeItem(key(shop));
  },
};
