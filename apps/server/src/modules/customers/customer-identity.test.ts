import { describe, expect, it } from 'vitest';
import { identityKeys, normalisePhone } from './customer-identity.ts';

describe('customer identities', () => {
  it.each([
    ['13800000001', '13800000001'],
    ['+86 138-0000-0001', '13800000001'],
    ['008613800000001', '13800000001'],
    ['(021) 6234 5678', '02162345678'],
    ['+1 415 555 0100', '14155550100'],
  ])('normalisePhone(%s) = %s', (input, expected) => expect(normalisePhone(input)).toBe(expected));

  it('orders keys strongest first and skips what is missing', () => {
    expect(
      identityKeys({
        email: ' Li@Example.COM ',
        phone: '138 0000 0001',
        platform: 'Taobao',
        externalId: 'tb_42',
      }),
    ).toEqual([
      { kind: 'platform', value: 'taobao:tb_42' },
      { kind: 'email', value: 'li@example.com' },
      { kind: 'phone', value: '13800000001' },
    ]);
    expect(identityKeys({ name: 'only a name', platform: 'taobao' })).toEqual([]);
  });
});
