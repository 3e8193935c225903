import { describe, expect, it } from 'vitest';
import { hoursToText, textToHours } from './calendar-hours.ts';

describe('calendar hours in the form', () => {
  it('reads windows per weekday and leaves empty days closed', () => {
    expect(textToHours({ '1': '09:00-12:00, 13:00–18:00', '6': ' 10:00 - 16:00 ', '0': '' })).toEqual({
      '1': [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '18:00' },
      ],
      '6': [{ start: '10:00', end: '16:00' }],
    });
  });

  it('refuses a window it cannot read', () => {
    expect(textToHours({ '1': '9 to 5' })).toBeNull();
  });

  it('round-trips what the API stores, and shows nothing per day for a 24/7 calendar', () => {
    const hours = { '2': [{ start: '00:00', end: '24:00' }] };
    expect(textToHours(hoursToText(hours))).toEqual(hours);
    expect(hoursToText('always')).toEqual({});
  });
});
