import { describe, expect, it } from 'vitest';
import { maskAddress, maskEmail, maskPhone, maskPiiInText } from './masking.ts';

describe('masking', () => {
  it.each([
    ['13800000001', '138****0001'],
    ['+8613800000001', '+86****0001'],
    ['12345', '***45'],
    ['7', '*'],
  ])('maskPhone(%s) = %s', (input, expected) => expect(maskPhone(input)).toBe(expected));

  it.each([
    ['zhang.san@example.com', 'z***@example.com'],
    ['a@b.cn', 'a***@b.cn'],
    ['not-an-email', '***'],
  ])('maskEmail(%s) = %s', (input, expected) => expect(maskEmail(input)).toBe(expected));

  it('keeps the region of an address and hides the rest', () => {
    expect(
      maskAddress({
        name: '张三',
        phone: '13912345678',
        province: '浙江省',
        city: '杭州市',
        district: '西湖区',
        line1: '文三路 100 号',
        postalCode: '310000',
      }),
    ).toEqual({
      name: '张**',
      phone: '139****5678',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      line1: '****',
      postalCode: '****',
    });
  });

  it.each([
    ['我的电话 13812345678，尽快联系', '我的电话 138****5678，尽快联系'],
    ['call 138-1234-5678 please', 'call 138****5678 please'],
    ['mail me: li.lei@example.com', 'mail me: l***@example.com'],
    ['订单号 202611110012345678 不是手机号', '订单号 202611110012345678 不是手机号'],
  ])('maskPiiInText(%s)', (input, expected) => expect(maskPiiInText(input)).toBe(expected));
});
