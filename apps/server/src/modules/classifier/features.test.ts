import { describe, expect, it } from 'vitest';
import { displayFeature, extractFeatures, hashFeature, normalize, vectorize } from './features.ts';

describe('normalize', () => {
  it.each([
    ['ＳＦ１２３４５', 'sf0'],
    ['退款¥59.9元', '退款¥0元'],
    ['Refund NOW', 'refund now'],
    ['等了3天了', '等了0天了'],
  ])('%s → %s', (input, expected) => expect(normalize(input)).toBe(expected));
});

describe('extractFeatures', () => {
  it.each<[string, string[], string[]]>([
    ['降价了', ['降', '价', '了', '降价', '价了', '降价了'], []],
    ['refund 什么时候到账', ['w:refund', 'c:<re', 'c:nd>', '什么', '到账', '时候到'], ['w:refund 什么']],
    ['where is my package', ['w:where', 'w:package', 'w:where package', 'c:kag'], ['w:is', 'w:my']],
    ['等了3天', ['了0天', '0天'], ['3']],
    ['在吗？？', ['在吗', 's:?'], []],
  ])('%s', (text, present, absent) => {
    const features = extractFeatures(text);
    for (const feature of present) expect(features.has(feature), feature).toBe(true);
    for (const feature of absent) expect(features.has(feature), feature).toBe(false);
  });

  it('counts repeated features', () => {
    expect(extractFeatures('快快快').get('快')).toBe(3);
    expect(extractFeatures('快快快').get('快快')).toBe(2);
  });

  it('does not join CJK runs across Latin words', () => {
    expect(extractFeatures('退 ok 款').has('退款')).toBe(false);
  });
});

describe('hashFeature', () => {
  it('is stable and within range', () => {
    expect(hashFeature('价保', 1 << 18)).toBe(hashFeature('价保', 1 << 18));
    for (const f of ['a', '价保', 'w:refund', 'c:<re']) {
      const bucket = hashFeature(f, 1000);
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(1000);
    }
    expect(hashFeature('价保', 1 << 18)).not.toBe(hashFeature('保价', 1 << 18));
  });
});

describe('vectorize', () => {
  it('is L2-normalised, so long texts do not outweigh short ones', () => {
    for (const text of ['价保', '亲，我昨天买的今天就降价了，能补差价吗？不补我就退货了']) {
      const { values } = vectorize(text, 1 << 18);
      expect(Math.hypot(...values)).toBeCloseTo(1, 10);
    }
  });

  it('gives an empty vector for text without features', () => {
    expect(vectorize('   ...', 1 << 18).indices).toEqual([]);
  });
});

describe('displayFeature', () => {
  it.each([
    ['w:refund', 'refund'],
    ['w:where package', 'where package'],
    ['c:<re', 're'],
    ['s:?', '?'],
    ['降价了', '降价了'],
  ])('%s → %s', (name, shown) => expect(displayFeature(name)).toBe(shown));
});
