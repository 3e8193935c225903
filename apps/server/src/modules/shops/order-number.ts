import { DEFAULT_ORDER_PATTERNS } from '../classifier/entities.ts';

/**
 * Order number formats PeakDesk recognises in a customer's text, most specific first: the demo shop's
 * `DS` + 15 digits, then the classifier's defaults (Taobao/Tmall 16–20 digits, `E…` ids, Shopify `#1001`).
 */
export const ORDER_NUMBER_PATTERNS: readonly RegExp[] = [
  /(?<![A-Za-z0-9])DS\d{15}(?![0-9])/gi,
  ...DEFAULT_ORDER_PATTERNS,
];

// Sticky-free copies (no `g`): exec then has no lastIndex state shared between calls.
const FIRST_MATCH = ORDER_NUMBER_PATTERNS.map((p) => new RegExp(p.source, p.flags.replace('g', '')));

/**
 * The order number a ticket's text quotes, for a ticket whose sender did not fill the field: the first match
 * of the most specific pattern, upper-cased; null when there is none. Pure; runs once per ticket at intake
 * (microseconds: a few anchored regexes over the text).
 */
export function findOrderNumber(text: string): string | null {
  const normalised = text.normalize('NFKC');
  for (const pattern of FIRST_MATCH) {
    const match = pattern.exec(normalised);
    if (match) return match[0].toUpperCase();
  }
  return null;
}
