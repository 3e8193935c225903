import { describe, expect, it } from 'vitest';
import { corpusLines } from '../../../bench/intake-corpus.ts';
import { AppError } from '../../errors.ts';
import {
  compareIdentity,
  hasUnstorableText,
  normaliseTags,
  prepareNewTicket,
  subjectFromBody,
  type NewTicketInput,
} from './new-ticket.ts';

const base: NewTicketInput = { body: '我的订单还没发货', channel: 'web', customer: { email: 'a@b.cn' } };

describe('subjectFromBody', () => {
  it.each([
    ['short', 'short'],
    ['  two\n lines  ', 'two lines'],
    ['字'.repeat(60), '字'.repeat(60)],
    ['字'.repeat(61), `${'字'.repeat(60)}…`],
    [`${'a'.repeat(59)} bcd`, `${'a'.repeat(59)}…`],
    ['𠀀'.repeat(60), '𠀀'.repeat(60)],
    [`${'𠀀'.repeat(59)}好𠀀`, `${'𠀀'.repeat(59)}好…`],
    [`${'a'.repeat(59)}\ud840`, `${'a'.repeat(59)}\ud840`],
    [`${'a'.repeat(59)}\udc00\ud840x`, `${'a'.repeat(59)}\udc00…`],
  ])('%j → %j', (body, subject) => {
    expect(subjectFromBody(body)).toBe(subject);
  });

  it('cuts where spreading the body into characters would, on the intake bench bodies', () => {
    const spread = (body: string) => {
      const chars = [...body.replace(/\s+/g, ' ').trim()];
      return chars.length <= 60 ? chars.join('') : `${chars.slice(0, 60).join('').trimEnd()}…`;
    };
    for (const line of corpusLines(2000)) {
      const { body } = JSON.parse(line) as { body: string };
      for (const text of [body, body.slice(1), ` ${body.slice(3, 70)}  ${body}`]) {
        expect(subjectFromBody(text)).toBe(spread(text));
      }
    }
  });
});

describe('prepareNewTicket', () => {
  it('defaults subject, priority, tags and fields', () => {
    const prepared = prepareNewTicket({ ...base, tags: [' vip ', 'vip', '', '双11'] });
    expect(prepared).toMatchObject({
      subject: '我的订单还没发货',
      priority: 'normal',
      tags: ['vip', '双11'],
      fields: {},
      teamId: null,
      identity: { kind: 'email', value: 'a@b.cn' },
    });
  });

  it.each<[string, NewTicketInput, string]>([
    ['no identity', { ...base, customer: { name: '张三' } }, 'customer'],
    ['a blank body', { ...base, body: ' \n ' }, 'body'],
    ['a NUL byte', { ...base, body: 'a\u0000b' }, 'body'],
    ['a lone surrogate in fields', { ...base, fields: { x: '\uD800' } }, 'body'],
  ])('refuses %s', (_name, input, field) => {
    const result = prepareNewTicket(input);
    expect(result).toBeInstanceOf(AppError);
    expect((result as AppError).extra).toEqual({ field });
  });
});

describe('helpers', () => {
  it('keeps paired surrogates (emoji) storable', () => {
    expect(hasUnstorableText({ a: ['好 😀'] })).toBe(false);
    expect(hasUnstorableText({ ['k\u0000']: 1 })).toBe(true);
  });

  it('normalises tags', () => {
    expect(normaliseTags(['b', ' a', 'b ', 'a'])).toEqual(['b', 'a']);
  });

  it('orders identities by kind then value', () => {
    const keys = [
      { kind: 'phone', value: '1' },
      { kind: 'email', value: 'b' },
      { kind: 'email', value: 'a' },
    ] as const;
    expect([...keys].sort(compareIdentity).map((k) => k.value)).toEqual(['a', 'b', '1']);
  });
});
