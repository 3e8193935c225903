import { describe, expect, it } from 'vitest';
import { startOfDayIn } from './time-zone.ts';

describe('startOfDayIn', () => {
  const cases = [
    { zone: 'Asia/Shanghai', now: '2026-11-11T15:59:59Z', start: '2026-11-10T16:00:00.000Z' },
    { zone: 'Asia/Shanghai', now: '2026-11-11T16:00:00Z', start: '2026-11-11T16:00:00.000Z' },
    { zone: 'UTC', now: '2026-11-11T23:59:00Z', start: '2026-11-11T00:00:00.000Z' },
    { zone: 'America/New_York', now: '2026-11-01T12:00:00Z', start: '2026-11-01T04:00:00.000Z' },
    { zone: 'America/New_York', now: '2026-11-02T03:00:00Z', start: '2026-11-01T04:00:00.000Z' },
  ];
  it.each(cases)('$zone at $now: the day began $start', ({ zone, now, start }) => {
    expect(startOfDayIn(zone, new Date(now)).toISOString()).toBe(start);
  });
});
