/**
 * Full-text search for Chinese and English on PostgreSQL's `simple` configuration.
 *
 * PostgreSQL has no Chinese segmenter, and `simple` treats a run of Han characters as one word, so `发货`
 * would never match `催发货了吗`. As Lucene's CJK analyzer does, runs of CJK characters are indexed as
 * overlapping bigrams (`催发 发货 货了 了吗`) and a query word becomes a phrase of its bigrams
 * (`发货` → `'发货'`, `价格保护` → `'价格' <-> '格保' <-> '保护'`), which a GIN index answers exactly.
 * Latin words and numbers (order and tracking numbers) are indexed whole and matched by prefix.
 */

// Han (with extensions), kana, hangul, and CJK compatibility ideographs.
const CJK_CLASS = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}`;
const CJK = new RegExp(`[${CJK_CLASS}]`, 'u');
const RUN = new RegExp(`[${CJK_CLASS}]+|(?:(?![${CJK_CLASS}])[\\p{L}\\p{N}])+`, 'gu');

/** PostgreSQL keeps positions up to 16383; later tokens are still indexed, at the last position. */
const MAX_POSITION = 16383;
const MAX_TOKENS = 20000;
const MAX_WORD_LENGTH = 64;

interface Run {
  text: string;
  cjk: boolean;
}

function runsOf(text: string): Run[] {
  const normalised = text.normalize('NFKC').toLowerCase();
  const runs: Run[] = [];
  for (const match of normalised.matchAll(RUN)) {
    const run = match[0];
    runs.push({ text: run, cjk: CJK.test(run) });
  }
  return runs;
}

function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const grams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) grams.push(chars[i]! + chars[i + 1]!);
  return grams;
}

/** The tokens of a text in order: CJK bigrams and whole Latin words. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const run of runsOf(text)) {
    if (run.cjk) tokens.push(...bigrams(run.text));
    else tokens.push(run.text.slice(0, MAX_WORD_LENGTH));
  }
  return tokens;
}

function quote(lexeme: string): string {
  // Runs hold letters and numbers only, so this is nearly always the plain form; kept exact for any input.
  if (!lexeme.includes("'") && !lexeme.includes('\\')) return `'${lexeme}'`;
  return `'${lexeme.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * A tsvector literal (`'发货':1 '货慢':2`) for a text, to store with `::tsvector`. Runs are separated by a
 * skipped position, so a phrase query never matches across two runs. Every new ticket's text passes here on
 * intake's hot path, so CJK bigrams are sliced from the run (not from an array of its characters) when it
 * holds no surrogate pair, and the literal is built in one string: same output as tokenize() would give.
 */
export function toTsvectorLiteral(text: string): string {
  const positions = new Map<string, number[]>();
  let position = 0;
  let count = 0;
  const add = (token: string) => {
    position = Math.min(position + 1, MAX_POSITION);
    const list = positions.get(token);
    // PostgreSQL keeps at most 256 positions per lexeme.
    if (!list) positions.set(token, [position]);
    else if (list.length < 256) list.push(position);
  };
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(RUN)) {
    const run = match[0];
    if (!CJK.test(run)) {
      if (count++ < MAX_TOKENS) add(run.slice(0, MAX_WORD_LENGTH));
    } else if (SURROGATE.test(run)) {
      for (const token of bigrams(run)) if (count++ < MAX_TOKENS) add(token);
    } else if (run.length === 1) {
      if (count++ < MAX_TOKENS) add(run);
    } else {
      for (let i = 0; i + 1 < run.length; i++) if (count++ < MAX_TOKENS) add(run.slice(i, i + 2));
    }
    position = Math.min(position + 1, MAX_POSITION);
  }
  let literal = '';
  for (const [token, list] of positions) {
    literal += `${literal ? ' ' : ''}${quote(token)}:${list.join(',')}`;
  }
  return literal;
}

/**
 * A tsquery literal for what a user typed, or null when it holds nothing searchable. Every word must match
 * (AND); a CJK word matches as the phrase of its bigrams, a single CJK character or a Latin word by prefix.
 */
export function toTsqueryLiteral(query: string): string | null {
  const parts: string[] = [];
  for (const run of runsOf(query).slice(0, 16)) {
    if (run.cjk) {
      const grams = bigrams(run.text);
      if (grams.length === 1 && [...run.text].length === 1) parts.push(`${quote(grams[0]!)}:*`);
      else parts.push(grams.length === 1 ? quote(grams[0]!) : `(${grams.map(quote).join(' <-> ')})`);
    } else {
      parts.push(`${quote(run.text.slice(0, MAX_WORD_LENGTH))}:*`);
    }
  }
  return parts.length ? parts.join(' & ') : null;
}
