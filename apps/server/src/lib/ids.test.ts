import { describe, expect, it } from 'vitest';
import { isUuid, uuidv7, uuidv7Floor } from './ids.ts';

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

describe('uuidv7Floor', () => {
  it('sorts after every id of earlier milliseconds and before or at every id of its own and later ones', () => {
    // Later than the other tests' clocks: uuidv7 never goes back in time within a process.
    const ms = 1_900_000_000_123;
    const floor = uuidv7Floor(ms);
    expect(isUuid(floor)).toBe(true);
    for (let at = ms - 200; at < ms + 200; at++) {
      for (let k = 0; k < 3; k++) expect(uuidv7(at) < floor).toBe(at < ms);
    }
  });
});
