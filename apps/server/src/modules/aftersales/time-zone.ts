/** Milliseconds the zone's wall clock is ahead of UTC at `at` (pure; Intl does the zone rules). */
function offsetMs(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant the calendar day containing `now` began in `timeZone` (daily caps count from here). */
export function startOfDayIn(timeZone: string, now: Date): Date {
  const local = new Date(now.getTime() + offsetMs(timeZone, now));
  const midnightWall = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  // The offset at midnight itself may differ from now's (a DST change during the day).
  const guess = midnightWall - offsetMs(timeZone, new Date(midnightWall - offsetMs(timeZone, now)));
  return new Date(guess);
}
