import { describe, expect, it } from 'vitest';
import type { NewTicketInput } from '../tickets/new-ticket.ts';
import { withOrderFromText } from './order-intake.ts';

const base: NewTicketInput = { body: '没有订单号', channel: 'web', customer: { email: 'a@example.cn' } };

describe('withOrderFromText', () => {
  it.each<[string, NewTicketInput, Partial<NewTicketInput> | null]>([
    ['leaves a ticket without an order alone', base, null],
    [
      'takes the order number quoted in the body',
      { ...base, body: '订单 DS202611110000123 还没到' },
      { orderNumber: 'DS202611110000123', customer: { email: 'a@example.cn' } },
    ],
    [
      'keeps the order number the sender gave over one in the text',
      { ...base, body: '订单 DS202611110000123', orderNumber: ' 3726159048271635281 ' },
      { orderNumber: '3726159048271635281' },
    ],
    [
      'names a customer by the order when the ticket names none',
      { ...base, customer: { name: '买家' }, orderNumber: 'DS202611110000123' },
      { customer: { name: '买家', platform: 'order', externalId: 'DS202611110000123' } },
    ],
  ])('%s', (_name, input, expected) => {
    const result = withOrderFromText(input);
    if (expected === null) expect(result).toBe(input);
    else expect(result).toMatchObject(expected);
  });
});
