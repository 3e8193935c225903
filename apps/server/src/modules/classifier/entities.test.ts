import { describe, expect, it } from 'vitest';
import { extractEntities, type Entities } from './entities.ts';

const none: Entities = { orderNumbers: [], trackingNumbers: [], phoneNumbers: [], amounts: [] };

describe('extractEntities', () => {
  it.each<[string, Partial<Entities>]>([
    ['订单E20241111093021887催一下', { orderNumbers: ['E20241111093021887'] }],
    ['订单号：3726159048271635281', { orderNumbers: ['3726159048271635281'] }],
    ['Order #1001 not shipped', { orderNumbers: ['#1001'] }],
    ['E123 is too short', {}],
    ['SF1402938475610 三天没动', { trackingNumbers: [{ value: 'SF1402938475610', carrier: 'SF' }] }],
    ['yt8839201746533 到哪了', { trackingNumbers: [{ value: 'YT8839201746533', carrier: 'YT' }] }],
    ['JDVA20938475611', { trackingNumbers: [{ value: 'JDVA20938475611', carrier: 'JD' }] }],
    ['ZTO75312345678901', { trackingNumbers: [{ value: 'ZTO75312345678901', carrier: 'ZTO' }] }],
    ['单号YD4312345678901', { trackingNumbers: [{ value: 'YD4312345678901', carrier: 'YD' }] }],
    ['STO7731234567', { trackingNumbers: [{ value: 'STO7731234567', carrier: 'STO' }] }],
    ['EMS EA123456789CN', { trackingNumbers: [{ value: 'EA123456789CN', carrier: 'EMS' }] }],
    ['快递单号 75312345678901', { trackingNumbers: [{ value: '75312345678901', carrier: null }] }],
    ['电话13812345678', { phoneNumbers: ['13812345678'] }],
    ['call +86 138-1234-5678', { phoneNumbers: ['13812345678'] }],
    ['138 1234 5678 谢谢', { phoneNumbers: ['13812345678'] }],
    ['12812345678 不是手机', { trackingNumbers: [{ value: '12812345678', carrier: null }] }],
    ['¥59.9', { amounts: [{ text: '¥59.9', minor: 5990, currency: 'CNY' }] }],
    ['￥1,299.00', { amounts: [{ text: '¥1,299.00', minor: 129900, currency: 'CNY' }] }],
    ['降了59.9元', { amounts: [{ text: '59.9元', minor: 5990, currency: 'CNY' }] }],
    ['59块5', { amounts: [{ text: '59块5', minor: 5950, currency: 'CNY' }] }],
    ['便宜了5块钱', { amounts: [{ text: '5块钱', minor: 500, currency: 'CNY' }] }],
    ['RMB 100', { amounts: [{ text: 'RMB 100', minor: 10000, currency: 'CNY' }] }],
    ['paid 30 yuan', { amounts: [{ text: '30 yuan', minor: 3000, currency: 'CNY' }] }],
    ['$12.50 refund', { amounts: [{ text: '$12.50', minor: 1250, currency: 'USD' }] }],
    ['12.5 USD', { amounts: [{ text: '12.5 USD', minor: 1250, currency: 'USD' }] }],
    ['等了3天了', {}],
    ['满300减50', {}],
  ])('%s', (text, expected) => {
    expect(extractEntities(text)).toEqual({ ...none, ...expected });
  });

  it('reads every kind of entity in one message', () => {
    const text = '订单E2024111100000012345，SF1234567890123显示签收，没收到，电话15800001111，退我¥129';
    expect(extractEntities(text)).toEqual({
      orderNumbers: ['E2024111100000012345'],
      trackingNumbers: [{ value: 'SF1234567890123', carrier: 'SF' }],
      phoneNumbers: ['15800001111'],
      amounts: [{ text: '¥129', minor: 12900, currency: 'CNY' }],
    });
  });

  it('lists a repeated number once', () => {
    expect(extractEntities('#1001 和 #1001').orderNumbers).toEqual(['#1001']);
  });

  it('takes configurable order patterns instead of the defaults', () => {
    const options = { orderPatterns: [/PO-\d{6}/g] };
    expect(extractEntities('PO-123456 和 E20241111093021887', options).orderNumbers).toEqual(['PO-123456']);
  });
});
