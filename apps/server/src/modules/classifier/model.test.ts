import { describe, expect, it } from 'vitest';
import type { Category } from './categories.ts';
import { loadModel } from './classifier.ts';
import { loadCorpus } from './corpus/corpus.ts';
import { decodeModel, hasRowIndex, predict, predictCategory, softmax } from './model.ts';
import { DEFAULT_TRAIN_OPTIONS, fitTemperature, trainModel, type Example } from './train.ts';

const FIXTURE: Example[] = [
  ['退款什么时候到账', 'refund'],
  ['钱什么时候退回来', 'refund'],
  ['退款还没收到', 'refund'],
  ['I want a refund', 'refund'],
  ['refund not received', 'refund'],
  ['能开发票吗', 'invoice'],
  ['发票抬头写公司', 'invoice'],
  ['电子发票发我邮箱', 'invoice'],
  ['I need an invoice', 'invoice'],
  ['send me the invoice please', 'invoice'],
  ['快递到哪了', 'logistics'],
  ['物流不更新', 'logistics'],
  ['快递显示签收了没收到', 'logistics'],
  ['where is my package', 'logistics'],
  ['tracking not updated', 'logistics'],
].map(([text, category]) => ({ text: text!, category: category as Category }));

const OPTIONS = { ...DEFAULT_TRAIN_OPTIONS, hashBuckets: 1 << 12, epochs: 30 };

describe('training on a tiny corpus', () => {
  const model = decodeModel(trainModel(FIXTURE, OPTIONS));

  it.each<[string, Category]>([
    ['退款到账了吗', 'refund'],
    ['发票呢', 'invoice'],
    ['我的快递呢', 'logistics'],
    ['where is my refund', 'refund'],
    ['invoice?', 'invoice'],
  ])('classifies %s as %s', (text, category) => {
    expect(predict(model, text).category).toBe(category);
  });

  it('explains with the features that pushed the decision', () => {
    const { explanation } = predict(model, '请开发票');
    expect(explanation.length).toBeGreaterThan(0);
    expect(explanation.some((f) => f.includes('票'))).toBe(true);
    expect(predict(model, '请开发票').explanation).toEqual(explanation);
  });

  it('gives probabilities that sum to 1 and confidence equal to the winner', () => {
    const p = predict(model, '退款');
    const total = Object.values(p.probabilities).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 9);
    expect(p.confidence).toBe(p.probabilities[p.category]);
  });

  it('is unsure about text it has no evidence for', () => {
    expect(predict(model, '🙂').confidence).toBeLessThan(0.5);
  });
});

describe('determinism', () => {
  it('trains the same model file from the same corpus and seed', () => {
    expect(trainModel(FIXTURE, OPTIONS)).toEqual(trainModel(FIXTURE, OPTIONS));
  });

  it('trains a different model with another seed (the seed is really used)', () => {
    expect(trainModel(FIXTURE, { ...OPTIONS, seed: 7 }).weights).not.toBe(
      trainModel(FIXTURE, OPTIONS).weights,
    );
  });

  it('predicts the same output for the same input', () => {
    const model = decodeModel(trainModel(FIXTURE, OPTIONS));
    expect(predict(model, '退款什么时候到')).toEqual(predict(model, '退款什么时候到'));
  });

  it('survives encoding: decode(encode) predicts what the trained weights predict', () => {
    const file = trainModel(FIXTURE, OPTIONS);
    const reread = decodeModel(JSON.parse(JSON.stringify(file)));
    expect(predict(reread, '发票')).toEqual(predict(decodeModel(file), '发票'));
  });
});

describe('predictCategory, the lean path of intake', () => {
  it('gives exactly the category and confidence of predict() on the committed model and its corpus', () => {
    const model = loadModel();
    const texts = [
      ...loadCorpus().map((example) => example.text),
      '',
      '🙂',
      'refund 什么时候到账 SF1234567890123 ¥50?!',
      '快递显示已签收但是我没有收到，麻烦帮忙查一下物流。'.repeat(13),
    ];
    expect(hasRowIndex(model)).toBe(true);
    for (const text of texts) {
      const { category, confidence } = predict(model, text);
      expect(predictCategory(model, text)).toEqual({ category, confidence });
    }
  });

  it('agrees with predict() on a model whose rows are not numbered in bucket order', () => {
    // decodeModel numbers rows by ascending bucket, which predictCategory's row index relies on; a model
    // built otherwise must still be read through its Map.
    const model = decodeModel(trainModel(FIXTURE, OPTIONS));
    const k = model.classes.length;
    const entries = [...model.rows].reverse();
    const weights = new Float32Array(model.weights.length);
    const rows = new Map<number, number>();
    entries.forEach(([bucket, row], i) => {
      rows.set(bucket, i);
      weights.set(model.weights.subarray(row * k, row * k + k), i * k);
    });
    const shuffled = { ...model, rows, weights };
    expect(hasRowIndex(model)).toBe(true);
    expect(hasRowIndex(shuffled)).toBe(false);
    for (const { text } of [...FIXTURE, { text: 'refund 发票 tracking' }]) {
      const { category, confidence } = predict(shuffled, text);
      expect(predictCategory(shuffled, text)).toEqual({ category, confidence });
      expect(Object.is(predictCategory(shuffled, text).confidence, predict(model, text).confidence)).toBe(
        true,
      );
    }
  });

  it('agrees with predict() on a small model where features collide in buckets', () => {
    const model = decodeModel(trainModel(FIXTURE, { ...OPTIONS, hashBuckets: 1 << 4 }));
    for (const { text } of FIXTURE) {
      const { category, confidence } = predict(model, text);
      expect(predictCategory(model, text)).toEqual({ category, confidence });
    }
  });
});

describe('model layers', () => {
  it('lets a tenant delta layer shift the decision without touching the base', () => {
    const base = decodeModel(trainModel(FIXTURE, OPTIONS));
    const delta = decodeModel(
      trainModel(
        [
          { text: '开票进度', category: 'refund' },
          { text: '开票进度查询', category: 'refund' },
        ],
        { ...OPTIONS, epochs: 50 },
      ),
    );
    expect(predict(base, '开票进度').category).toBe('invoice');
    expect(predict([base, delta], '开票进度').category).toBe('refund');
    expect(predict(base, '开票进度').category).toBe('invoice');
  });

  it('refuses layers with different hashing', () => {
    const a = decodeModel(trainModel(FIXTURE, OPTIONS));
    const b = decodeModel(trainModel(FIXTURE, { ...OPTIONS, hashBuckets: 1 << 10 }));
    expect(() => predict([a, b], 'x')).toThrow(/share hashing/);
  });
});

describe('decodeModel', () => {
  it('refuses a model trained with another featuriser', () => {
    const file = { ...trainModel(FIXTURE, OPTIONS), featureSpec: 'zh-en-v0' };
    expect(() => decodeModel(file)).toThrow(/features zh-en-v0/);
  });
});

describe('softmax and temperature', () => {
  it('flattens with a higher temperature', () => {
    const sharp = softmax([2, 0, 0], 1);
    const flat = softmax([2, 0, 0], 4);
    expect(sharp[0]).toBeGreaterThan(flat[0]!);
    expect([...flat].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('fits a temperature within the searched range', () => {
    const model = decodeModel(trainModel(FIXTURE, OPTIONS));
    const t = fitTemperature(model, FIXTURE);
    expect(t).toBeGreaterThanOrEqual(0.25);
    expect(t).toBeLessThanOrEqual(4);
  });
});
