import { describe, expect, it } from 'vitest';
import { arrivalSeries } from './floor-stats.service.ts';

describe('arrivalSeries', () => {
  const start = new Date('2026-11-11T04:00:30Z');
  const minute = (m: number) => new Date(Date.UTC(2026, 10, 11, 4, m));

  it('puts each minute in its slot, oldest first, a series per category', () => {
    const s = arrivalSeries(
      [
        { minute: minute(1), category: 'refund', count: 2 },
        { minute: minute(3), category: 'refund', count: 1 },
        { minute: minute(3), category: null, count: 4 },
      ],
      start,
      3,
    );
    expect(s.minutes).toEqual([minute(1), minute(2), minute(3)].map((d) => d.toISOString()));
    expect(s.series).toEqual([
      { category: 'other', counts: [0, 0, 4] },
      { category: 'refund', counts: [2, 0, 1] },
    ]);
  });

  it('drops rows outside the window', () => {
    const s = arrivalSeries([{ minute: minute(0), category: 'refund', count: 9 }], start, 3);
    expect(s.series).toEqual([]);
  });
});
