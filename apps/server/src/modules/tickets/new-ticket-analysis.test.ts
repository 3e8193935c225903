import { describe, expect, it } from 'vitest';
import { classifyTicket } from '../classifier/classifier.ts';
import { detectLanguage } from '../classifier/language.ts';
import { analyseNewTicket } from './new-ticket-decisions.ts';

// Intake analyses a ticket before its group commit; it must say exactly what the in-transaction path said.
describe('analyseNewTicket', () => {
  it.each([
    ['退款', '我申请退款三天了钱还没退回来，什么时候到账？', 'zh'],
    ['Where is my parcel', 'It has not arrived after ten days, tracking shows nothing.', 'en'],
    ['12345', '12345', null],
  ])('%s', (subject, body, language) => {
    const analysis = analyseNewTicket({ subject, body });
    const text = `${subject}\n${body}`;
    expect(analysis).toEqual({ ...classifyTicket(text), language: detectLanguage(text) });
    expect(analysis.language).toBe(language);
  });
});
