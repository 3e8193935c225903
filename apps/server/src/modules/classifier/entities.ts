/**
 * Entities in a customer's message: order numbers, tracking numbers, mainland mobile numbers and amounts.
 * Pure. Matchers run in priority order and each claims its characters, so one digit run is read once: a
 * 16–20-digit run is an order id, an 11-digit `1[3-9]…` run a phone, other 10–15-digit runs tracking numbers.
 */

export interface TrackingNumber {
  value: string;
  /** Courier code when the format names it (SF, YT, ZTO, JD, YD, STO, EMS); null for a bare number. */
  carrier: string | null;
}

export interface Amount {
  text: string;
  /** In the currency's minor unit (fen, cents): ¥59.9 → 5990. */
  minor: number;
  currency: 'CNY' | 'USD';
}

export interface Entities {
  orderNumbers: string[];
  trackingNumbers: TrackingNumber[];
  phoneNumbers: string[];
  amounts: Amount[];
}

export interface EntityOptions {
  /** Order number formats (global regexes); the defaults suit Taobao/Tmall, our own `E…` ids and Shopify. */
  orderPatterns?: readonly RegExp[];
}

const NOT_ALNUM_BEFORE = String.raw`(?<![A-Za-z0-9])`;
const NOT_DIGIT_AFTER = String.raw`(?![0-9])`;

export const DEFAULT_ORDER_PATTERNS: readonly RegExp[] = [
  new RegExp(`${NOT_ALNUM_BEFORE}E\\d{13,20}${NOT_DIGIT_AFTER}`, 'g'),
  new RegExp(`${NOT_ALNUM_BEFORE}\\d{16,20}${NOT_DIGIT_AFTER}`, 'g'),
  new RegExp(`(?<![A-Za-z0-9#])#\\d{3,10}${NOT_DIGIT_AFTER}`, 'g'),
];

const CARRIER_PATTERNS: readonly [carrier: string, pattern: RegExp][] = [
  ['SF', /(?<![A-Za-z0-9])SF\d{12,13}(?![0-9])/gi],
  ['YT', /(?<![A-Za-z0-9])YT\d{13}(?![0-9])/gi],
  ['ZTO', /(?<![A-Za-z0-9])ZTO\d{10,14}(?![0-9])/gi],
  ['JD', /(?<![A-Za-z0-9])JD[A-Z]{0,2}\d{11,13}(?![0-9])/gi],
  ['YD', /(?<![A-Za-z0-9])YD\d{12,13}(?![0-9])/gi],
  ['STO', /(?<![A-Za-z0-9])STO\d{10,13}(?![0-9])/gi],
  // UPU S10 (international EMS, e.g. EA123456789CN) and domestic EMS numbers written with the prefix.
  ['EMS', /(?<![A-Za-z0-9])(?:E[A-Z]\d{9}[A-Z]{2}|EMS\d{10,13})(?![A-Za-z0-9])/gi],
];
const GENERIC_TRACKING = /(?<![A-Za-z0-9])\d{10,15}(?![0-9])/g;
// +86 and separators are allowed (138-1234-5678, 138 1234 5678); the result is the 11 digits.
const PHONE = /(?<![0-9])(?:\+?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?![0-9])/g;

const CNY_PREFIX = /(?:¥|RMB\s?|CNY\s?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?/gi;
const CNY_SUFFIX =
  /(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s?(?:元|块钱|块|rmb|cny|yuan)(?:(\d)(?![0-9]))?/gi;
const USD = /\$\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?|(\d+)(?:\.(\d{1,2}))?\s?(?:usd|dollars?)\b/gi;

interface Span {
  start: number;
  end: number;
}

/** Major and fraction digit strings → minor units, exactly (no floating point). */
function toMinor(major: string, fraction = ''): number {
  return Number(major.replaceAll(',', '')) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2) || '0');
}

export function extractEntities(text: string, options: EntityOptions = {}): Entities {
  // NFKC turns full-width digits, letters and ￥ into their ASCII forms without moving other characters.
  const normalised = text.normalize('NFKC');
  const claimed: Span[] = [];
  const isFree = (start: number, end: number) => claimed.every((s) => end <= s.start || start >= s.end);

  function* take(pattern: RegExp): Generator<RegExpExecArray> {
    // matchAll copies the regex, so shared global patterns keep no state between calls.
    const regex = pattern.flags.includes('g') ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
    for (const match of normalised.matchAll(regex)) {
      const start = match.index;
      const end = start + match[0].length;
      if (!isFree(start, end)) continue;
      claimed.push({ start, end });
      yield match;
    }
  }

  const entities: Entities = { orderNumbers: [], trackingNumbers: [], phoneNumbers: [], amounts: [] };
  for (const pattern of options.orderPatterns ?? DEFAULT_ORDER_PATTERNS) {
    for (const match of take(pattern)) entities.orderNumbers.push(match[0].toUpperCase());
  }
  for (const [carrier, pattern] of CARRIER_PATTERNS) {
    for (const match of take(pattern))
      entities.trackingNumbers.push({ value: match[0].toUpperCase(), carrier });
  }
  for (const match of take(PHONE)) entities.phoneNumbers.push(`${match[1]}${match[2]}${match[3]}`);
  for (const match of take(CNY_PREFIX)) {
    entities.amounts.push({ text: match[0].trim(), minor: toMinor(match[1]!, match[2]), currency: 'CNY' });
  }
  for (const match of take(CNY_SUFFIX)) {
    // 59块5 means ¥59.50: a digit right after 块 is the jiao.
    const fraction = match[2] ?? (match[3] ? `${match[3]}0` : undefined);
    entities.amounts.push({ text: match[0].trim(), minor: toMinor(match[1]!, fraction), currency: 'CNY' });
  }
  for (const match of take(USD)) {
    const major = match[1] ?? match[3]!;
    const fraction = match[1] ? match[2] : match[4];
    entities.amounts.push({ text: match[0].trim(), minor: toMinor(major, fraction), currency: 'USD' });
  }
  for (const match of take(GENERIC_TRACKING))
    entities.trackingNumbers.push({ value: match[0], carrier: null });

  return {
    orderNumbers: unique(entities.orderNumbers),
    trackingNumbers: uniqueBy(entities.trackingNumbers, (t) => t.value),
    phoneNumbers: unique(entities.phoneNumbers),
    amounts: entities.amounts,
  };
}

const unique = (values: string[]) => [...new Set(values)];
function uniqueBy<T>(values: T[], key: (value: T) => string): T[] {
  const seen = new Set<string>();
  return values.filter((v) => !seen.has(key(v)) && seen.add(key(v)));
}
