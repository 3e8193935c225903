import { AppError } from '../../errors.ts';
import { isUuid } from '../../lib/ids.ts';

export type TicketSort = '-createdAt' | 'nextDueAt';

/**
 * Where a keyset page ends: the sort it belongs to, the sort key of the last row and its id. The key is
 * PostgreSQL's own microsecond timestamp (`2026-11-11T08:00:00.123456Z`), not a JS Date, so that rows
 * written with microseconds (COPY, now()) are neither skipped nor repeated. `key` is null for a row without
 * a due time (those come last in queue order).
 */
export interface Cursor {
  sort: TicketSort;
  key: string | null;
  id: string;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z$/;

/** A microsecond UTC timestamp as written by `to_char(…, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, checked for real. */
export function isCursorTimestamp(value: string): boolean {
  const match = TIMESTAMP.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  if (year < 1970 || year > 9999) return false;
  const millis = value.slice(0, 23) + 'Z';
  const date = new Date(millis);
  return !Number.isNaN(date.getTime()) && date.toISOString() === millis;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id]), 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor for the same sort; anything else is 400 INVALID_CURSOR. */
export function decodeCursor(text: string, sort: TicketSort): Cursor {
  const invalid = () => new AppError('INVALID_CURSOR', 'Start again without a cursor');
  if (text.length > 200 || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid();
  const [cursorSort, key, id] = parsed as unknown[];
  if (cursorSort !== sort) {
    throw new AppError('INVALID_CURSOR', 'The cursor belongs to another sort order');
  }
  if (typeof id !== 'string' || !isUuid(id)) throw invalid();
  if (key === null) {
    if (sort === '-createdAt') throw invalid();
  } else if (typeof key !== 'string' || !isCursorTimestamp(key)) {
    throw invalid();
  }
  return { sort, key, id };
}
