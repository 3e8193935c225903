import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModel } from './classifier.ts';
import { FRESH_HANDWRITTEN_CORPUS_PATH, HANDWRITTEN_CORPUS_PATH, loadCorpus } from './corpus/corpus.ts';
import { sumBuckets } from './fast-features.ts';
import { extractFeatures, hashFeature, vectorize } from './features.ts';
import { predict, predictCategory } from './model.ts';

/**
 * The fast path must give what vectorize() and predict() (the reference, unchanged) give, to the bit: the
 * same buckets in the same order with the same values, the same category and the same confidence.
 */

/** vectorize()'s indices and values, recomputed from sumBuckets() as predictCategory() does. */
function fastVector(text: string, buckets: number) {
  const vector = sumBuckets(text, buckets);
  if (!vector) return undefined;
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector.sums[i]! * vector.sums[i]!;
  norm = Math.sqrt(norm) || 1;
  return {
    indices: Array.from(vector.buckets.subarray(0, vector.length)),
    values: Array.from(vector.sums.subarray(0, vector.length), (sum) => sum / norm),
  };
}

/** Object.is on every value (toEqual would let 0 and -0 pass, and so would a tolerance). */
function expectSameVector(text: string, buckets: number) {
  const reference = vectorize(text, buckets);
  const fast = fastVector(text, buckets);
  expect(fast, text).toBeDefined();
  expect(fast!.indices, text).toEqual(reference.indices);
  for (let i = 0; i < reference.values.length; i++) {
    if (!Object.is(fast!.values[i], reference.values[i])) {
      expect.fail(
        `${JSON.stringify(text)} bucket ${reference.indices[i]}: ${fast!.values[i]} ≠ ${reference.values[i]}`,
      );
    }
  }
}

const model = loadModel();

function expectSamePrediction(text: string) {
  const reference = predict(model, text);
  const fast = predictCategory(model, text);
  if (fast.category !== reference.category || !Object.is(fast.confidence, reference.confidence)) {
    expect.fail(
      `${JSON.stringify(text)}: ${JSON.stringify(fast)} ≠ ${reference.category} ${reference.confidence}`,
    );
  }
}

const handwrittenLines = [HANDWRITTEN_CORPUS_PATH, FRESH_HANDWRITTEN_CORPUS_PATH].flatMap((path) =>
  readFileSync(path, 'utf8').split('\n'),
);

const EDGE_CASES = [
  '',
  ' ',
  '🙂',
  '𠀀𠀁 退款𠀀0元 𪚥',
  'refund 什么时候到账 SF1234567890123 ¥50?!',
  '快递显示已签收但是我没有收到，麻烦帮忙查一下物流。'.repeat(13),
  '1,000.50 1.2.3 a1,5b 12,34,56 0.5元 ¥1,299 等了3天 第2次',
  "I'm ＲＥＦＵＮＤ　ＮＯＷ！？ ＄５０ ￥９９ ａｂｃ１２３",
  'İstanbul İİ KELVIN ﬁle ① ㍿ ｶﾞ カ\u3099 e\u0301 Σ ΣΑΣ',
  'the a an to of and is it i my me for on THE The',
  'where is my package the package is late and the late package',
  "don't won't ''' '' ' a'b",
  '退款 the 退款 0 退款 ? 0 元 0',
  '\ud800 \udc00 退\ud800款 a\udfffb',
];

describe('sumBuckets agrees with vectorize()', () => {
  const texts = [...loadCorpus().map((r) => r.text), ...handwrittenLines, ...EDGE_CASES];

  it.each([1 << 18, 16, 7, 1])('on every corpus text with %i buckets', (buckets) => {
    for (const text of texts) expectSameVector(text, buckets);
  });

  it('counts apart two names whose FNV-1a hashes are equal on all 32 bits', () => {
    // Found by a birthday search; with 2^32 buckets the bucket is the whole hash.
    expect(hashFeature('w:skzlea', 2 ** 32)).toBe(hashFeature('w:cabaab', 2 ** 32));
    const text = 'skzlea late cabaab late skzlea cabaab cabaab';
    expect(extractFeatures(text).get('w:cabaab')).toBe(3);
    for (const buckets of [2 ** 32, 1 << 18, 3]) expectSameVector(text, buckets);
    const vector = sumBuckets(text, 2 ** 32)!;
    const bucket = hashFeature('w:skzlea', 2 ** 32);
    const index = Array.from(vector.buckets.subarray(0, vector.length)).indexOf(bucket);
    // Two names in one bucket: log1p(2) + log1p(3), not log1p(5).
    expect(vector.sums[index]).toBe(Math.log1p(2) + Math.log1p(3));
  });

  it('gives the same sums for a text of every Unicode code point (in runs of 4,096)', () => {
    for (let start = 0; start < 0x110000; start += 0x1000) {
      let text = '';
      for (let cp = start; cp < start + 0x1000; cp++) {
        if (cp < 0xd800 || cp > 0xdfff) text += String.fromCodePoint(cp);
      }
      expectSameVector(text, 1 << 18);
    }
  });

  it('gives the same sums for a very long text and for short ones after it', () => {
    const long = texts.slice(0, 600).join(' 。 ');
    expect(long.length).toBeGreaterThan(1 << 14);
    expectSameVector(long, 1 << 18);
    for (const text of texts.slice(0, 50)) expectSameVector(text, 1 << 18);
  });
});

/** Pieces that exercise every rule of normalize() and extractFeatures(), mixed with random characters. */
const PIECES = [
  ...'退款发票快递到账什么时候了吗亲元天单号价保かなカナｶﾅ𠀀𠀁𪚥𫝀',
  ...'ＡＢＣａｂｃ１２３，。！？＄￥　',
  ..."0123456789.,.,''",
  ...'¥$?!?!',
  ...'aAbBzZ ',
  ...'🙂👍🏻🇨🇳 \t\n',
  ...'İKﬁ①㍿\u0301\u3099Σ',
  'the',
  'a',
  'an',
  'is',
  'my',
  'ME',
  'For',
  'refund',
  'Refund',
  'REFUND',
  "don't",
  'package',
  '1,000.50',
  '12.5',
  '3,4',
  'sf12345',
  '退款0元',
];

const textArbitrary = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...PIECES) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
    ),
    { maxLength: 60 },
  )
  .map((pieces) => pieces.join(''));

describe('generated text', () => {
  it('sums buckets as vectorize() does', () => {
    fc.assert(
      fc.property(textArbitrary, fc.constantFrom(1 << 18, 64, 5), (text, buckets) => {
        expectSameVector(text, buckets);
      }),
      { numRuns: 3000 },
    );
  });

  it('predicts the same category and confidence as predict()', () => {
    fc.assert(
      fc.property(textArbitrary, (text) => expectSamePrediction(text)),
      { numRuns: 3000 },
    );
  });
});

describe('predictCategory against predict() on the committed model', () => {
  it('gives the same category and the same confidence to the bit for every corpus text', () => {
    for (const text of [...loadCorpus().map((r) => r.text), ...handwrittenLines, ...EDGE_CASES]) {
      expectSamePrediction(text);
    }
  });
});
