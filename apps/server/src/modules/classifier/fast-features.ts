import { doubled, HashSlots } from '../../lib/hash-slots.ts';
import { CJK, STOP_WORDS } from './features.ts';

/**
 * The hashed bucket sums of `vectorize()` (features.ts), computed for intake's hot path without building a
 * string per feature or a Map: one scan of the NFKC text does the lower-casing, the digit-run rule and the
 * tokenising of `extractFeatures()`, hashes every feature name incrementally (FNV-1a over the UTF-16 code units
 * of `w:…`, `s:…`, `c:…` or the CJK n-gram, as `hashFeature()`), and counts features in reused typed arrays.
 *
 * A feature is identified exactly, not by its hash: a CJK n-gram by its code points, a trigram by its three
 * code units, a symbol by its code unit, a word or word bigram by the span(s) of its characters in a scratch
 * buffer of the text's tokens (compared unit by unit when the 32-bit hashes agree). So two different names
 * hashing alike are still counted apart, as the Map of names in extractFeatures() does.
 *
 * The buffers belong to the module and are reused by the next call: callers read the result before calling
 * again (everything here is synchronous). fast-features.test.ts checks the sums against vectorize() on the
 * whole corpus and on generated text.
 */

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const fold = (hash: number, unit: number) => Math.imul(hash ^ unit, FNV_PRIME);
const foldCodePoint = (hash: number, cp: number) =>
  cp < 0x10000 ? fold(hash, cp) : fold(fold(hash, 0xd7c0 + (cp >> 10)), 0xdc00 | (cp & 0x3ff));
const foldString = (hash: number, text: string) => {
  for (let i = 0; i < text.length; i++) hash = fold(hash, text.charCodeAt(i));
  return hash;
};
const HASH_W = foldString(FNV_OFFSET, 'w:');
const HASH_S = foldString(FNV_OFFSET, 's:');
const HASH_C = foldString(FNV_OFFSET, 'c:');

// Character classes of a code point *after* toLowerCase(), as the TOKEN regex sees it: low 3 bits the class,
// the rest the lower-cased code unit (word characters and symbols). 0 = not classified yet.
const OTHER = 1;
const CJK_CHAR = 2;
const SYMBOL = 3;
const WORD = 4;
/** A letter whose lower case is that letter and a non-token mark (İ → i + U+0307): ends the word. */
const WORD_END = 5;
/** A lower-case mapping this scanner does not model (none in Node 20's ICU): the caller falls back. */
const UNSUPPORTED = 6;

function classOfLowered(cp: number, isItself: boolean): number {
  if ((cp >= 0x61 && cp <= 0x7a) || cp === 0x27) return WORD | (cp << 3);
  // ASCII digits, '.' and ',' are read before the table (digit runs); another character lowering to one
  // of them would change normalize()'s digit rule.
  if ((cp >= 0x30 && cp <= 0x39) || cp === 0x2e || cp === 0x2c) return isItself ? OTHER : UNSUPPORTED;
  if (cp === 0xa5 || cp === 0x24 || cp === 0x3f || cp === 0x21) return SYMBOL | (cp << 3);
  return CJK.test(String.fromCodePoint(cp)) ? CJK_CHAR : OTHER;
}

function classify(cp: number): number {
  const lower = String.fromCodePoint(cp).toLowerCase();
  const first = lower.codePointAt(0)!;
  const info = classOfLowered(first, first === cp);
  let i = first > 0xffff ? 2 : 1;
  if (i === lower.length) return info;
  while (i < lower.length) {
    const next = lower.codePointAt(i)!;
    if (classOfLowered(next, false) !== OTHER) return UNSUPPORTED;
    i += next > 0xffff ? 2 : 1;
  }
  if ((info & 7) === WORD) return WORD_END | (info & ~7);
  return info === OTHER ? OTHER : UNSUPPORTED;
}

