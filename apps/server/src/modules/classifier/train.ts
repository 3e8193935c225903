import { createHash } from 'node:crypto';
import { CATEGORIES, type Category } from './categories.ts';
import { vectorize, type SparseVector } from './features.ts';
import { decodeModel, encodeModel, softmax, type Model, type ModelFile } from './model.ts';

export interface Example {
  text: string;
  category: Category;
}

export interface TrainOptions {
  hashBuckets: number;
  epochs: number;
  learningRate: number;
  /** L2 penalty per update on the touched weights; keeps confidences honest and weights small. */
  l2: number;
  seed: number;
  /** Examples to fit the softmax temperature on (not trained on); without them the temperature is 1. */
  calibration?: readonly Example[];
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  hashBuckets: 1 << 18,
  epochs: 20,
  learningRate: 0.5,
  l2: 1e-4,
  seed: 20261111,
};

/** mulberry32: a small seeded PRNG, so training (shuffling) is reproducible bit for bit. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Trains a softmax regression with AdaGrad SGD over hashed features. Pure and deterministic for a given
 * corpus, options and seed (the shuffle uses a seeded PRNG; no clock, no I/O).
 */
export function trainModel(
  examples: readonly Example[],
  options: TrainOptions = DEFAULT_TRAIN_OPTIONS,
): ModelFile {
  if (examples.length === 0) throw new Error('Cannot train on an empty corpus');
  const classes = CATEGORIES;
  const k = classes.length;
  const classIndex = new Map<Category, number>(classes.map((c, i) => [c, i]));
  const data = examples.map((e) => ({
    x: vectorize(e.text, options.hashBuckets),
    y: classIndex.get(e.category)!,
  }));

  const rows = new Map<number, Float64Array>();
  const gradSquares = new Map<number, Float64Array>();
  const bias = new Float64Array(k);
  const biasSquares = new Float64Array(k).fill(1e-8);
  const random = seededRandom(options.seed);
  const order = data.map((_, i) => i);

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const index of order) {
      const { x, y } = data[index]!;
      const probabilities = softmax(logitsOf(x, rows, bias, k));
      for (let c = 0; c < k; c++) {
        const error = probabilities[c]! - (c === y ? 1 : 0);
        biasSquares[c]! += error * error;
        bias[c]! -= (options.learningRate * error) / Math.sqrt(biasSquares[c]!);
      }
      x.indices.forEach((bucket, f) => {
        let row = rows.get(bucket);
        let squares = gradSquares.get(bucket);
        if (!row || !squares) {
          row = new Float64Array(k);
          squares = new Float64Array(k).fill(1e-8);
          rows.set(bucket, row);
          gradSquares.set(bucket, squares);
        }
        for (let c = 0; c < k; c++) {
          const gradient = x.values[f]! * (probabilities[c]! - (c === y ? 1 : 0)) + options.l2 * row[c]!;
          squares[c]! += gradient * gradient;
          row[c]! -= (options.learningRate * gradient) / Math.sqrt(squares[c]!);
        }
      });
    }
  }

  const file = encodeModel({
    hashBuckets: options.hashBuckets,
    classes,
    temperature: 1,
    bias,
    rows,
    trainedOn: { examples: examples.length, corpusHash: corpusHash(examples) },
  });
  if (options.calibration?.length) file.temperature = fitTemperature(decodeModel(file), options.calibration);
  return file;
}

function logitsOf(
  x: SparseVector,
  rows: Map<number, Float64Array>,
  bias: Float64Array,
  k: number,
): Float64Array {
  const logits = Float64Array.from(bias);
  x.indices.forEach((bucket, f) => {
    const row = rows.get(bucket);
    if (!row) return;
    for (let c = 0; c < k; c++) logits[c]! += x.values[f]! * row[c]!;
  });
  return logits;
}

/** The temperature (grid search) that minimises the negative log-likelihood on held-aside examples. */
export function fitTemperature(model: Model, examples: readonly Example[]): number {
  const k = model.classes.length;
  const prepared = examples.map((e) => {
    const x = vectorize(e.text, model.hashBuckets);
    const logits = Float64Array.from(model.bias);
    x.indices.forEach((bucket, f) => {
      const row = model.rows.get(bucket);
      if (row === undefined) return;
      for (let c = 0; c < k; c++) logits[c]! += x.values[f]! * model.weights[row * k + c]!;
    });
    return { logits, y: model.classes.indexOf(e.category) };
  });
  let best = { temperature: 1, loss: Infinity };
  for (let t = 0.25; t <= 4.0001; t += 0.05) {
    let loss = 0;
    for (const { logits, y } of prepared) loss -= Math.log(softmax(logits, t)[y]! + 1e-12);
    if (loss < best.loss) best = { temperature: Number(t.toFixed(2)), loss };
  }
  return best.temperature;
}

export function corpusHash(examples: readonly Example[]): string {
  const hash = createHash('sha256');
  for (const e of examples) hash.update(`${e.category}\t${e.text}\n`);
  return hash.digest('hex').slice(0, 16);
}
