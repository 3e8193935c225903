import { describe, expect, it } from 'vitest';
import { tablesToAnalyze, type StatsSnapshot } from './stats-guard.ts';

const policy = { minRows: 100, growth: 4, maxRows: 100_000 };
const snap = (analysedRows: number, liveRows: number): StatsSnapshot => ({
  table: 't',
  analysedRows,
  liveRows,
});

describe('tablesToAnalyze', () => {
  it.each([
    { case: 'never analysed, still tiny', s: snap(-1, 99), due: false },
    { case: 'never analysed, past the minimum', s: snap(-1, 100), due: true },
    { case: 'analysed while empty, now 150 rows', s: snap(0, 150), due: true },
    { case: 'analysed at 100, grown 3.9×', s: snap(100, 390), due: false },
    { case: 'analysed at 100, grown 4×', s: snap(100, 400), due: true },
    { case: 'analysed at 30,000, now 130,000', s: snap(30_000, 130_000), due: true },
    { case: 'analysed at 100,000: left to autovacuum', s: snap(100_000, 1_000_000), due: false },
    { case: 'rows deleted since', s: snap(5_000, 200), due: false },
  ])('$case → $due', ({ s, due }) => {
    expect(tablesToAnalyze([s], policy)).toEqual(due ? ['t'] : []);
  });

  it('keeps the order of the snapshots and skips the rest', () => {
    const snapshots = [
      { table: 'tickets', analysedRows: -1, liveRows: 5_000 },
      { table: 'tenants', analysedRows: -1, liveRows: 3 },
      { table: 'customers', analysedRows: 200, liveRows: 900 },
    ];
    expect(tablesToAnalyze(snapshots, policy)).toEqual(['tickets', 'customers']);
  });
});
