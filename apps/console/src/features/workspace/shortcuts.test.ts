import { describe, expect, it } from 'vitest';
import { shortcutFor } from './shortcuts.ts';
import { pageFromHash } from './useHashPage.ts';

const press = (key: string, extra: Partial<Parameters<typeof shortcutFor>[0]> = {}) =>
  shortcutFor({ key, ctrlKey: false, altKey: false, metaKey: false, target: { tagName: 'DIV' }, ...extra });

describe('shortcutFor', () => {
  it.each([
    ['j', 'down'],
    ['k', 'up'],
    ['Enter', 'open'],
    ['r', 'reply'],
    ['n', 'next'],
    ['?', 'help'],
    ['x', null],
  ])('%s → %s', (key, action) => {
    expect(press(key)).toBe(action);
  });

  it('leaves keys alone while typing or with modifiers', () => {
    expect(press('j', { target: { tagName: 'TEXTAREA' } })).toBeNull();
    expect(press('j', { target: { tagName: 'INPUT' } })).toBeNull();
    expect(press('j', { target: { tagName: 'DIV', isContentEditable: true } })).toBeNull();
    expect(press('r', { ctrlKey: true })).toBeNull();
    expect(press('n', { metaKey: true })).toBeNull();
  });
});

describe('pageFromHash', () => {
  it.each([
    ['', 'workspace'],
    ['#/tickets/0190a6d2-7c1e-7000-8000-000000000001', 'workspace'],
    ['#/supervisor', 'supervisor'],
    ['#/admin/users', 'admin'],
  ])('%s → %s', (hash, page) => {
    expect(pageFromHash(hash)).toBe(page);
  });
});
