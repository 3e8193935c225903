import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import enUS from './en-US.json';
import zhCN from './zh-CN.json';
import { initialLanguage } from './index.ts';

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key));
}

function leaves(value: unknown): unknown[] {
  if (typeof value !== 'object' || value === null) return [value];
  return Object.values(value).flatMap(leaves);
}

describe('console translations', () => {
  it('have the same keys in zh-CN and en-US', () => {
    expect(keysOf(enUS).sort()).toEqual(keysOf(zhCN).sort());
  });

  it.each([
    ['zh-CN', zhCN],
    ['en-US', enUS],
  ])('%s has a non-empty string for every key', (_language, strings) => {
    for (const leaf of leaves(strings)) {
      expect(typeof leaf).toBe('string');
      expect((leaf as string).trim()).not.toBe('');
    }
  });

  // The labels are a copy of the server's CATEGORY_LABELS (no route exposes them yet): keep the codes in step.
  it('label every category code the server knows, and no other', () => {
    const source = readFileSync(
      new URL('../../../server/src/modules/classifier/categories.ts', import.meta.url),
      'utf8',
    );
    const list = /export const CATEGORIES = \[([^\]]*)\]/.exec(source)?.[1] ?? '';
    const codes = [...list.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(0);
    expect(Object.keys(zhCN.category).sort()).toEqual([...codes].sort());
  });
});

describe('initialLanguage', () => {
  it.each([
    [null, 'zh-CN'],
    ['en-US', 'en-US'],
    ['zh-CN', 'zh-CN'],
    ['fr-FR', 'zh-CN'],
    ['', 'zh-CN'],
  ])('%s → %s', (stored, expected) => {
    expect(initialLanguage(stored)).toBe(expected);
  });
});
