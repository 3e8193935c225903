import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, CATEGORY_LABELS, type Category } from './categories.ts';
import { classifyTicket, classifyText, defaultClassifierModel } from './classifier.ts';
import { GENERATED_CORPUS_PATH, loadCorpus, splitCorpus } from './corpus/corpus.ts';
import { generateCorpus } from './corpus/generator.ts';
import { normalize } from './features.ts';

// Guards the committed model file: a broken or stale model fails CI here, not in production.
describe('the committed model', () => {
  it.each<[string, Category]>([
    ['亲，什么时候发货呀，拍了三天了', 'shipping_eta'],
    ['快递三天没更新了 SF1234567890123', 'logistics'],
    ['刚买就降价了，能补差价吗', 'price_protection'],
    ['这个还有货吗', 'stock'],
    ['尺码小了想换大一码', 'return_exchange'],
    ['退款什么时候到账', 'refund'],
    ['refund 什么时候到账', 'refund'],
    ['优惠券用不了', 'coupon_points'],
    ['地址写错了，帮我改一下', 'order_change'],
    ['收到的杯子碎了', 'quality'],
    ['能开发票吗', 'invoice'],
    ['where is my package', 'logistics'],
    ['I want a refund', 'refund'],
    ['好的谢谢', 'other'],
  ])('classifies %s as %s', (text, category) => {
    expect(classifyTicket(text).category).toBe(category);
  });

  it('is confident on a plain example and explains itself', () => {
    const result = classifyText(defaultClassifierModel(), '亲，能开发票吗');
    expect(result.confidence).toBeGreaterThan(0.8);
    expect(result.explanation.join()).toContain('票');
  });

  it('answers with a category for empty-ish input', () => {
    expect(CATEGORIES).toContain(classifyTicket('').category);
  });
});

describe('the corpus', () => {
  const corpus = loadCorpus();

  it('is in step with its generator (regenerate with npm run train:classifier)', () => {
    const expected = generateCorpus()
      .map((r) => JSON.stringify(r))
      .join('\n');
    expect(readFileSync(GENERATED_CORPUS_PATH, 'utf8').trim()).toBe(expected);
  });

  it('has enough examples of every category, and 300+ hand-written ones', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(1800);
    expect(corpus.filter((r) => r.source === 'hand').length).toBeGreaterThanOrEqual(300);
    for (const category of CATEGORIES) {
      expect(corpus.filter((r) => r.category === category).length).toBeGreaterThanOrEqual(150);
    }
  });

  it('never tests on a template it trains on (template protocol), nor on a family (family protocol)', () => {
    const bySplit = (protocol: 'template' | 'family') => {
      const splits = splitCorpus(corpus, protocol);
      const seen = { train: new Set<string>(), test: new Set<string>() };
      corpus.forEach((r, i) => {
        const split = splits[i]!;
        if (split === 'excluded' || r.source === 'hand') return;
        const units = protocol === 'family' ? [r.family] : (r.templates ?? []).map((t) => `${r.family}#${t}`);
        for (const unit of units) seen[split].add(unit);
      });
      return seen;
    };
    for (const protocol of ['template', 'family'] as const) {
      const { train, test } = bySplit(protocol);
      expect(test.size, protocol).toBeGreaterThan(0);
      expect(
        [...test].filter((unit) => train.has(unit)),
        protocol,
      ).toEqual([]);
    }
  });

  it('never trains on a sentence it tests on', () => {
    const splits = splitCorpus(corpus);
    const key = (text: string) => normalize(text).replace(/[^\p{L}\p{N}]/gu, '');
    const tested = new Set(corpus.filter((_, i) => splits[i] === 'test').map((r) => key(r.text)));
    expect(corpus.filter((r, i) => splits[i] === 'train' && tested.has(key(r.text)))).toEqual([]);
  });

  it('holds out every hand-written example and some templates of each category', () => {
    const splits = splitCorpus(corpus);
    expect(corpus.every((r, i) => r.source !== 'hand' || splits[i] === 'test')).toBe(true);
    for (const category of CATEGORIES) {
      const heldOut = corpus.filter(
        (r, i) => r.source === 'template' && r.category === category && splits[i] === 'test',
      );
      expect(heldOut.length, category).toBeGreaterThan(0);
    }
  });
});

describe('CATEGORY_LABELS', () => {
  it('labels every category in both locales', () => {
    for (const category of CATEGORIES) {
      expect(CATEGORY_LABELS[category]['zh-CN']).toBeTruthy();
      expect(CATEGORY_LABELS[category]['en-US']).toBeTruthy();
    }
  });
});
