/**
 * A guard for regular expressions written by tenant admins (classifier override rules, routing `matches`
 * conditions), which run on every new ticket. JavaScript regexes backtrack and cannot be interrupted, so a
 * pattern like `(a+)+$` or `(a|aa)*b` takes exponential time on a short text, and `.*.*x` cubic time on a long
 * one: one such rule would stall intake for every tenant in the process.
 *
 * The guard is static and conservative: it refuses what can blow up instead of proving what cannot.
 * - at most MAX_PATTERN_LENGTH characters;
 * - no backreferences (`\1`, `\k<name>`): they make matching NP-hard;
 * - no quantified group that itself contains a quantifier or an alternation (`(a+)+`, `(a|b)*`, `(?:x?y)+`):
 *   the nested and ambiguous quantifiers behind exponential backtracking; `?` and `{0,1}` on a group are fine;
 * - at most one unbounded quantifier (`*`, `+`, `{n,}`, or `{n,m}` with m > MAX_BOUNDED_REPEAT) in the whole
 *   pattern: two of them (`\d+\d+x`) already take seconds on 2,000 characters, one stays quadratic; beside
 *   it only a couple of optional parts (`?`), and bounded ranges whose choices multiply to at most 1,000
 *   (`.{0,20}.{0,20}.*x` is 441 × quadratic: over a second);
 * and callers match at most MAX_MATCH_TEXT characters of a text (quadratic on 2,000 chars is ~2 ms).
 * Lookarounds and character classes are allowed. Pure; the checked source is compiled with the `iu` flags.
 */
export const MAX_PATTERN_LENGTH = 200;
export const MAX_MATCH_TEXT = 2_000;
const MAX_BOUNDED_REPEAT = 20;

export type PatternProblem =
  'too_long' | 'invalid' | 'backreference' | 'nested_quantifier' | 'too_many_quantifiers';

export interface PatternCheck {
  problem: PatternProblem;
  message: string;
}

interface Group {
  hasQuantifier: boolean;
  hasAlternation: boolean;
}

/** Why a pattern is refused, or null when it is safe to compile and run on MAX_MATCH_TEXT characters. */
export function checkPattern(source: string): PatternCheck | null {
  if (source.length > MAX_PATTERN_LENGTH) {
    return { problem: 'too_long', message: `The pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  try {
    new RegExp(source, 'iu');
  } catch (error) {
    return { problem: 'invalid', message: `Invalid regular expression: ${(error as Error).message}` };
  }
  const stack: Group[] = [{ hasQuantifier: false, hasAlternation: false }];
  let unbounded = 0;
  // Ways the bounded quantifiers can split a match ({0,20} twice: 441); they multiply the backtracking.
  let choices = 1;
  // What the last atom was: a closed group (with what it contained), something else, or nothing to quantify.
  let lastAtom: Group | 'simple' | null = null;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) {
        return { problem: 'backreference', message: 'Backreferences (\\1, \\k<name>) are not allowed' };
      }
      // \p{…}/\P{…} and \u{…} carry a braced argument.
      if ((next === 'p' || next === 'P' || next === 'u') && source[i + 2] === '{') {
        i = source.indexOf('}', i + 2);
      } else i++;
      lastAtom = 'simple';
      continue;
    }
    if (ch === '[') {
      // A character class is one atom; skip to its closing bracket (escapes inside are skipped too).
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      lastAtom = 'simple';
      continue;
    }
    if (ch === '(') {
      stack.push({ hasQuantifier: false, hasAlternation: false });
      if (source[i + 1] === '?') {
        // (?: (?= (?! (?<= (?<! (?<name>: skip the group's prefix.
        if (source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') {
          i = source.indexOf('>', i);
        } else i += source[i + 2] === '<' ? 3 : 2;
      }
      lastAtom = null;
      continue;
    }
    if (ch === ')') {
      const group = stack.pop()!;
      const parent = stack[stack.length - 1]!;
      if (group.hasQuantifier) parent.hasQuantifier = true;
      lastAtom = group;
      continue;
    }
    if (ch === '|') {
      stack[stack.length - 1]!.hasAlternation = true;
      lastAtom = null;
      continue;
    }
    const quantifier = readQuantifier(source, i);
    if (quantifier) {
      i = quantifier.end - 1;
      if (source[i + 1] === '?') i++; // lazy: same risk
      if (lastAtom === null) continue; // the RegExp compiled, so this is a literal brace
      if (
        typeof lastAtom === 'object' &&
        quantifier.repeats &&
        (lastAtom.hasQuantifier || lastAtom.hasAlternation)
      ) {
        return {
          problem: 'nested_quantifier',
          message: 'A repeated group may not contain a quantifier or an alternation, as in (a+)+ or (a|b)*',
        };
      }
      if (quantifier.unbounded) unbounded++;
      else choices *= quantifier.choices;
      if (unbounded > 1 || (unbounded === 1 && choices > 4) || choices > 1_000) {
        return {
          problem: 'too_many_quantifiers',
          message:
            'Too many quantifiers: at most one unbounded one (*, +, {n,}) and few optional parts beside it',
        };
      }
      stack[stack.length - 1]!.hasQuantifier = true;
      lastAtom = null;
      continue;
    }
    lastAtom = 'simple';
  }
  return null;
}

/** A quantifier at `i`: whether it repeats more than once and whether it is unbounded; null if none. */
function readQuantifier(
  source: string,
  i: number,
): { end: number; repeats: boolean; unbounded: boolean; choices: number } | null {
  const ch = source[i];
  if (ch === '*' || ch === '+') return { end: i + 1, repeats: true, unbounded: true, choices: Infinity };
  if (ch === '?') return { end: i + 1, repeats: false, unbounded: false, choices: 2 };
  if (ch !== '{') return null;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
  if (!m) return null;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
  return {
    end: i + m[0].length,
    repeats: max > 1,
    unbounded: max > MAX_BOUNDED_REPEAT,
    choices: max - min + 1,
  };
}

/**
 * Compiles a pattern that passed checkPattern, for matching the first MAX_MATCH_TEXT characters of a text
 * (case-insensitive, Unicode); null for a pattern that does not pass (e.g. one stored before the guard).
 */
export function compileSafePattern(source: string): RegExp | null {
  let compiled = compiledCache.get(source);
  if (compiled === undefined) {
    compiled = checkPattern(source) ? null : new RegExp(source, 'iu');
    // Rules are few per tenant; the bound only keeps a pathological churn from growing the map forever.
    if (compiledCache.size >= 1_000) compiledCache.clear();
    compiledCache.set(source, compiled);
  }
  return compiled;
}

// Shared RegExps are safe: without the g/y flags exec() keeps no state between calls.
const compiledCache = new Map<string, RegExp | null>();