// One table per Unicode plane, allocated when a character of the plane first appears and filled 256 code
// points at a time (emoji and the astral Han extensions live in planes 1–3).
const planes: (Uint16Array | undefined)[] = [];

function classOf(cp: number): number {
  const plane = (planes[cp >> 16] ??= new Uint16Array(0x10000));
  const info = plane[cp & 0xffff]!;
  if (info !== 0) return info;
  const start = cp & ~0xff;
  for (let c = start; c < start + 0x100; c++) plane[c & 0xffff] = classify(c);
  return plane[cp & 0xffff]!;
}

const packUnits = (a: number, b: number, c: number) => a | (b << 8) | (c << 16);
const STOP_KEYS = new Set<number>();
for (const word of STOP_WORDS) {
  if (!/^[a-z']{1,3}$/.test(word)) throw new Error(`fast-features packs stop words of 1–3 letters: ${word}`);
  STOP_KEYS.add(packUnits(word.charCodeAt(0), word.charCodeAt(1) || 0, word.charCodeAt(2) || 0));
}

const KIND_CJK = 1;
const KIND_SYMBOL = 2;
const KIND_TRIGRAM = 3;
const KIND_WORD = 4;
const KIND_BIGRAM = 5;

/** Math.log1p of small counts, computed once (the same doubles). */
const LOG1P = Float64Array.from({ length: 64 }, (_, n) => Math.log1p(n));

const isDigit = (unit: number) => unit >= 0x30 && unit <= 0x39;
const nextPowerOfTwoBits = (n: number) => 32 - Math.clz32(Math.max(n, 2) - 1);

/** Buckets in order of first occurrence and their Σ log1p(count) over the names in each, as vectorize(). */
export interface BucketSums {
  length: number;
  buckets: Uint32Array;
  sums: Float64Array;
}

/** Texts up to this many code units keep their buffers; a longer one gets fresh buffers, then drops them. */
const RETAINED_TEXT_LENGTH = 1 << 14;

class Featuriser {
  // Features in order of first occurrence: kind, FNV-1a hash of the name, identity (a–d), count.
  kind = new Uint8Array(256);
  hash = new Int32Array(256);
  a = new Int32Array(256);
  b = new Int32Array(256);
  c = new Int32Array(256);
  d = new Int32Array(256);
  count = new Int32Array(256);
  size = 0;
  // Feature indices by hash; after the scan, bucket indices by bucket (sumBuckets).
  table = new HashSlots();
  // Lower-cased word tokens, digit runs as '0'; words kept as features are never overwritten.
  units = new Uint16Array(256);
  unitCount = 0;
  cjkRun = new Int32Array(256);
  cjkLength = 0;
  previousStart = 0;
  previousLength = 0;
  previousHash = 0;
  result: BucketSums = { length: 0, buckets: new Uint32Array(256), sums: new Float64Array(256) };

  /** False when the text holds a character whose lower case this scanner does not model. */
  scan(text: string): boolean {
    const n = text.length;
    if (this.units.length < n) this.units = new Uint16Array(n);
    if (this.cjkRun.length < n) this.cjkRun = new Int32Array(n);
    this.size = 0;
    this.unitCount = 0;
    this.cjkLength = 0;
    this.previousLength = 0;
    this.table.start(nextPowerOfTwoBits(Math.min(n * 4, 1 << 16)));
    let wordStart = 0;
    let i = 0;
    while (i < n) {
      let cp = text.charCodeAt(i++);
      if (isDigit(cp)) {
        // normalize()'s /\d+(?:[.,]\d+)?/ → '0', inside the word it belongs to.
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        const separator = text.charCodeAt(i);
        if ((separator === 0x2e || separator === 0x2c) && isDigit(text.charCodeAt(i + 1))) {
          i += 2;
          while (i < n && isDigit(text.charCodeAt(i))) i++;
        }
        this.units[this.unitCount++] = 0x30;
        continue;
      }
      if ((cp & 0xfc00) === 0xd800 && i < n) {
        const low = text.charCodeAt(i);
        if ((low & 0xfc00) === 0xdc00) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          i++;
        }
      }
      const info = cp < 0x80 ? ASCII[cp]! : classOf(cp);
      const cls = info & 7;
      if (cls === WORD) {
        this.units[this.unitCount++] = info >> 3;
        continue;
      }
      if (cls === WORD_END) this.units[this.unitCount++] = info >> 3;
      if (this.unitCount > wordStart) {
        this.word(wordStart, this.unitCount - wordStart);
        wordStart = this.unitCount;
      }
      if (cls === CJK_CHAR) {
        this.cjkRun[this.cjkLength++] = cp;
        this.previousLength = 0;
      } else if (cls === SYMBOL) {
        this.flushCjk();
        const unit = info >> 3;
        this.add(KIND_SYMBOL, fold(HASH_S, unit), unit, 0, 0, 0);
        this.previousLength = 0;
      } else if (cls === UNSUPPORTED) return false;
    }
    if (this.unitCount > wordStart) this.word(wordStart, this.unitCount - wordStart);
    this.flushCjk();
    return true;
  }

  private word(start: number, length: number): void {
    const units = this.units;
    if (length === 1 && units[start] === 0x30 && this.cjkLength > 0) {
      // A digit inside Chinese ("0元") stays part of the run.
      this.cjkRun[this.cjkLength++] = 0x30;
      this.unitCount = start;
      return;
    }
    this.flushCjk();
    if (
      length <= 3 &&
      STOP_KEYS.has(
        packUnits(units[start]!, length > 1 ? units[start + 1]! : 0, length > 2 ? units[start + 2]! : 0),
      )
    ) {
      this.unitCount = start;
      return;
    }
    let hash = HASH_W;
    for (let k = start; k < start + length; k++) hash = fold(hash, units[k]!);
    this.add(KIND_WORD, hash, start, length, 0, 0);
    if (this.previousLength > 0) {
      let bigram = fold(this.previousHash, 0x20);
      for (let k = start; k < start + length; k++) bigram = fold(bigram, units[k]!);
      this.add(KIND_BIGRAM, bigram, this.previousStart, this.previousLength, start, length);
    }
    this.previousStart = start;
    this.previousLength = length;
    this.previousHash = hash;
    if (length >= 4) {
      // Trigrams of `<word>`.
      let x = 0x3c;
      let y = units[start]!;
      for (let k = start + 1; k <= start + length; k++) {
        const z = k < start + length ? units[k]! : 0x3e;
        this.add(KIND_TRIGRAM, fold(fold(fold(HASH_C, x), y), z), packUnits(x, y, z), 0, 0, 0);
        x = y;
        y = z;
      }
    }
  }

  private flushCjk(): void {
    const run = this.cjkRun;
    const length = this.cjkLength;
    for (let i = 0; i < length; i++) {
      const one = foldCodePoint(FNV_OFFSET, run[i]!);
      this.add(KIND_CJK, one, run[i]!, -1, -1, 0);
      if (i + 1 < length) {
        const two = foldCodePoint(one, run[i + 1]!);
        this.add(KIND_CJK, two, run[i]!, run[i + 1]!, -1, 0);
        if (i + 2 < length) {
          this.add(KIND_CJK, foldCodePoint(two, run[i + 2]!), run[i]!, run[i + 1]!, run[i + 2]!, 0);
        }
      }
    }
    this.cjkLength = 0;
  }

  private add(kind: number, hash: number, a: number, b: number, c: number, d: number): void {
    const table = this.table;
    let slot = table.home(hash);
    for (; table.taken(slot); slot = table.after(slot)) {
      const f = table.slots[slot]!;
      if (this.hash[f] === hash && this.kind[f] === kind && this.isSame(f, kind, a, b, c, d)) {
        this.count[f]!++;
        return;
      }
    }
    if (this.size === this.kind.length) this.growFeatures();
    const f = this.size++;
    this.kind[f] = kind;
    this.hash[f] = hash;
    this.a[f] = a;
    this.b[f] = b;
    this.c[f] = c;
    this.d[f] = d;
    this.count[f] = 1;
    table.put(slot, f, this.hash, this.size);
  }

  private isSame(f: number, kind: number, a: number, b: number, c: number, d: number): boolean {
    if (this.a[f] === a && this.b[f] === b && this.c[f] === c && this.d[f] === d) return true;
    // Exact identities (CJK code points, trigram and symbol units) differ; words compare their characters.
    if (kind === KIND_WORD) return this.b[f] === b && this.sameUnits(this.a[f]!, a, b);
    if (kind === KIND_BIGRAM) {
      return (
        this.b[f] === b &&
        this.d[f] === d &&
        this.sameUnits(this.a[f]!, a, b) &&
        this.sameUnits(this.c[f]!, c, d)
      );
    }
    return false;
  }

  private sameUnits(x: number, y: number, length: number): boolean {
    for (let k = 0; k < length; k++) if (this.units[x + k] !== this.units[y + k]) return false;
    return true;
  }

  private growFeatures(): void {
    this.kind = doubled(this.kind);
    this.hash = doubled(this.hash);
    this.a = doubled(this.a);
    this.b = doubled(this.b);
    this.c = doubled(this.c);
    this.d = doubled(this.d);
    this.count = doubled(this.count);
  }

  /** Sums log1p(count) per bucket, features in order of first occurrence, as vectorize() does. */
  sumBuckets(hashBuckets: number): BucketSums {
    const result = this.result;
    if (result.buckets.length < this.size) {
      result.buckets = new Uint32Array(this.kind.length);
      result.sums = new Float64Array(this.kind.length);
    }
    const { buckets, sums } = result;
    // The feature table is done with: its slots now index buckets.
    const table = this.table;
    table.start(nextPowerOfTwoBits(this.size * 2));
    // For a power of two, the remainder is the low bits: the same number without a floating-point modulo.
    const lowBits = (hashBuckets & (hashBuckets - 1)) === 0 && hashBuckets <= 2 ** 31 ? hashBuckets - 1 : -1;
    let length = 0;
    for (let f = 0; f < this.size; f++) {
      const bucket = lowBits >= 0 ? this.hash[f]! & lowBits : (this.hash[f]! >>> 0) % hashBuckets;
      let slot = table.home(bucket);
      let index = -1;
      for (; table.taken(slot); slot = table.after(slot)) {
        if (buckets[table.slots[slot]!] === bucket) {
          index = table.slots[slot]!;
          break;
        }
      }
      if (index < 0) {
        index = length++;
        buckets[index] = bucket;
        sums[index] = 0;
        table.put(slot, index, buckets, length);
      }
      const count = this.count[f]!;
      sums[index]! += count < LOG1P.length ? LOG1P[count]! : Math.log1p(count);
    }
    result.length = length;
    return result;
  }
}

const ASCII = new Uint16Array(0x80).map((_, cp) => classify(cp));

const shared = new Featuriser();

/**
 * vectorize(text, hashBuckets) before the L2 normalisation: its buckets in the same order and, per bucket,
 * the same sum of log1p(count) in the same order, so what is computed from it is the same to the bit.
 * Undefined when the text holds a character whose lower case the scanner does not model (the caller then
 * uses the reference path). The result is overwritten by the next call.
 */
export function sumBuckets(text: string, hashBuckets: number): BucketSums | undefined {
  const normalized = text.normalize('NFKC');
  if (normalized.length > RETAINED_TEXT_LENGTH) {
    // A huge text must not leave megabytes of buffers behind for the next short ticket.
    const once = new Featuriser();
    return once.scan(normalized) ? once.sumBuckets(hashBuckets) : undefined;
  }
  return shared.scan(normalized) ? shared.sumBuckets(hashBuckets) : undefined;
}
