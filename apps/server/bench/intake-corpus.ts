/** The ticket bodies both intake benchmarks send (bench:intake through wrk, bench:intake-cost from Node). */
import { writeFileSync } from 'node:fs';

const ZH = [
  '我的订单已经付款三天了还没有发货，请问什么时候能发？',
  '收到的商品有破损，外包装压坏了，想申请退货退款。',
  '双十一买的羽绒服降价了，能不能申请价格保护补差价？',
  '快递显示已签收但是我没有收到，麻烦帮忙查一下物流。',
  '优惠券没有自动抵扣，结算的时候多付了五十元。',
  '发票抬头开错了，需要重新开具增值税普通发票。',
];
const EN = [
  'My order was paid three days ago and still has not shipped. When will it ship?',
  'The item arrived damaged, the box was crushed. I would like a refund.',
  'The price dropped after I bought it during the sale, can I get the difference back?',
  'Tracking says delivered but nothing arrived at my door. Please check with the courier.',
  'The coupon was not applied at checkout and I was charged 50 more.',
];

/**
 * Request bodies of the intake benchmarks, one JSON document per line, with `__KEY__` where the idempotency key
 * goes (also echoed back in fields.benchKey): Chinese (2/3) and English bodies of 1–13 sentences, 30% returning
 * customers (a pool of 2,000) and 70% new (email, phone or platform id).
 */
export function corpusLines(lines: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const zh = i % 3 !== 0;
    const pool = zh ? ZH : EN;
    const repeat = 1 + (i % 7 === 0 ? 12 : i % 4);
    const text = Array.from({ length: repeat }, (_, k) => pool[(i + k) % pool.length]).join(zh ? '' : ' ');
    // 30% returning customers (a pool of 2,000), the rest new.
    const customer =
      i % 10 < 3
        ? { email: `returning${i % 2000}@buyers.example`, name: `老客户 ${i % 2000}` }
        : i % 2 === 0
          ? { phone: `1${String(3800000000 + i).padStart(10, '0')}`, name: `新客户 ${i}` }
          : { platform: 'demo-shop', externalId: `u${i}`, email: `new${i}@buyers.example` };
    out.push(
      JSON.stringify({
        body: text,
        channel: ['web', 'email', 'im', 'platform'][i % 4],
        customer,
        orderNumber: i % 2 === 0 ? `DD${20261111000000 + i}` : undefined,
        fields: { benchKey: '__KEY__' },
      }),
    );
  }
  return out;
}

/** The corpus as a file (wrk's Lua script reads it). */
export function writeCorpus(path: string, lines: number): void {
  writeFileSync(path, corpusLines(lines).join('\n') + '\n');
}
