import {
  checkPattern,
  compileSafePattern,
  MAX_MATCH_TEXT,
  MAX_PATTERN_LENGTH,
} from '../../lib/safe-pattern.ts';
import type { TicketPriority } from '../../db/tables.ts';
import { localClock } from '../sla/business-calendar.ts';

/**
 * The routing rule engine, a pure core: ordered rules, each with conditions (all of / any of) and actions.
 * Rules run in `position` order; every matching rule applies its actions (a later rule overrides team,
 * priority, SLA policy and assignee; tags accumulate) until a matching rule says `stopProcessing`. The
 * trace records every rule, whether it matched and why, for `POST /routing/test` and for the ticket history.
 */

export const ROUTING_FIELDS = [
  'category',
  'channel',
  'platform',
  'language',
  'priority',
  'customerTier',
  /** The order's amount in minor units (fen): 500000 = ¥5,000.00. */
  'orderAmount',
  'tags',
  'subject',
  'body',
  /** Subject and body together: for keywords. */
  'text',
  /** `HH:MM` in the tenant's time zone when the ticket arrives. */
  'timeOfDay',
  /** 0 = Sunday … 6 = Saturday in the tenant's time zone. */
  'weekday',
] as const;
export type RoutingField = (typeof ROUTING_FIELDS)[number] | `fields.${string}`;

export const OPERATORS = ['eq', 'in', 'gte', 'lte', 'contains', 'matches'] as const;
export type Operator = (typeof OPERATORS)[number];

export type ConditionValue = string | number | boolean | (string | number)[];

export interface Condition {
  /** A RoutingField; stored rules are checked by validateRule, unknown fields never pass. */
  field: string;
  op: Operator;
  value: ConditionValue;
}

export interface RuleConditions {
  all?: Condition[];
  any?: Condition[];
}

export interface RuleActions {
  teamId?: string;
  priority?: TicketPriority;
  addTags?: string[];
  slaPolicyId?: string;
  assigneeId?: string;
}

export interface RoutingRule {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  stopProcessing: boolean;
  conditions: RuleConditions;
  actions: RuleActions;
}

/** What the rules see of a ticket. */
export interface RoutingTicket {
  category: string | null;
  channel: string;
  platform: string | null;
  language: string | null;
  priority: TicketPriority;
  customerTier: number;
  orderAmount: number | null;
  tags: string[];
  subject: string;
  body: string;
  fields: Record<string, unknown>;
}

export interface RoutingDecision {
  teamId: string | null;
  priority: TicketPriority | null;
  addTags: string[];
  slaPolicyId: string | null;
  assigneeId: string | null;
}

export interface ConditionResult {
  field: string;
  op: Operator;
  value: ConditionValue;
  passed: boolean;
  reason: string;
}

export interface RuleTrace {
  ruleId: string;
  name: string;
  matched: boolean;
  /** Why the rule was not evaluated: disabled, or an earlier rule stopped processing. */
  skipped: 'disabled' | 'stopped' | null;
  conditions: ConditionResult[];
}

export interface RoutingResult {
  decision: RoutingDecision;
  trace: RuleTrace[];
}

/** Long texts are matched on their beginning only, so that a pathological pattern has a bounded input. */
const MAX_TEXT = 4000;

export function evaluateRules(
  rules: readonly RoutingRule[],
  ticket: RoutingTicket,
  context: { now: Date; timeZone: string },
): RoutingResult {
  const decision: RoutingDecision = {
    teamId: null,
    priority: null,
    addTags: [],
    slaPolicyId: null,
    assigneeId: null,
  };
  const trace: RuleTrace[] = [];
  const clock = localClock(context.timeZone, context.now);
  const view = { ...ticket, timeOfDay: clock.time, weekday: clock.weekday };
  let stopped = false;
  for (const rule of [...rules].sort((a, b) => a.position - b.position)) {
    const base = { ruleId: rule.id, name: rule.name, matched: false, conditions: [] };
    if (stopped) {
      trace.push({ ...base, skipped: 'stopped' });
      continue;
    }
    if (!rule.enabled) {
      trace.push({ ...base, skipped: 'disabled' });
      continue;
    }
    const all = (rule.conditions.all ?? []).map((c) => evaluateCondition(c, view));
    const any = (rule.conditions.any ?? []).map((c) => evaluateCondition(c, view));
    const matched = all.every((r) => r.passed) && (any.length === 0 || any.some((r) => r.passed));
    trace.push({ ...base, matched, skipped: null, conditions: [...all, ...any] });
    if (!matched) continue;
    applyActions(decision, rule.actions);
    if (rule.stopProcessing) stopped = true;
  }
  return { decision, trace };
}

function applyActions(decision: RoutingDecision, actions: RuleActions): void {
  if (actions.teamId !== undefined) decision.teamId = actions.teamId;
  if (actions.priority !== undefined) decision.priority = actions.priority;
  if (actions.slaPolicyId !== undefined) decision.slaPolicyId = actions.slaPolicyId;
  if (actions.assigneeId !== undefined) decision.assigneeId = actions.assigneeId;
  for (const tag of actions.addTags ?? []) if (!decision.addTags.includes(tag)) decision.addTags.push(tag);
}

type View = RoutingTicket & { timeOfDay: string; weekday: number };

