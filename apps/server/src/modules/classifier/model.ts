import { CATEGORIES, isCategory, type Category } from './categories.ts';
import { sumBuckets } from './fast-features.ts';
import { displayFeature, FEATURE_SPEC, vectorize } from './features.ts';

/**
 * A linear (softmax regression) model over hashed features, as stored in a JSON file.
 *
 * Only the buckets seen in training are stored: `buckets` lists them (ascending, delta-encoded Uint32,
 * base64) and `weights` holds one Int16 row of `classes.length` weights per bucket (base64, multiplied by
 * `scale`). A dense float matrix over 2^18 buckets would be ~11 MB; this is well under 2 MB.
 *
 * Layering: a model is a sum of logits, so a tenant's model can later be stored as a *delta* layer trained on
 * its agents' corrections (same `featureSpec`, `hashBuckets` and `classes`) and evaluated as
 * `predict([base, tenantDelta], text)`; the base file never has to be copied per tenant.
 */
export interface ModelFile {
  format: 'peakdesk-linear-classifier';
  featureSpec: string;
  hashBuckets: number;
  classes: string[];
  /** Logits are divided by this before the softmax (temperature scaling). */
  temperature: number;
  scale: number;
  bias: number[];
  buckets: string;
  weights: string;
  trainedOn: { examples: number; corpusHash: string };
}

export interface Model {
  featureSpec: string;
  hashBuckets: number;
  classes: Category[];
  temperature: number;
  bias: Float64Array;
  /** bucket → row index into `weights` (row-major, classes.length per row). */
  rows: Map<number, number>;
  weights: Float32Array;
}

export interface Prediction {
  category: Category;
  /** Softmax probability of the chosen category, 0–1. */
  confidence: number;
  /** The features of the text that pushed most towards the chosen category, strongest first. */
  explanation: string[];
  probabilities: Record<Category, number>;
}

function checkClasses(classes: string[]): Category[] {
  const known = classes.filter(isCategory);
  if (known.length !== classes.length) throw new Error(`Model has unknown classes: ${classes.join(', ')}`);
  return known;
}

export function decodeModel(file: ModelFile): Model {
  if (file.format !== 'peakdesk-linear-classifier') throw new Error('Not a PeakDesk classifier model');
  if (file.featureSpec !== FEATURE_SPEC) {
    throw new Error(
      `Model was trained with features ${file.featureSpec}, this code computes ${FEATURE_SPEC}`,
    );
  }
  const classes = checkClasses(file.classes);
  const deltas = new Uint32Array(toArrayBuffer(Buffer.from(file.buckets, 'base64')));
  const quantised = new Int16Array(toArrayBuffer(Buffer.from(file.weights, 'base64')));
  if (quantised.length !== deltas.length * classes.length) throw new Error('Model weights are truncated');
  const rows = new Map<number, number>();
  let bucket = 0;
  for (let i = 0; i < deltas.length; i++) {
    bucket += deltas[i]!;
    rows.set(bucket, i);
  }
  const weights = new Float32Array(quantised.length);
  for (let i = 0; i < quantised.length; i++) weights[i] = quantised[i]! * file.scale;
  return {
    featureSpec: file.featureSpec,
    hashBuckets: file.hashBuckets,
    classes,
    temperature: file.temperature,
    bias: Float64Array.from(file.bias),
    rows,
    weights,
  };
}

function toArrayBuffer(buffer: Buffer): ArrayBuffer {
  // Copy: a Buffer may be a view at an unaligned offset into a shared pool.
  const copy = new Uint8Array(buffer.byteLength);
  copy.set(buffer);
  return copy.buffer;
}

/** Serialises trained weights (dense rows per used bucket) into the compact file format. */
export function encodeModel(input: {
  hashBuckets: number;
  classes: readonly Category[];
  temperature: number;
  bias: ArrayLike<number>;
  rows: Map<number, Float64Array>;
  trainedOn: ModelFile['trainedOn'];
}): ModelFile {
  const buckets = [...input.rows.keys()].sort((a, b) => a - b);
  let max = 0;
  for (const row of input.rows.values()) for (const w of row) max = Math.max(max, Math.abs(w));
  const scale = max / 32767 || 1;
  const deltas = new Uint32Array(buckets.length);
  const quantised = new Int16Array(buckets.length * input.classes.length);
  let previous = 0;
  buckets.forEach((bucket, i) => {
    deltas[i] = bucket - previous;
    previous = bucket;
    const row = input.rows.get(bucket)!;
    for (let k = 0; k < input.classes.length; k++) {
      quantised[i * input.classes.length + k] = Math.round(row[k]! / scale);
    }
  });
  return {
    format: 'peakdesk-linear-classifier',
    featureSpec: FEATURE_SPEC,
    hashBuckets: input.hashBuckets,
    classes: [...input.classes],
    temperature: input.temperature,
    scale,
    bias: Array.from(input.bias, (b) => Number(b.toFixed(6))),
    buckets: Buffer.from(deltas.buffer).toString('base64'),
    weights: Buffer.from(quantised.buffer).toString('base64'),
    trainedOn: input.trainedOn,
  };
}

