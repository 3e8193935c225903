/** Business-calendar hours as the form edits them (`09:00-18:00, 19:00-22:00` per weekday) and as the API takes them. Pure. */

export type Hours = 'always' | Record<string, Array<{ start: string; end: string }>>;
/** Weekday keys as the API numbers them: 0 = Sunday … 6 = Saturday. */
export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '0'] as const;

const WINDOW = /^(\d{2}:\d{2})\s*[-–~]\s*(\d{2}:\d{2})$/;

export function hoursToText(hours: Hours): Record<string, string> {
  if (hours === 'always') return {};
  return Object.fromEntries(
    WEEKDAYS.map((day) => [day, (hours[day] ?? []).map((w) => `${w.start}-${w.end}`).join(', ')]),
  );
}

/** Null when a window is not `HH:MM-HH:MM`; days left empty are closed. */
export function textToHours(text: Record<string, string | undefined>): Hours | null {
  const hours: Record<string, Array<{ start: string; end: string }>> = {};
  for (const day of WEEKDAYS) {
    const windows = [];
    for (const part of (text[day] ?? '')
      .split(/[,，]/)
      .map((p) => p.trim())
      .filter(Boolean)) {
      const match = WINDOW.exec(part);
      if (!match) return null;
      windows.push({ start: match[1]!, end: match[2]! });
    }
    if (windows.length) hours[day] = windows;
  }
  return hours;
}
