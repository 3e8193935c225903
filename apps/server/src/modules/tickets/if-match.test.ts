import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { etagOf, parseIfMatch } from './if-match.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'OTHER';
  }
}

describe('parseIfMatch', () => {
  it.each([
    ['3', 3],
    ['"3"', 3],
    ['W/"3"', 3],
    [' "17" ', 17],
    ['2147483647', 2147483647],
  ])('reads %j as version %i', (header, version) => {
    expect(parseIfMatch(header)).toBe(version);
  });

  it.each([
    [undefined, 'PRECONDITION_REQUIRED'],
    ['', 'PRECONDITION_REQUIRED'],
    ['   ', 'PRECONDITION_REQUIRED'],
    ['*', 'VERSION_MISMATCH'],
    ['"abc"', 'VERSION_MISMATCH'],
    ['"3', 'VERSION_MISMATCH'],
    ['0', 'VERSION_MISMATCH'],
    ['-1', 'VERSION_MISMATCH'],
    ['"1", "2"', 'VERSION_MISMATCH'],
    ['99999999999', 'VERSION_MISMATCH'],
    ['w/"3"', 'VERSION_MISMATCH'],
  ])('refuses %j with %s', (header, code) => {
    expect(codeOf(() => parseIfMatch(header))).toBe(code);
  });

  it('round-trips its own ETag', () => {
    expect(parseIfMatch(etagOf(42))).toBe(42);
  });
});
