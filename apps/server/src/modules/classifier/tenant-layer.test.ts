import { describe, expect, it } from 'vitest';
import { defaultClassifierModel } from './classifier.ts';
import { loadCorpus } from './corpus/corpus.ts';
import { predict } from './model.ts';
import { decodeTenantLayer, trainTenantLayer } from './tenant-layer.ts';

// 黑钻 is one shop's membership tier: its "benefits" questions are coupon/points questions there.
const CORRECTIONS = [
  '黑钻权益什么时候生效',
  '我的黑钻权益没到账',
  '黑钻权益怎么用',
  '黑钻权益在哪里看',
  '开了黑钻，权益呢',
].map((text) => ({ text, category: 'coupon_points' as const }));

describe('trainTenantLayer', () => {
  const base = defaultClassifierModel();
  const { file, metrics } = trainTenantLayer(base, CORRECTIONS);
  const layer = decodeTenantLayer(base, file)!;

  it('learns a phrasing the base gets wrong', () => {
    expect(predict(base, '黑钻权益怎么还没有').category).not.toBe('coupon_points');
    expect(predict([base, layer], '黑钻权益怎么还没有').category).toBe('coupon_points');
    expect(metrics).toMatchObject({ examples: 5, accuracyAfter: 1 });
    expect(metrics.accuracyBefore).toBeLessThan(0.5);
  });

  it.each(['发票什么时候开', '退款还没到账', '快递三天没动了', '这个有没有货'])(
    'leaves unrelated text where the base put it: %s',
    (text) => {
      expect(predict([base, layer], text).category).toBe(predict(base, text).category);
    },
  );

  it("moves almost nothing else: the base corpus's predictions stay as they were", () => {
    const texts = loadCorpus().map((r) => r.text);
    const moved = texts.filter((t) => predict([base, layer], t).category !== predict(base, t).category);
    expect(moved.length).toBeLessThanOrEqual(texts.length * 0.005);
  });

  it('is deterministic and small', () => {
    expect(trainTenantLayer(base, CORRECTIONS).file).toEqual(file);
    expect(JSON.stringify(file).length).toBeLessThan(20_000);
  });
});
