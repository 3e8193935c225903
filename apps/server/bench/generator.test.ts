import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUuid } from '../src/lib/ids.ts';
import {
  COLUMNS,
  HISTORY_END,
  HISTORY_START,
  Rng,
  buildWorld,
  copyField,
  copyLine,
  creationTimes,
  dayWeight,
  generateTicket,
  planTenants,
  seededUuid,
  tenantPicker,
  textArray,
} from './generator.ts';
import { percentile, summarise } from './measure.ts';

/** COPY text format's own decoding of one field (the inverse PostgreSQL applies). */
function decodeCopyField(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(.)/g, (_, ch: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[ch] ?? ch);
}

function generate(seed: number, tickets: number): string {
  const rng = new Rng(seed);
  const { worlds, rows } = buildWorld(planTenants(tickets), rng);
  const pick = tenantPicker(worlds, rng);
  let out = Object.values(rows).flat().join('');
  for (const created of creationTimes(tickets, rng)) {
    const t = generateTicket(pick(), rng, created);
    out += t.ticket + t.messages.join('') + t.events.join('');
  }
  return out;
}

describe('bench generator', () => {
  it('produces byte-identical data for the same seed, and different data for another', () => {
    const a = generate(7, 500);
    expect(generate(7, 500)).toBe(a);
    expect(generate(8, 500)).not.toBe(a);
  });

  it.each([
    ['plain', 'plain'],
    ['tab\there', 'tab\\there'],
    ['line\nbreak', 'line\\nbreak'],
    ['carriage\rreturn', 'carriage\\rreturn'],
    ['back\\slash', 'back\\\\slash'],
    ["'发货':1 'a\\\\b':2", "'发货':1 'a\\\\\\\\b':2"],
  ])('escapes %j for COPY text format', (input, escaped) => {
    expect(copyField(input)).toBe(escaped);
  });

  it.each([
    [null, '\\N'],
    [undefined, '\\N'],
    [42, '42'],
    [true, 'true'],
  ])('writes %j as %j', (input, expected) => {
    expect(copyField(input)).toBe(expected);
  });

  it('round-trips any text through COPY escaping, one field per column', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { minLength: 1, maxLength: 5 }),
        (values) => {
          const line = copyLine(values);
          expect(line.endsWith('\n')).toBe(true);
          const fields = line.slice(0, -1).split('\t');
          expect(fields.map(decodeCopyField)).toEqual(values);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('quotes array elements', () => {
    expect(textArray([])).toBe('{}');
    expect(textArray(['双11', 'a"b', 'c\\d'])).toBe('{"双11","a\\"b","c\\\\d"}');
  });

  it('writes every ticket line with exactly the listed columns', () => {
    const rng = new Rng(1);
    const { worlds } = buildWorld(planTenants(1000), rng);
    const pick = tenantPicker(worlds, rng);
    for (const created of creationTimes(1000, rng)) {
      const t = generateTicket(pick(), rng, created);
      expect(t.ticket.slice(0, -1).split('\t')).toHaveLength(COLUMNS.tickets.split(',').length);
      for (const m of t.messages) expect(m.slice(0, -1).split('\t')).toHaveLength(8);
      for (const e of t.events) expect(e.slice(0, -1).split('\t')).toHaveLength(8);
    }
  });

  it('spreads creation times ascending over the window, busiest on Double 11', () => {
    const times = [...creationTimes(5000, new Rng(3))];
    expect(times).toHaveLength(5000);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(times[0]!).toBeGreaterThanOrEqual(HISTORY_START);
    expect(times.at(-1)!).toBeLessThan(HISTORY_END);
    expect(dayWeight(Date.UTC(2026, 10, 10, 16))).toBeGreaterThan(dayWeight(Date.UTC(2026, 9, 10, 16)));
  });

  it('gives each tenant exactly its planned number of tickets', () => {
    const rng = new Rng(5);
    const { worlds } = buildWorld(planTenants(3000), rng);
    const pick = tenantPicker(worlds, rng);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const slug = pick().plan.slug;
      counts.set(slug, (counts.get(slug) ?? 0) + 1);
    }
    for (const world of worlds) expect(counts.get(world.plan.slug)).toBe(world.plan.tickets);
  });

  it('makes UUIDv7 ids carrying the given time', () => {
    const id = seededUuid(new Rng(9), Date.UTC(2026, 10, 11));
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(Date.UTC(2026, 10, 11));
  });
});

describe('bench measure', () => {
  it.each([
    [[5, 1, 3, 2, 4], 50, 3],
    [[5, 1, 3, 2, 4], 99, 5],
    [[7], 99, 7],
  ])('percentile of %j at %i is %i', (values, p, expected) => {
    expect(
      percentile(
        [...values].sort((a, b) => a - b),
        p,
      ),
    ).toBe(expected);
  });

  it('summarises samples', () => {
    expect(summarise([1, 2, 3, 4])).toEqual({ n: 4, p50Ms: 2, p99Ms: 4, meanMs: 2.5, maxMs: 4 });
  });
});
