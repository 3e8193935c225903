import { AppError } from '../errors.ts';
import { isUuid } from '../lib/ids.ts';

/**
 * Keyset pagination by id for lists ordered by their (time-ordered, UUIDv7) id: the cursor is the last id
 * of the previous page. Repositories fetch `limit + 1` rows so that the page knows whether more follow.
 */
export function parseIdCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  if (!isUuid(cursor)) throw new AppError('INVALID_CURSOR');
  return cursor.toLowerCase();
}

export function pageOf<T extends { id: string }>(
  rows: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}
