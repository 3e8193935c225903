import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluation.ts';

describe('evaluate', () => {
  it('computes accuracy, per-class metrics, macro-F1 over present classes and the confusion matrix', () => {
    const result = evaluate([
      { actual: 'refund', predicted: 'refund', confidence: 0.9 },
      { actual: 'refund', predicted: 'invoice', confidence: 0.6 },
      { actual: 'invoice', predicted: 'invoice', confidence: 0.8 },
      { actual: 'invoice', predicted: 'invoice', confidence: 0.7 },
    ]);
    expect(result.accuracy).toBe(0.75);
    expect(result.perClass.refund).toEqual({ precision: 1, recall: 0.5, f1: 0.6667, support: 2 });
    expect(result.perClass.invoice).toEqual({ precision: 0.6667, recall: 1, f1: 0.8, support: 2 });
    expect(result.macroF1).toBe(0.7333);
    expect(result.confusion.refund.invoice).toBe(1);
    expect(result.confusion.invoice.invoice).toBe(2);
    expect(result.perClass.stock.support).toBe(0);
  });

  it('measures calibration: confident and right is well calibrated', () => {
    const right = evaluate([{ actual: 'stock', predicted: 'stock', confidence: 1 }]);
    const wrong = evaluate([{ actual: 'stock', predicted: 'refund', confidence: 1 }]);
    expect(right.expectedCalibrationError).toBe(0);
    expect(wrong.expectedCalibrationError).toBe(1);
  });
});
