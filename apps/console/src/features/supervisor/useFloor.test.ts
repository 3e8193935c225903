import { describe, expect, it } from 'vitest';
import { formatDuration } from './useFloor.ts';

describe('formatDuration', () => {
  it.each([
    [null, '—'],
    [0, '0s'],
    [59, '59s'],
    [250, '4m 10s'],
    [3600, '1h 00m'],
    [7500, '2h 05m'],
  ])('%s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
