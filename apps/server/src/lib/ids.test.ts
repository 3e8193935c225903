import { describe, expect, it } from 'vitest';
import { isUuid, uuidv7 } from './ids.ts';

describe('uuidv7', () => {
  it('makes distinct, well-formed, time-ordered v7 ids across many entropy refills', () => {
    const ids = Array.from({ length: 2_000 }, (_, i) => uuidv7(1_700_000_000_000 + Math.floor(i / 3)));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
    }
    expect([...ids].sort()).toEqual(ids);
  });

  it('uses fresh random bits for every id (no two ids share their random tail)', () => {
    const tails = Array.from({ length: 1_000 }, () => uuidv7(1_800_000_000_000).slice(19));
    expect(new Set(tails).size).toBe(tails.length);
  });
});