const EXPLANATION_SIZE = 4;

/**
 * Classifies a text with one model or a stack of layers (base + tenant deltas, summed as logits). Pure and
 * deterministic: the same layers and text always give the same prediction.
 */
export function predict(layers: Model | readonly Model[], text: string): Prediction {
  const stack = Array.isArray(layers) ? (layers as readonly Model[]) : [layers as Model];
  const base = stack[0];
  if (!base) throw new Error('predict needs at least one model');
  for (const layer of stack) {
    if (layer.hashBuckets !== base.hashBuckets || layer.classes.join() !== base.classes.join()) {
      throw new Error('Model layers must share hashing and classes');
    }
  }
  const k = base.classes.length;
  const vector = vectorize(text, base.hashBuckets);
  const logits = new Float64Array(k);
  // contributions[i * k + c]: how much feature i pushed class c.
  const contributions = new Float64Array(vector.indices.length * k);
  for (const layer of stack) {
    for (let c = 0; c < k; c++) logits[c]! += layer.bias[c]!;
    vector.indices.forEach((bucket, i) => {
      const row = layer.rows.get(bucket);
      if (row === undefined) return;
      const x = vector.values[i]!;
      for (let c = 0; c < k; c++) {
        const push = x * layer.weights[row * k + c]!;
        logits[c]! += push;
        contributions[i * k + c]! += push;
      }
    });
  }
  const probabilities = softmax(logits, base.temperature);
  let best = 0;
  for (let c = 1; c < k; c++) if (probabilities[c]! > probabilities[best]!) best = c;

  const explanation = explain(
    vector.indices.map((_, i) => {
      // Evidence for the winner relative to the average class, so features that raise every class don't count.
      let mean = 0;
      for (let c = 0; c < k; c++) mean += contributions[i * k + c]!;
      return { name: vector.names[i]!.split('|')[0]!, push: contributions[i * k + best]! - mean / k };
    }),
  );

  const byClass = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  base.classes.forEach((c, i) => (byClass[c] = probabilities[i]!));
  return {
    category: base.classes[best]!,
    confidence: probabilities[best]!,
    explanation,
    probabilities: byClass,
  };
}

/**
 * model.rows as a bitmap of the buckets in the model plus the count of set bits before each 32-bit word: a row
 * is then the rank of its bucket (rows are numbered in ascending bucket order by decodeModel). 64 KB for 2^18
 * buckets, so it stays in cache, where the Map (or a 1 MB array) cost a cache miss per bucket of every text.
 */
interface RowIndex {
  bits: Int32Array;
  ranks: Int32Array;
}

const rowIndexByModel = new WeakMap<Model, RowIndex | null>();

/** Null when the rows are not numbered by rank (never for a decoded model); predictCategory then uses the Map. */
function rowIndexOf(model: Model): RowIndex | null {
  let index = rowIndexByModel.get(model);
  if (index !== undefined) return index;
  const bits = new Int32Array((model.hashBuckets + 31) >>> 5);
  for (const bucket of model.rows.keys()) bits[bucket >>> 5]! |= 1 << (bucket & 31);
  const ranks = new Int32Array(bits.length);
  for (let w = 1; w < bits.length; w++) ranks[w] = ranks[w - 1]! + popcount(bits[w - 1]!);
  const built = { bits, ranks };
  let isByRank = true;
  for (const [bucket, row] of model.rows) if (rankOf(built, bucket) !== row) isByRank = false;
  index = isByRank ? built : null;
  rowIndexByModel.set(model, index);
  return index;
}

