import { ShopError } from './errors.ts';
import type { VSummary } from './vendure.mapping.ts';

/**
 * Keyset paging over `orders(filter: { updatedAt: { after } }, sort: { updatedAt: ASC })` for reconciliation.
 *
 * Vendure stores times to the second, so many orders share one `updatedAt`, and it cannot sort by a second key
 * in a chosen order (GraphQL applies sort fields in schema order, `id` first). The cursor therefore holds the
 * last time returned and the ids returned at exactly that time; the next page starts at that time and leaves
 * those ids out. An order changed while paging moves to a later time and comes again: at least once, never
 * skipped. The cursor grows with the number of orders changed within one second.
 */
export interface ChangeCursor {
  after: string;
  seen: string[];
}

export type FetchChanges = (
  afterExclusive: string,
  take: number,
) => Promise<{ items: VSummary[]; totalItems: number }>;

export async function pageOfChanges(
  since: string,
  cursor: string | undefined,
  limit: number,
  fetchChanges: FetchChanges,
): Promise<{ items: VSummary[]; nextCursor?: string }> {
  const sinceMs = Date.parse(since);
  if (!cursor && Number.isNaN(sinceMs)) throw new ShopError('INVALID_REQUEST', `not a time: ${since}`);
  // From the whole second, so that a change earlier in the second `since` falls in is not missed.
  const position = cursor
    ? decodeChangeCursor(cursor)
    : { after: new Date(Math.floor(sinceMs / 1000) * 1000).toISOString(), seen: [] };
  const seen = new Set(position.seen);
  const result = await fetchChanges(
    new Date(Date.parse(position.after) - 1).toISOString(),
    limit + position.seen.length,
  );
  const unseen = result.items.filter((o) => !(o.updatedAt === position.after && seen.has(o.id)));
  const items = unseen.slice(0, limit);
  const last = items[items.length - 1];
  if (!last) return { items: [] };
  const atLast = items.filter((o) => o.updatedAt === last.updatedAt).map((o) => o.id);
  const next: ChangeCursor = {
    after: last.updatedAt,
    seen: last.updatedAt === position.after ? [...position.seen, ...atLast] : atLast,
  };
  const skipped = result.items.length - unseen.length;
  const more = skipped + items.length < result.totalItems;
  return { items, ...(more ? { nextCursor: encodeChangeCursor(next) } : {}) };
}

export function encodeChangeCursor(cursor: ChangeCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeChangeCursor(cursor: string): ChangeCursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as ChangeCursor;
    if (
      typeof parsed.after === 'string' &&
      !Number.isNaN(Date.parse(parsed.after)) &&
      Array.isArray(parsed.seen) &&
      parsed.seen.every((id) => typeof id === 'string')
    ) {
      return parsed;
    }
  } catch {
    // answered below
  }
  throw new ShopError('INVALID_REQUEST', 'not a cursor of this adapter');
}
