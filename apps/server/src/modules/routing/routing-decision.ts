import type { Kysely } from 'kysely';
import type { Database, TicketPriority } from '../../db/tables.ts';
import { ALWAYS_OPEN } from '../sla/business-calendar.ts';
import {
  computeDueAt,
  dueTimesForNewTicket,
  resolveTargets,
  type DueTimes,
  type SlaTarget,
} from '../sla/sla-clock.ts';
import { evaluateRules, type RoutingTicket, type RuleTrace } from './rule-engine.ts';
import { loadTenantConfig, type TenantConfig, type TenantConfigCache } from './tenant-config.cache.ts';

/** What intake writes onto a new ticket: the routing decision and its SLA due times. */
export interface NewTicketDecision extends DueTimes {
  teamId: string | null;
  priority: TicketPriority;
  /** The ticket's tags plus the ones the rules added (no duplicates). */
  tags: string[];
  slaPolicyId: string | null;
  assigneeId: string | null;
  /** When the SLA warning is due: `warningRatio` of the first-response target in business time. */
  slaWarningAt: Date | null;
  /** Ids of the rules that matched, in order (for the `routed` history event). */
  matchedRuleIds: string[];
  trace: RuleTrace[];
}

/**
 * Routing and SLA for a batch of new tickets of one tenant, inside the caller's transaction: one query each for
 * the rules, the policies, the calendars and the time zone, however many tickets (none when `configCache`
 * holds the tenant); then pure evaluation per ticket. The policy is the one a rule named, else the tenant's
 * default; no matching target → no due times. `includeDisabled` (rule testing) always reads.
 */
export async function decideForNewTickets(
  db: Kysely<Database>,
  tenantId: string,
  tickets: readonly RoutingTicket[],
  now: Date,
  options: {
    includeDisabled?: boolean;
    configCache?: TenantConfigCache | undefined;
    /** Already read by the caller (intake reads it once to classify and route). */
    config?: TenantConfig;
  } = {},
): Promise<NewTicketDecision[]> {
  const { rules, policyById, defaultPolicy, calendarById, timeZone } =
    options.config ?? (await readTenantConfig(db, tenantId, options));

  return tickets.map((ticket) => {
    const { decision, trace } = evaluateRules(rules, ticket, { now, timeZone });
    const priority = decision.priority ?? ticket.priority;
    const policy = (decision.slaPolicyId ? policyById.get(decision.slaPolicyId) : undefined) ?? defaultPolicy;
    const target: SlaTarget | null = policy ? resolveTargets(policy, priority, ticket.customerTier) : null;
    const calendar =
      (policy?.calendarId ? calendarById.get(policy.calendarId) : undefined) ?? ALWAYS_OPEN(timeZone);
    const due: DueTimes = target
      ? dueTimesForNewTicket(target, calendar, now)
      : { firstResponseDueAt: null, resolutionDueAt: null, nextDueAt: null };
    const slaWarningAt =
      target && policy
        ? computeDueAt(Math.round(target.firstResponseMinutes * policy.warningRatio * 60) / 60, calendar, [
            { at: now, status: 'new' },
          ])
        : null;
    return {
      teamId: decision.teamId,
      priority,
      tags: [...new Set([...ticket.tags, ...decision.addTags])],
      slaPolicyId: policy?.id ?? null,
      assigneeId: decision.assigneeId,
      ...due,
      slaWarningAt,
      matchedRuleIds: trace.filter((t) => t.matched).map((t) => t.ruleId),
      trace,
    };
  });
}

/** From the cache when one is given (never for `includeDisabled`, rule testing), else from the database. */
export function readTenantConfig(
  db: Kysely<Database>,
  tenantId: string,
  options: { includeDisabled?: boolean; configCache?: TenantConfigCache | undefined } = {},
): Promise<TenantConfig> {
  const load = () => loadTenantConfig(db, tenantId, options.includeDisabled);
  return options.configCache && !options.includeDisabled ? options.configCache.get(tenantId, load) : load();
}

/** One ticket: see decideForNewTickets. */
export async function decideForNewTicket(
  db: Kysely<Database>,
  tenantId: string,
  ticket: RoutingTicket,
  now: Date,
): Promise<NewTicketDecision> {
  const [decision] = await decideForNewTickets(db, tenantId, [ticket], now);
  return decision!;
}
