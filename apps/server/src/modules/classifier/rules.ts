import type { Category } from './categories.ts';

/**
 * Keyword and pattern rules that override the classifier (an admin's "发票 always means invoice"). Pure: the
 * tenant's rules are passed in; storing them is the caller's business.
 */
export interface OverrideRule {
  id: string;
  /** Any of the keywords (case- and width-insensitive substring), or a regular expression source. */
  pattern: { keywords: readonly string[] } | { regex: string; flags?: string };
  category: Category;
  /** Higher wins; among equal priorities, the rule listed first. */
  priority: number;
}

export interface RuleMatch {
  category: Category;
  ruleId: string;
}

// Only case-insensitivity and Unicode mode are honoured: `g`/`y` would make `test` stateful between calls.
const ALLOWED_FLAGS = /^[iu]*$/;

/** Checks a rule's pattern before it is saved, so a bad regex is refused up front instead of failing later. */
export function validateRule(rule: OverrideRule): string | null {
  if ('keywords' in rule.pattern) {
    return rule.pattern.keywords.some((k) => k.trim()) ? null : 'A keyword rule needs at least one keyword';
  }
  if (!ALLOWED_FLAGS.test(rule.pattern.flags ?? '')) return 'Only the i and u regex flags are allowed';
  try {
    new RegExp(rule.pattern.regex, rule.pattern.flags);
    return null;
  } catch (error) {
    return `Invalid regular expression: ${(error as Error).message}`;
  }
}

function matches(rule: OverrideRule, text: string, normalisedText: string): boolean {
  if ('keywords' in rule.pattern) {
    return rule.pattern.keywords.some((k) => {
      const keyword = k.normalize('NFKC').toLowerCase().trim();
      return keyword.length > 0 && normalisedText.includes(keyword);
    });
  }
  if (validateRule(rule)) return false;
  return new RegExp(rule.pattern.regex, rule.pattern.flags).test(text.normalize('NFKC'));
}

/** The highest-priority rule matching the text, or null when none does (then the model decides). */
export function applyRules(rules: readonly OverrideRule[], text: string): RuleMatch | null {
  // Keywords compare width- and case-insensitively (Ｒｅｆｕｎｄ matches refund), digits left intact.
  const lowered = text.normalize('NFKC').toLowerCase();
  let best: OverrideRule | null = null;
  for (const rule of rules) {
    if (best && rule.priority <= best.priority) continue;
    if (matches(rule, text, lowered)) best = rule;
  }
  return best ? { category: best.category, ruleId: best.id } : null;
}
