import { vectorize } from './features.ts';
import { decodeModel, encodeModel, predict, softmax, type Model, type ModelFile } from './model.ts';
import { corpusHash, seededRandom, type Example } from './train.ts';

/**
 * A tenant's layer over the base model, learnt from its agents' corrections. The layer is a *delta*: a
 * linear model with the base's hashing and classes and no bias, whose logits are added to the base's
 * (`predict([base, layer], text)`), trained with the base frozen. So it only moves what the tenant's examples
 * contain — a phrasing agents keep correcting, a product name that means `stock` in this shop — and stays a
 * few kilobytes per tenant instead of a copy of the base.
 *
 * Pure and deterministic (seeded shuffle, no clock): the same base and examples give the same layer.
 */
export interface TenantLayerOptions {
  epochs: number;
  learningRate: number;
  /** Pulls the delta towards zero on every update, so one odd correction does not dominate. */
  l2: number;
  seed: number;
}

export const DEFAULT_TENANT_LAYER_OPTIONS: TenantLayerOptions = {
  epochs: 30,
  learningRate: 0.5,
  l2: 1e-3,
  seed: 618,
};

export interface TenantLayerMetrics {
  examples: number;
  /** Share of the tenant's examples the base alone classifies as the agents did. */
  accuracyBefore: number;
  /** The same with the new layer on top (measured on the examples it was trained on). */
  accuracyAfter: number;
}

export function trainTenantLayer(
  base: Model,
  examples: readonly Example[],
  options: TenantLayerOptions = DEFAULT_TENANT_LAYER_OPTIONS,
): { file: ModelFile; metrics: TenantLayerMetrics } {
  if (examples.length === 0) throw new Error('A tenant layer needs at least one example');
  const k = base.classes.length;
  const data = examples.map((e) => {
    const x = vectorize(e.text, base.hashBuckets);
    const baseLogits = Float64Array.from(base.bias);
    x.indices.forEach((bucket, f) => {
      const row = base.rows.get(bucket);
      if (row === undefined) return;
      for (let c = 0; c < k; c++) baseLogits[c]! += x.values[f]! * base.weights[row * k + c]!;
    });
    return { x, y: base.classes.indexOf(e.category), baseLogits };
  });

  const rows = new Map<number, Float64Array>();
  const squares = new Map<number, Float64Array>();
  const random = seededRandom(options.seed);
  const order = data.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const index of order) {
      const { x, y, baseLogits } = data[index]!;
      const logits = Float64Array.from(baseLogits);
      x.indices.forEach((bucket, f) => {
        const row = rows.get(bucket);
        if (row) for (let c = 0; c < k; c++) logits[c]! += x.values[f]! * row[c]!;
      });
      // The base's temperature is part of the prediction the layer has to correct.
      const probabilities = softmax(logits, base.temperature);
      x.indices.forEach((bucket, f) => {
        let row = rows.get(bucket);
        let sq = squares.get(bucket);
        if (!row || !sq) {
          row = new Float64Array(k);
          sq = new Float64Array(k).fill(1e-8);
          rows.set(bucket, row);
          squares.set(bucket, sq);
        }
        for (let c = 0; c < k; c++) {
          const gradient = x.values[f]! * (probabilities[c]! - (c === y ? 1 : 0)) + options.l2 * row[c]!;
          sq[c]! += gradient * gradient;
          row[c]! -= (options.learningRate * gradient) / Math.sqrt(sq[c]!);
        }
      });
    }
  }

  const file = encodeModel({
    hashBuckets: base.hashBuckets,
    classes: base.classes,
    temperature: base.temperature,
    bias: new Float64Array(k),
    rows,
    trainedOn: { examples: examples.length, corpusHash: corpusHash(examples) },
  });
  const layer = decodeModel(file);
  const accuracy = (layers: Model[]) =>
    round(examples.filter((e) => predict(layers, e.text).category === e.category).length / examples.length);
  return {
    file,
    metrics: {
      examples: examples.length,
      accuracyBefore: accuracy([base]),
      accuracyAfter: accuracy([base, layer]),
    },
  };
}

const round = (value: number) => Number(value.toFixed(4));

/** Reads a stored layer; null when it no longer fits the base (features or classes changed since). */
export function decodeTenantLayer(base: Model, file: ModelFile): Model | null {
  try {
    const layer = decodeModel(file);
    if (layer.hashBuckets !== base.hashBuckets || layer.classes.join() !== base.classes.join()) return null;
    return layer;
  } catch {
    return null;
  }
}
