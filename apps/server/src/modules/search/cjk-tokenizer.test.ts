import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusLines } from '../../../bench/intake-corpus.ts';
import { loadCorpus } from '../classifier/corpus/corpus.ts';
import { tokenize, toTsqueryLiteral, toTsvectorLiteral } from './cjk-tokenizer.ts';

describe('tokenize', () => {
  it.each([
    ['催发货', ['催发', '发货']],
    ['价保', ['价保']],
    ['退', ['退']],
    ['Where is my ORDER #A1001?', ['where', 'is', 'my', 'order', 'a1001']],
    ['订单E20261111001还没发货', ['订单', 'e20261111001', '还没', '没发', '发货']],
    ['ＡＢＣ１２３ 全角', ['abc123', '全角']],
    ['', []],
    ['!!! ……', []],
  ])('%j → %j', (text, tokens) => expect(tokenize(text)).toEqual(tokens));
});

describe('toTsvectorLiteral', () => {
  it('gives positions, repeats and a gap between runs', () => {
    expect(toTsvectorLiteral('发货 发货')).toBe("'发货':1,3");
    expect(toTsvectorLiteral('催发货 ok')).toBe("'催发':1 '发货':2 'ok':4");
  });
  it('leaves out tokens after the first 20,000', () => {
    // 'ok' keeps its first 256 positions (1, 3, …, 511); 'kept' is token 20,000, at the last position.
    const okPositions = Array.from({ length: 256 }, (_, i) => 2 * i + 1).join(',');
    expect(toTsvectorLiteral(`${'ok '.repeat(19999)}kept late`)).toBe(`'ok':${okPositions} 'kept':16383`);
  });
  it('escapes quotes and backslashes', () => {
    expect(toTsvectorLiteral("it's a\\b")).toBe("'it':1 's':3 'a':5 'b':7");
  });
});

/** toTsvectorLiteral as first written, from tokenize()'s runs: the fast one must give the same literal. */
function referenceTsvector(text: string): string {
  const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
  const RUN =
    /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])[\p{L}\p{N}])+/gu;
  const positions = new Map<string, number[]>();
  let position = 0;
  let count = 0;
  for (const [run] of text.normalize('NFKC').toLowerCase().matchAll(RUN)) {
    const chars = [...run];
    const tokens = !CJK.test(run)
      ? [run.slice(0, 64)]
      : chars.length === 1
        ? chars
        : chars.slice(1).map((c, i) => chars[i]! + c);
    for (const token of tokens) {
      if (count++ >= 20000) break;
      position = Math.min(position + 1, 16383);
      const list = positions.get(token);
      if (!list) positions.set(token, [position]);
      else if (list.length < 256) list.push(position);
    }
    position = Math.min(position + 1, 16383);
  }
  const quote = (l: string) => `'${l.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  return [...positions].map(([token, list]) => `${quote(token)}:${list.join(',')}`).join(' ');
}

describe('toTsvectorLiteral against the reference', () => {
  it.each([
    ['surrogate pairs', '𠀀好𠀀好好𠀀 𪚥龘𪚥 a𠀀b'],
    ['kana and hangul', 'ｶﾀｶﾅとひらがな、カタカナ 한국어 텍스트'],
    ['a lexeme repeated past 256 positions', '发货 '.repeat(400)],
    ['positions past 16383 and more than 20,000 tokens', '催发货了吗 order '.repeat(6000)],
    ['empty', ''],
    ['a new lexeme after 20,000 tokens (left out)', `${'ok '.repeat(20000)}late 迟了`],
    ['a word cut at 64 units inside a surrogate pair', `${'a'.repeat(63)}\u{10428}\u{10429} b`],
    ['lone surrogates, final sigma, dotted İ', '\ud800退\udc00款 ΟΔΟΣ ΣΑΣ İstanbul'],
    ['full-width and compatibility characters', 'ＡＢＣ１２３ ﬁle ① ㍿ ｶﾞ'],
    // Equal FNV-1a hashes on all 32 bits (found by a birthday search): still two lexemes.
    ['two words with the same hash', 'yaczfa glbppa yaczfa'],
  ])('%s', (_, text) => expect(toTsvectorLiteral(text)).toBe(referenceTsvector(text)));

  it('gives the same literal for every text of the classifier corpus and the intake bench', () => {
    const texts = [
      ...loadCorpus().map((example) => example.text),
      ...corpusLines(3000).map((line) => (JSON.parse(line) as { body: string }).body),
    ];
    for (const text of texts) expect(toTsvectorLiteral(text)).toBe(referenceTsvector(text));
  });
});

const PIECES = [
  ...'发货退款价格保护催了吗𠀀𪚥かなカナｶﾅ한국어',
  ...'ＡＢＣａｂｃ１２３，。！？　',
  ..."aAzZ0189'\\.,-_ \t\n",
  ...'🙂👍🏻ΣσςΟΔİﬁ①㍿\u0301\u3099',
  '\u{10428}',
  'order',
  'E20261111001',
  'a'.repeat(70),
  '发货'.repeat(5),
];

describe('toTsvectorLiteral on generated text', () => {
  it('gives the literal of the reference', () => {
    const text = fc
      .array(
        fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...PIECES) },
          { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
          { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
        ),
        { maxLength: 80 },
      )
      .map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(toTsvectorLiteral(t)).toBe(referenceTsvector(t));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('toTsqueryLiteral', () => {
  it.each([
    ['发货', "'发货'"],
    ['价格保护', "('价格' <-> '格保' <-> '保护')"],
    ['退', "'退':*"],
    ['refund 退款', "'refund':* & '退款'"],
    ["o'neil", "'o':* & 'neil':*"],
    ['   ', null],
  ])('%j → %j', (query, literal) => expect(toTsqueryLiteral(query)).toBe(literal));
});