/** Whether predictCategory reads this model's rows by rank (the fast way) rather than through its Map. */
export function hasRowIndex(model: Model): boolean {
  return rowIndexOf(model) !== null;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** The row of a bucket, or -1 when the model has no weights for it. */
function rankOf({ bits, ranks }: RowIndex, bucket: number): number {
  const word = bits[bucket >>> 5]!;
  const bit = 1 << (bucket & 31);
  if ((word & bit) === 0) return -1;
  return ranks[bucket >>> 5]! + popcount(word & (bit - 1));
}

// Reused by predictCategory (synchronous, so never shared between two calls in flight).
let logitsScratch = new Float64Array(16);
let probabilitiesScratch = new Float64Array(16);
let inputScratch = new Float64Array(256);
let offsetScratch = new Int32Array(256);

/**
 * `predict(model, text)`'s category and confidence alone, without the explanation and the probabilities of
 * every class: what intake needs for every new ticket. The features come from fast-features.ts (no string per
 * feature, no Map), then the same sums as predict() in the same order, so the same result bit for bit
 * (fast-features.test.ts checks it on the corpus and on generated text); several times cheaper than predict().
 */
export function predictCategory(model: Model, text: string): { category: Category; confidence: number } {
  const vector = sumBuckets(text, model.hashBuckets);
  if (!vector) {
    const { category, confidence } = predict(model, text);
    return { category, confidence };
  }
  const { length, buckets, sums } = vector;
  const k = model.classes.length;
  let norm = 0;
  for (let i = 0; i < length; i++) norm += sums[i]! * sums[i]!;
  norm = Math.sqrt(norm) || 1;
  if (logitsScratch.length < k) {
    logitsScratch = new Float64Array(k);
    probabilitiesScratch = new Float64Array(k);
  }
  const logits = logitsScratch.fill(0, 0, k);
  // `0 + bias` as predict() does (it turns a -0 bias into +0).
  for (let c = 0; c < k; c++) logits[c]! += model.bias[c]!;
  const rowIndex = rowIndexOf(model);
  if (inputScratch.length < length) {
    inputScratch = new Float64Array(length * 2);
    offsetScratch = new Int32Array(length * 2);
  }
  const inputs = inputScratch;
  const offsets = offsetScratch;
  let used = 0;
  for (let i = 0; i < length; i++) {
    const row = rowIndex ? rankOf(rowIndex, buckets[i]!) : (model.rows.get(buckets[i]!) ?? -1);
    if (row < 0) continue;
    inputs[used] = sums[i]! / norm;
    offsets[used++] = row * k;
  }
  // Each logit still sums its pushes in bucket order, as predict() does; four classes at a time keep their
  // sums in registers instead of a read-modify-write of the array per weight (about 1.5x on this loop).
  const weights = model.weights;
  let c = 0;
  for (; c + 4 <= k; c += 4) {
    let l0 = logits[c]!;
    let l1 = logits[c + 1]!;
    let l2 = logits[c + 2]!;
    let l3 = logits[c + 3]!;
    for (let j = 0; j < used; j++) {
      const x = inputs[j]!;
      const at = offsets[j]! + c;
      l0 += x * weights[at]!;
      l1 += x * weights[at + 1]!;
      l2 += x * weights[at + 2]!;
      l3 += x * weights[at + 3]!;
    }
    logits[c] = l0;
    logits[c + 1] = l1;
    logits[c + 2] = l2;
    logits[c + 3] = l3;
  }
  for (; c < k; c++) {
    let logit = logits[c]!;
    for (let j = 0; j < used; j++) logit += inputs[j]! * weights[offsets[j]! + c]!;
    logits[c] = logit;
  }
  const probabilities = softmaxInto(logits, k, model.temperature, probabilitiesScratch);
  let best = 0;
  for (let c = 1; c < k; c++) if (probabilities[c]! > probabilities[best]!) best = c;
  return { category: model.classes[best]!, confidence: probabilities[best]! };
}

/**
 * The strongest evidence as people read it: a feature contained in a longer, itself strong feature hands its
 * weight to it (票 and 发 to 发票, `c:und` to `refund`), so the explanation shows words, not single characters.
 */
function explain(features: { name: string; push: number }[]): string[] {
  const candidates = features
    .filter((f) => f.push > 0)
    .map((f) => ({ text: displayFeature(f.name), push: f.push, own: f.push }))
    .sort((a, b) => b.push - a.push)
    .slice(0, 16)
    .sort((a, b) => a.text.length - b.text.length || b.push - a.push);
  const kept: typeof candidates = [];
  candidates.forEach((candidate, i) => {
    const container = candidates
      .slice(i + 1)
      .filter(
        (other) =>
          other.text.length > candidate.text.length &&
          other.text.includes(candidate.text) &&
          other.own >= candidate.own / 2,
      )
      .sort((a, b) => b.text.length - a.text.length)[0];
    if (container) container.push += candidate.push;
    else kept.push(candidate);
  });
  return kept
    .sort((a, b) => b.push - a.push || (a.text < b.text ? -1 : 1))
    .slice(0, EXPLANATION_SIZE)
    .map((f) => f.text);
}

export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  return softmaxInto(logits, logits.length, temperature, new Float64Array(logits.length));
}

/** softmax() of the first `length` logits, written into `out` (no allocation). */
function softmaxInto(
  logits: ArrayLike<number>,
  length: number,
  temperature: number,
  out: Float64Array,
): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < length; i++) max = Math.max(max, logits[i]! / temperature);
  let sum = 0;
  for (let i = 0; i < length; i++) {
    out[i] = Math.exp(logits[i]! / temperature - max);
    sum += out[i]!;
  }
  for (let i = 0; i < length; i++) out[i]! /= sum;
  return out;
}
