import {
  checkPattern,
  compileSafePattern,
  MAX_MATCH_TEXT,
  type PatternCheck,
} from '../../lib/safe-pattern.ts';
import type { Category } from './categories.ts';

/**
 * A tenant admin's keyword and pattern rules that override the classifier ("发票 always means invoice").
 * Pure: the tenant's rules are passed in (from the per-process tenant config cache); storing them is the
 * repository's business. Rules run in `position` order and the first match wins, like routing rules.
 */
export interface ClassifierRule {
  id: string;
  position: number;
  /** keyword: case- and width-insensitive substring; pattern: a regular expression (checked by safe-pattern). */
  kind: 'keyword' | 'pattern';
  pattern: string;
  category: Category;
  enabled: boolean;
}

export interface CompiledRule {
  rule: ClassifierRule;
  /** The keyword as compared (NFKC, lower case), or the compiled pattern; null: never matches. */
  keyword: string | null;
  regex: RegExp | null;
}

export interface RuleMatch {
  ruleId: string;
  kind: ClassifierRule['kind'];
  pattern: string;
  category: Category;
  /** The text that matched (the keyword, or the pattern's match), for the explanation. */
  matched: string;
}

export const MAX_KEYWORD_LENGTH = 100;

/** Why a rule's pattern cannot be saved, or null. Keywords only need to be non-empty. */
export function checkRulePattern(kind: ClassifierRule['kind'], pattern: string): PatternCheck | null {
  if (kind === 'keyword') {
    const keyword = normaliseForKeywords(pattern).trim();
    if (!keyword) return { problem: 'invalid', message: 'A keyword rule needs a keyword' };
    if (keyword.length > MAX_KEYWORD_LENGTH)
      return { problem: 'too_long', message: `A keyword is at most ${MAX_KEYWORD_LENGTH} characters` };
    return null;
  }
  return checkPattern(pattern);
}

/**
 * Enabled rules in evaluation order, compiled once (per cache entry, not per ticket). A stored pattern that
 * the guard refuses (saved before the guard existed, or by hand) is kept but never matches.
 */
export function compileRules(rules: readonly ClassifierRule[]): CompiledRule[] {
  return rules
    .filter((r) => r.enabled)
    .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1))
    .map((rule) => {
      if (rule.kind === 'keyword') {
        const keyword = normaliseForKeywords(rule.pattern).trim();
        return { rule, keyword: keyword || null, regex: null };
      }
      return { rule, keyword: null, regex: compileSafePattern(rule.pattern) };
    });
}

function normaliseForKeywords(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The first rule (by position) matching the text, or null when none does and the model decides. */
export function applyRules(rules: readonly CompiledRule[], text: string): RuleMatch | null {
  if (rules.length === 0) return null;
  // Both kinds see a bounded text: a pattern's worst case grows with the length it scans.
  const bounded = text.slice(0, MAX_MATCH_TEXT).normalize('NFKC');
  const lowered = bounded.toLowerCase();
  for (const { rule, keyword, regex } of rules) {
    let matched: string | null = null;
    if (keyword !== null && lowered.includes(keyword)) matched = keyword;
    else if (regex) matched = regex.exec(bounded)?.[0] ?? null;
    if (matched !== null) {
      return { ruleId: rule.id, kind: rule.kind, pattern: rule.pattern, category: rule.category, matched };
    }
  }
  return null;
}
