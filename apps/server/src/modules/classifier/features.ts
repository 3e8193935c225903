/**
 * Text → sparse hashed feature vector, shared by training and prediction (the model file records the spec
 * version, so a model is never read with a different featuriser).
 *
 * Chinese has no spaces and customers write in fragments, so CJK text is read as character 1–3-grams
 * (`降价了` → 降 价 了 降价 价了 降价了); Latin text as whole words, word bigrams and character trigrams inside
 * words (which survive typos like "refnd"). Digit runs collapse to `0`, so order and tracking numbers do not
 * become thousands of one-off features while `SF0` or `0元` still carry meaning. Features are hashed
 * (FNV-1a) into a fixed number of buckets, so the model stays small whatever the vocabulary.
 */

export const FEATURE_SPEC = 'zh-en-v1';

/** One CJK character (a token of its own); fast-features.ts builds its character table from it. */
export const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const LATIN_WORD = /^[a-z0-9']+$/;
// Tokens: one CJK character, a Latin/digit word, or a salient symbol (currency signs, ?, !).
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[a-z0-9']+|[¥$?!]/gu;
// English words carrying no intent; Chinese particles are kept (亲/吗 are signal for "other" greetings).
const STOP_WORDS = new Set(['the', 'a', 'an', 'to', 'of', 'and', 'is', 'it', 'i', 'my', 'me', 'for', 'on']);
/** Read by fast-features.ts, which must skip the same words. */
export { STOP_WORDS };

/** NFKC (full-width → half-width), lower case, digit runs → `0`. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\d+(?:[.,]\d+)?/g, '0');
}

/** The named features of a text with their counts, before hashing; also used to explain a decision. */
export function extractFeatures(text: string): Map<string, number> {
  const features = new Map<string, number>();
  const add = (feature: string) => features.set(feature, (features.get(feature) ?? 0) + 1);
  const tokens = normalize(text).match(TOKEN) ?? [];
  let cjkRun: string[] = [];
  let previousWord: string | null = null;

  const flushCjk = () => {
    for (let i = 0; i < cjkRun.length; i++) {
      add(cjkRun[i]!);
      if (i + 1 < cjkRun.length) add(cjkRun[i]! + cjkRun[i + 1]!);
      if (i + 2 < cjkRun.length) add(cjkRun[i]! + cjkRun[i + 1]! + cjkRun[i + 2]!);
    }
    cjkRun = [];
  };

  for (const token of tokens) {
    if (CJK.test(token)) {
      cjkRun.push(token);
      previousWord = null;
      continue;
    }
    // A digit inside Chinese ("0元", "等了0天") stays part of the run.
    if (token === '0' && cjkRun.length > 0) {
      cjkRun.push(token);
      continue;
    }
    flushCjk();
    if (!LATIN_WORD.test(token)) {
      add(`s:${token}`);
      previousWord = null;
      continue;
    }
    if (STOP_WORDS.has(token)) continue;
    add(`w:${token}`);
    if (previousWord) add(`w:${previousWord} ${token}`);
    previousWord = token;
    if (token.length >= 4) {
      const padded = `<${token}>`;
      for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`);
    }
  }
  flushCjk();
  return features;
}

/** FNV-1a over UTF-16 code units: fast, stable across platforms, good enough spread for hashing features. */
export function hashFeature(feature: string, buckets: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < feature.length; i++) {
    hash ^= feature.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % buckets;
}

export interface SparseVector {
  indices: number[];
  values: number[];
  /** The feature names behind each index (for explanations); colliding names are joined. */
  names: string[];
}

/** Hashed, log-scaled, L2-normalised features: long texts do not outvote short ones. */
export function vectorize(text: string, buckets: number): SparseVector {
  const byBucket = new Map<number, { value: number; names: string[] }>();
  for (const [name, count] of extractFeatures(text)) {
    const bucket = hashFeature(name, buckets);
    const entry = byBucket.get(bucket);
    if (entry) {
      entry.value += Math.log1p(count);
      entry.names.push(name);
    } else byBucket.set(bucket, { value: Math.log1p(count), names: [name] });
  }
  let norm = 0;
  for (const { value } of byBucket.values()) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  const vector: SparseVector = { indices: [], values: [], names: [] };
  for (const [bucket, { value, names }] of byBucket) {
    vector.indices.push(bucket);
    vector.values.push(value / norm);
    vector.names.push(names.join('|'));
  }
  return vector;
}

/** A feature name as a person reads it: `w:refund` → `refund`, `c:<re` → `re…`. */
export function displayFeature(name: string): string {
  if (name.startsWith('w:')) return name.slice(2);
  if (name.startsWith('s:')) return name.slice(2);
  if (name.startsWith('c:')) return name.slice(2).replace('<', '').replace('>', '');
  return name;
}
