import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.ts';

describe('detectLanguage', () => {
  it.each([
    ['亲，我的快递怎么还没到', 'zh'],
    ['refund 什么时候到账', 'zh'],
    ['Where is my parcel? It has been 5 days', 'en'],
    ['Please check order E2026111100123, the 尺码 is wrong and I want an exchange', 'en'],
    ['12345 !!!', null],
    ['', null],
  ])('%j → %s', (text, language) => expect(detectLanguage(text)).toBe(language));
});