function actualOf(field: string, view: View): unknown {
  if (field.startsWith('fields.')) return view.fields[field.slice('fields.'.length)] ?? null;
  if (field === 'text') return `${view.subject}\n${view.body}`;
  if (!(ROUTING_FIELDS as readonly string[]).includes(field)) return null;
  return view[field as keyof View] ?? null;
}

const show = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

function evaluateCondition(condition: Condition, view: View): ConditionResult {
  const actual = actualOf(condition.field, view);
  const { passed, detail } = test(condition, actual);
  const verdict = passed ? 'yes' : 'no';
  return {
    field: condition.field,
    op: condition.op,
    value: condition.value,
    passed,
    reason: `${condition.field} ${condition.op} ${show(condition.value)}: ${verdict} (${detail})`,
  };
}

const asText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v)).slice(0, MAX_TEXT);
const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
const asList = (v: ConditionValue): (string | number | boolean)[] => (Array.isArray(v) ? v : [v]);

function test(condition: Condition, actual: unknown): { passed: boolean; detail: string } {
  if (actual === null || actual === undefined) return { passed: false, detail: 'no value' };
  const { op, value } = condition;
  // A list field (tags) passes when any element passes.
  if (Array.isArray(actual)) {
    if (actual.length === 0) return { passed: false, detail: 'empty' };
    for (const element of actual) {
      const r = test(condition, element);
      if (r.passed) return { passed: true, detail: `element ${show(element)}` };
    }
    return { passed: false, detail: `is ${show(actual)}` };
  }
  switch (op) {
    case 'eq':
      return { passed: lower(actual) === lower(value), detail: `is ${show(actual)}` };
    case 'in': {
      const passed = asList(value).some((v) => lower(v) === lower(actual));
      return { passed, detail: `is ${show(actual)}` };
    }
    case 'gte':
    case 'lte': {
      if (typeof actual !== typeof value) return { passed: false, detail: `is ${show(actual)}` };
      const a = actual as string | number;
      const v = value as string | number;
      return { passed: op === 'gte' ? a >= v : a <= v, detail: `is ${show(actual)}` };
    }
    case 'contains': {
      const text = asText(actual).toLowerCase();
      const hit = asList(value).find((k) => text.includes(String(k).toLowerCase()));
      return hit === undefined
        ? { passed: false, detail: 'none found' }
        : { passed: true, detail: `found ${show(hit)}` };
    }
    case 'matches': {
      // A pattern stored before the guard existed (or by hand) that the guard refuses never matches.
      const regex = compileSafePattern(String(value));
      if (!regex) return { passed: false, detail: 'unsafe pattern, skipped' };
      const m = regex.exec(asText(actual).slice(0, MAX_MATCH_TEXT));
      return m ? { passed: true, detail: `matched ${show(m[0])}` } : { passed: false, detail: 'no match' };
    }
  }
}

const NUMERIC: ReadonlySet<string> = new Set(['customerTier', 'orderAmount', 'weekday']);
const PRIORITIES: ReadonlySet<string> = new Set(['low', 'normal', 'high', 'urgent']);

/** Problems with a rule's conditions and actions as strings; empty when valid. Ids are checked by the service. */
export function validateRule(rule: Pick<RoutingRule, 'conditions' | 'actions'>): string[] {
  const problems: string[] = [];
  const conditions = [...(rule.conditions.all ?? []), ...(rule.conditions.any ?? [])];
  for (const c of conditions) {
    const field: string = c.field;
    const known =
      (ROUTING_FIELDS as readonly string[]).includes(field) || /^fields\.[\w.-]{1,64}$/.test(field);
    if (!known) problems.push(`unknown field ${field}`);
    if (!(OPERATORS as readonly string[]).includes(c.op)) problems.push(`unknown operator ${c.op}`);
    if ((c.op === 'gte' || c.op === 'lte') && Array.isArray(c.value))
      problems.push(`${field} ${c.op} takes one value`);
    if ((c.op === 'gte' || c.op === 'lte') && NUMERIC.has(field) && typeof c.value !== 'number')
      problems.push(`${field} ${c.op} needs a number`);
    if (
      field === 'timeOfDay' &&
      (c.op === 'gte' || c.op === 'lte') &&
      !/^([01]\d|2[0-3]):[0-5]\d$/.test(String(c.value))
    )
      problems.push('timeOfDay compares with HH:MM');
    if (c.op === 'in' && !Array.isArray(c.value)) problems.push(`${field} in needs a list`);
    if (c.op === 'matches') {
      if (typeof c.value !== 'string' || c.value.length > MAX_PATTERN_LENGTH)
        problems.push(`${field} matches needs a pattern of at most ${MAX_PATTERN_LENGTH} characters`);
      else {
        // The same guard as the classifier's rules: no pattern that can backtrack for seconds.
        const problem = checkPattern(c.value);
        if (problem) problems.push(`${field} matches ${c.value}: ${problem.message}`);
      }
    }
  }
  const a = rule.actions;
  if (a.priority !== undefined && !PRIORITIES.has(a.priority))
    problems.push(`unknown priority ${a.priority}`);
  const acts = [a.teamId, a.priority, a.slaPolicyId, a.assigneeId].filter((x) => x !== undefined).length;
  if (acts === 0 && (a.addTags ?? []).length === 0) problems.push('the rule has no action');
  return problems;
}
