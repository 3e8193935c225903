import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { decodeCursor, encodeCursor, isCursorTimestamp, type Cursor } from './cursor.ts';

const ID = '0192f0c4-8a4b-7c3d-9e1f-0123456789ab';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'OTHER';
  }
}

const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('cursor', () => {
  it.each<Cursor>([
    { sort: '-createdAt', key: '2026-11-11T00:00:00.123456Z', id: ID },
    { sort: 'nextDueAt', key: '2026-11-11T08:30:00.000000Z', id: ID },
    { sort: 'nextDueAt', key: null, id: ID },
  ])('round-trips %o and is url-safe', (cursor) => {
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text, cursor.sort)).toEqual(cursor);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['an object', raw({ sort: '-createdAt' })],
    ['too short', raw(['-createdAt', '2026-11-11T00:00:00.000000Z'])],
    ['a bad id', raw(['-createdAt', '2026-11-11T00:00:00.000000Z', 'x'])],
    ['a numeric key', raw(['-createdAt', 5, ID])],
    ['a null createdAt key', raw(['-createdAt', null, ID])],
    ['an impossible date', raw(['-createdAt', '2026-02-31T00:00:00.000000Z', ID])],
    ['millisecond precision', raw(['-createdAt', '2026-11-11T00:00:00.000Z', ID])],
    ['another sort', raw(['nextDueAt', null, ID])],
    ['far too long', 'a'.repeat(500)],
  ])('refuses %s', (_name, text) => {
    expect(codeOf(() => decodeCursor(text, '-createdAt'))).toBe('INVALID_CURSOR');
  });

  it.each([
    ['2026-11-11T00:00:00.000000Z', true],
    ['1969-12-31T23:59:59.999999Z', false],
    ['2026-11-11 00:00:00.000000+00', false],
    ['2026-13-01T00:00:00.000000Z', false],
  ])('isCursorTimestamp(%j) is %s', (value, expected) => {
    expect(isCursorTimestamp(value)).toBe(expected);
  });
});
