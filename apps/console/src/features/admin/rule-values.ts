/** Routing rule conditions as the form edits them (text) and as the API takes them (typed values). Pure. */

export const CONDITION_FIELDS = [
  'category',
  'channel',
  'platform',
  'language',
  'priority',
  'customerTier',
  'orderAmount',
  'tags',
  'subject',
  'body',
  'text',
  'timeOfDay',
  'weekday',
] as const;
export const CONDITION_OPS = ['eq', 'in', 'gte', 'lte', 'contains', 'matches'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

const NUMERIC = new Set(['customerTier', 'orderAmount', 'weekday']);

export interface Condition {
  field: string;
  op: ConditionOp;
  value: string | number | boolean | Array<string | number>;
}

export interface ConditionText {
  field: string;
  op: ConditionOp;
  value: string;
}

function scalar(field: string, text: string): string | number {
  const trimmed = text.trim();
  return NUMERIC.has(field) && trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

/** `in` takes a comma-separated list; numeric fields (tier, amount in fen, weekday) become numbers. */
export function toCondition(text: ConditionText): Condition {
  if (text.op === 'in') {
    return {
      field: text.field,
      op: 'in',
      value: text.value
        .split(/[,，]/)
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => scalar(text.field, part)),
    };
  }
  return { field: text.field, op: text.op, value: scalar(text.field, text.value) };
}

export function toConditionText(condition: Condition): ConditionText {
  const value = Array.isArray(condition.value) ? condition.value.join(', ') : String(condition.value);
  return { field: condition.field, op: condition.op, value };
}

/** A one-line summary of a rule's conditions for the list: `category = refund ∧ orderAmount ≥ 50000`. */
export function describeConditions(conditions: { all?: Condition[]; any?: Condition[] }): string {
  const symbol: Record<ConditionOp, string> = {
    eq: '=',
    in: '∈',
    gte: '≥',
    lte: '≤',
    contains: '∋',
    matches: '~',
  };
  const part = (c: Condition) =>
    `${c.field} ${symbol[c.op]} ${Array.isArray(c.value) ? `[${c.value.join(', ')}]` : String(c.value)}`;
  const all = (conditions.all ?? []).map(part).join(' ∧ ');
  const any = (conditions.any ?? []).map(part).join(' ∨ ');
  return [all, any && `(${any})`].filter(Boolean).join(' ∧ ') || '*';
}
