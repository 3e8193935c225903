import { describe, expect, it } from 'vitest';
import portalEn from '../portal/portal.en-US.json';
import portalZh from '../portal/portal.zh-CN.json';
import adminEn from './admin.en-US.json';
import adminZh from './admin.zh-CN.json';

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key));
}

describe('administration and portal translations', () => {
  it.each([
    ['admin', adminEn, adminZh],
    ['portal', portalEn, portalZh],
  ])('%s has the same keys in zh-CN and en-US, each a non-empty text', (_, en, zh) => {
    expect(keysOf(en).sort()).toEqual(keysOf(zh).sort());
    for (const strings of [en, zh]) {
      for (const key of keysOf(strings)) {
        const leaf = key
          .split('.')
          .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], strings);
        expect(typeof leaf === 'string' && leaf.trim() !== '', key).toBe(true);
      }
    }
  });
});
