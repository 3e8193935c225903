import { CATEGORIES, type Category } from './categories.ts';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Evaluation {
  examples: number;
  accuracy: number;
  macroF1: number;
  /** Expected calibration error over 10 confidence bins: how far confidence is from observed accuracy. */
  expectedCalibrationError: number;
  perClass: Record<Category, ClassMetrics>;
  /** confusion[actual][predicted] = count. */
  confusion: Record<Category, Record<Category, number>>;
}

const round = (value: number) => Number(value.toFixed(4));

/** Accuracy, macro-F1, per-class metrics and the confusion matrix of predictions against labels. */
export function evaluate(
  results: readonly { actual: Category; predicted: Category; confidence: number }[],
): Evaluation {
  const confusion = Object.fromEntries(
    CATEGORIES.map((a) => [a, Object.fromEntries(CATEGORIES.map((p) => [p, 0]))]),
  ) as Record<Category, Record<Category, number>>;
  for (const r of results) confusion[r.actual][r.predicted]++;

  const perClass = {} as Record<Category, ClassMetrics>;
  let f1Sum = 0;
  let classesPresent = 0;
  for (const c of CATEGORIES) {
    const truePositives = confusion[c][c];
    const predicted = CATEGORIES.reduce((sum, a) => sum + confusion[a][c], 0);
    const support = CATEGORIES.reduce((sum, p) => sum + confusion[c][p], 0);
    const precision = predicted ? truePositives / predicted : 0;
    const recall = support ? truePositives / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[c] = { precision: round(precision), recall: round(recall), f1: round(f1), support };
    // Classes absent from the labels would count as F1 0 and drag the mean down for no reason.
    if (support > 0) {
      f1Sum += f1;
      classesPresent++;
    }
  }

  const bins = Array.from({ length: 10 }, () => ({ count: 0, correct: 0, confidence: 0 }));
  for (const r of results) {
    const bin = bins[Math.min(9, Math.floor(r.confidence * 10))]!;
    bin.count++;
    bin.confidence += r.confidence;
    if (r.actual === r.predicted) bin.correct++;
  }
  const ece = bins.reduce((sum, b) => (b.count ? sum + Math.abs(b.correct - b.confidence) : sum), 0);

  const correct = results.filter((r) => r.actual === r.predicted).length;
  return {
    examples: results.length,
    accuracy: round(results.length ? correct / results.length : 0),
    macroF1: round(classesPresent ? f1Sum / classesPresent : 0),
    expectedCalibrationError: round(results.length ? ece / results.length : 0),
    perClass,
    confusion,
  };
}
