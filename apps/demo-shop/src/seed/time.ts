const HOUR = 3_600_000;
export const MINUTE = 60_000;
export { HOUR };
export const DAY = 24 * HOUR;

/** Epoch ms of a wall-clock time in China (UTC+8, no daylight saving). */
export function cst(year: number, month: number, day: number, hour = 0, minute = 0): number {
  return Date.UTC(year, month - 1, day, hour - 8, minute);
}

/** "20261111" for an epoch ms, in China time. */
export function cstDateKey(ms: number): string {
  return new Date(ms + 8 * HOUR).toISOString().slice(0, 10).replaceAll('-', '');
}

export const DOUBLE11 = {
  name: '双11',
  startsAt: cst(2026, 11, 1),
  endsAt: cst(2026, 11, 12),
  flashStartsAt: cst(2026, 11, 11, 0),
  flashEndsAt: cst(2026, 11, 11, 2),
} as const;

export const ENCORE = { name: '双11返场', startsAt: cst(2026, 11, 18), endsAt: cst(2026, 11, 26) } as const;
