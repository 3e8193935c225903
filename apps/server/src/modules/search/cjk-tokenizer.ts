import { doubled, HashSlots } from '../../lib/hash-slots.ts';

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

// Classes of a lower-cased code point as RUN sees it; 0 = not classified yet.
const OTHER = 1;
const CJK_CHAR = 2;
const LETTER_OR_NUMBER = 3;
const LETTER_OR_NUMBER_RE = /[\p{L}\p{N}]/u;
// One table per Unicode plane, allocated when a character of the plane first appears and filled 256 code
// points at a time from the same regular expressions as RUN.
const planes: (Uint8Array | undefined)[] = [];

function classOf(cp: number): number {
  const plane = (planes[cp >> 16] ??= new Uint8Array(0x10000));
  const known = plane[cp & 0xffff]!;
  if (known !== 0) return known;
  const start = cp & ~0xff;
  for (let c = start; c < start + 0x100; c++) {
    const char = String.fromCodePoint(c);
    plane[c & 0xffff] = CJK.test(char) ? CJK_CHAR : LETTER_OR_NUMBER_RE.test(char) ? LETTER_OR_NUMBER : OTHER;
  }
  return plane[cp & 0xffff]!;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
/** The literal is decoded from its code units as UTF-16LE (one copy, lone surrogates kept as they are). */
const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Texts up to this many code units keep their buffers; a longer one gets fresh buffers, then drops them. */
const RETAINED_TEXT_LENGTH = 1 << 14;

/**
 * toTsvectorLiteral's state, reused from text to text: lexemes are spans of the lower-cased text, found again
 * by an FNV-1a hash of their code units and compared unit by unit, and their positions are linked lists in
 * typed arrays, so no string is made per token or per position; the literal is written into a buffer of code
 * units and decoded once.
 */
class TsvectorWriter {
  // Lexemes in order of first occurrence.
  start = new Int32Array(256);
  length = new Int32Array(256);
  hash = new Int32Array(256);
  firstOccurrence = new Int32Array(256);
  lastOccurrence = new Int32Array(256);
  occurrences = new Int32Array(256);
  lexemes = 0;
  // Positions kept (at most 256 per lexeme), each linked to the next of its lexeme.
  position = new Int32Array(256);
  next = new Int32Array(256);
  kept = 0;
  // Lexeme indices by hash.
  table = new HashSlots();
  out = new Uint16Array(1024);
  text = '';
  lastPosition = 0;
  count = 0;

  write(text: string): string {
    this.text = text;
    this.lexemes = 0;
    this.kept = 0;
    this.lastPosition = 0;
    this.count = 0;
    this.table.start(9);
    const n = text.length;
    let i = 0;
    while (i < n) {
      let cp = text.charCodeAt(i);
      let width = 1;
      if ((cp & 0xfc00) === 0xd800 && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00);
        width = 2;
      }
      const cls = cp < 0x80 ? ASCII[cp]! : classOf(cp);
      if (cls === OTHER) {
        i += width;
        continue;
      }
      const start = i;
      let previous = -1;
      while (i < n) {
        cp = text.charCodeAt(i);
        width = 1;
        if ((cp & 0xfc00) === 0xd800 && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00);
          width = 2;
        }
        if ((cp < 0x80 ? ASCII[cp]! : classOf(cp)) !== cls) break;
        // CJK runs are read as bigrams of code points, each ending with the current one.
        if (cls === CJK_CHAR && previous >= 0) this.add(previous, i + width);
        previous = i;
        i += width;
      }
      if (cls === LETTER_OR_NUMBER) this.add(start, Math.min(i, start + MAX_WORD_LENGTH));
      else if (previous === start) this.add(start, i);
      this.lastPosition = Math.min(this.lastPosition + 1, MAX_POSITION);
    }
    const literal = this.literal();
    this.text = '';
    return literal;
  }

  private add(start: number, end: number): void {
    if (this.count++ >= MAX_TOKENS) return;
    this.lastPosition = Math.min(this.lastPosition + 1, MAX_POSITION);
    const text = this.text;
    let hash = FNV_OFFSET;
    for (let k = start; k < end; k++) hash = Math.imul(hash ^ text.charCodeAt(k), FNV_PRIME);
    const table = this.table;
    let slot = table.home(hash);
    for (; table.taken(slot); slot = table.after(slot)) {
      const lexeme = table.slots[slot]!;
      if (this.hash[lexeme] === hash && this.isSame(lexeme, start, end)) {
        // PostgreSQL keeps at most 256 positions per lexeme.
        if (this.occurrences[lexeme]! < 256) {
          const kept = this.keep();
          this.next[this.lastOccurrence[lexeme]!] = kept;
          this.lastOccurrence[lexeme] = kept;
          this.occurrences[lexeme]!++;
        }
        return;
      }
    }
    if (this.lexemes === this.start.length) this.growLexemes();
    const lexeme = this.lexemes++;
    const kept = this.keep();
    this.start[lexeme] = start;
    this.length[lexeme] = end - start;
    this.hash[lexeme] = hash;
    this.firstOccurrence[lexeme] = kept;
    this.lastOccurrence[lexeme] = kept;
    this.occurrences[lexeme] = 1;
    table.put(slot, lexeme, this.hash, this.lexemes);
  }

  private keep(): number {
    if (this.kept === this.position.length) {
      this.position = doubled(this.position);
      this.next = doubled(this.next);
    }
    this.position[this.kept] = this.lastPosition;
    this.next[this.kept] = -1;
    return this.kept++;
  }

  private isSame(lexeme: number, start: number, end: number): boolean {
    if (this.length[lexeme] !== end - start) return false;
    const other = this.start[lexeme]!;
    for (let k = 0; k < end - start; k++) {
      if (this.text.charCodeAt(other + k) !== this.text.charCodeAt(start + k)) return false;
    }
    return true;
  }

  private growLexemes(): void {
    this.start = doubled(this.start);
    this.length = doubled(this.length);
    this.hash = doubled(this.hash);
    this.firstOccurrence = doubled(this.firstOccurrence);
    this.lastOccurrence = doubled(this.lastOccurrence);
    this.occurrences = doubled(this.occurrences);
  }

  /** `'lexeme':1,5 'other':2`, lexemes in order of first occurrence, quoted as quote() does. */
  private literal(): string {
    // Room for the worst case: every unit escaped, quotes, colon, space; "," and 5 digits per position.
    let room = this.kept * 6;
    for (let lexeme = 0; lexeme < this.lexemes; lexeme++) room += this.length[lexeme]! * 2 + 4;
    if (this.out.length < room) this.out = new Uint16Array(room);
    const out = this.out;
    const text = this.text;
    let at = 0;
    for (let lexeme = 0; lexeme < this.lexemes; lexeme++) {
      if (lexeme > 0) out[at++] = 0x20;
      out[at++] = 0x27;
      const start = this.start[lexeme]!;
      for (let k = start; k < start + this.length[lexeme]!; k++) {
        const unit = text.charCodeAt(k);
        if (unit === 0x27 || unit === 0x5c) out[at++] = unit;
        out[at++] = unit;
      }
      out[at++] = 0x27;
      out[at++] = 0x3a;
      for (let kept = this.firstOccurrence[lexeme]!; kept >= 0; kept = this.next[kept]!) {
        if (kept !== this.firstOccurrence[lexeme]) out[at++] = 0x2c;
        at = writeNumber(out, at, this.position[kept]!);
      }
    }
    const bytes = Buffer.from(out.buffer, out.byteOffset, at * 2);
    if (!IS_LITTLE_ENDIAN) bytes.swap16();
    return bytes.toString('utf16le');
  }
}

/** Writes a positive integer's decimal digits; returns the index after them. */
function writeNumber(out: Uint16Array, at: number, value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  for (let k = at + digits - 1; k >= at; k--) {
    out[k] = 0x30 + (value % 10);
    value = Math.floor(value / 10);
  }
  return at + digits;
}

const ASCII = Uint8Array.from({ length: 0x80 }, (_, cp) => classOf(cp));
const sharedWriter = new TsvectorWriter();

/**
 * A tsvector literal (`'发货':1 '货慢':2`) for a text, to store with `::tsvector`: the tokens of tokenize()
 * with their positions, runs separated by a skipped position so a phrase query never matches across two runs.
 * Every new ticket's text passes here on intake's hot path, so it is written without a string per token (see
 * TsvectorWriter); cjk-tokenizer.test.ts checks it against the straightforward version.
 */
export function toTsvectorLiteral(text: string): string {
  const lowered = text.normalize('NFKC').toLowerCase();
  // A huge text must not leave megabytes of buffers behind for the next short ticket.
  return (lowered.length > RETAINED_TEXT_LENGTH ? new TsvectorWriter() : sharedWriter).write(lowered);
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
