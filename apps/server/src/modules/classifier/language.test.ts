import { describe, expect, it } from 'vitest';
import { loadCorpus } from './corpus/corpus.ts';
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

/** The counting detectLanguage was written with: the table-driven one must decide the same. */
function reference(text: string): 'zh' | 'en' | null {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  if (han === 0 && latin === 0) return null;
  return han * 4 >= latin ? 'zh' : 'en';
}

describe('detectLanguage against the regex count', () => {
  it.each([
    ['characters outside the BMP', '𠀀𠀁 abcdefgh'],
    ['outside the BMP, not Han', '😀😀 abc'],
    ['a lone surrogate', '\ud840abcd'],
    ['a lone low surrogate', 'ab\udc00'],
    ['full-width Latin is not counted', 'ＡＢＣＤ 好'],
    ['Han after many Latin letters', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 退款退款'],
  ])('%s', (_, text) => expect(detectLanguage(text)).toBe(reference(text)));

  it('decides like the regex count on every text of the corpus', () => {
    for (const { text } of loadCorpus()) expect(detectLanguage(text)).toBe(reference(text));
  });
});
