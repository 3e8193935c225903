import type { Kysely } from 'kysely';
import type { Database, TicketPriority } from '../../db/tables.ts';
import { classifyTicket, defaultClassifierModel } from '../classifier/classifier.ts';
import { detectLanguage } from '../classifier/language.ts';
import { predictForTenant } from '../classifier/tenant-classifier.ts';
import { decideForNewTickets, readTenantConfig } from '../routing/routing-decision.ts';
import type { TenantConfigCache } from '../routing/tenant-config.cache.ts';
import type { PreparedTicket, TicketAnalysis } from './new-ticket.ts';

const ticketText = (prepared: Pick<PreparedTicket, 'subject' | 'body'>) =>
  `${prepared.subject}\n${prepared.body}`;

/**
 * Category (base model) and language of a new ticket's text; intake calls it before its group commit. The
 * tenant's override rules and retrained layer are applied later, inside the commit (decideNewTickets).
 */
export function analyseNewTicket(prepared: Pick<PreparedTicket, 'subject' | 'body'>): TicketAnalysis {
  const text = ticketText(prepared);
  const { category, confidence } = classifyTicket(text);
  return { category, confidence, language: detectLanguage(text) };
}

/** Everything decided about a new ticket inside intake's commit: what it is about, where it goes, when it is due. */
export interface NewTicketDecisions {
  category: string;
  categoryConfidence: number;
  teamId: string | null;
  priority: TicketPriority;
  tags: string[];
  slaPolicyId: string | null;
  assigneeId: string | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  nextDueAt: Date | null;
  slaWarningAt: Date | null;
  matchedRuleIds: string[];
}

/**
 * Classifies, routes and sets SLA due times for a batch of new tickets of one tenant, in the batch's
 * transaction: a constant number of queries per batch (requesters' tiers, active assignees, and the routing
 * and SLA configuration), whatever its size. A team named by the caller wins over the rules' team; an
 * assignee named by a rule is kept only when it is an active user who can work tickets.
 */
export async function decideNewTickets(
  tx: Kysely<Database>,
  tenantId: string,
  tickets: ReadonlyArray<{ prepared: PreparedTicket; requesterId: string }>,
  now: Date,
  configCache?: TenantConfigCache,
): Promise<NewTicketDecisions[]> {
  const requesterIds = [...new Set(tickets.map((t) => t.requesterId))];
  const tiers = new Map(
    (
      await tx
        .selectFrom('customers')
        .select(['id', 'tier'])
        .where('tenantId', '=', tenantId)
        .where('id', 'in', requesterIds)
        .execute()
    ).map((c) => [c.id, c.tier]),
  );
  const config = await readTenantConfig(tx, tenantId, { configCache });
  const tenantClassifier = config.classifier;
  const classified = tickets.map(({ prepared }) => {
    const analysis = prepared.analysis ?? analyseNewTicket(prepared);
    // Tenants without rules or a layer keep the base model's answer computed before the commit.
    if (!tenantClassifier || (!tenantClassifier.rules.length && !tenantClassifier.layer)) return analysis;
    const { category, confidence } = predictForTenant(
      defaultClassifierModel(),
      tenantClassifier,
      ticketText(prepared),
    );
    return { ...analysis, category, confidence };
  });
  const decisions = await decideForNewTickets(
    tx,
    tenantId,
    tickets.map(({ prepared, requesterId }, i) => ({
      category: classified[i]!.category,
      channel: prepared.channel,
      platform: prepared.customer.platform ?? null,
      language: classified[i]!.language,
      priority: prepared.priority,
      customerTier: tiers.get(requesterId) ?? 0,
      // Known once the shop is connected (order enrichment runs after the commit).
      orderAmount: null,
      tags: prepared.tags,
      subject: prepared.subject,
      body: prepared.body,
      fields: prepared.fields,
    })),
    now,
    { config },
  );

  // Rules name teams and agents by id; either may have been deactivated since the rule was written.
  const ruleTeams = [
    ...new Set(decisions.flatMap((d, i) => (d.teamId && !tickets[i]!.prepared.teamId ? [d.teamId] : []))),
  ];
  const namedAssignees = [...new Set(decisions.flatMap((d) => (d.assigneeId ? [d.assigneeId] : [])))];
  const [activeTeams, workable] = await Promise.all([
    ruleTeams.length
      ? tx
          .selectFrom('teams')
          .select('id')
          .where('tenantId', '=', tenantId)
          .where('id', 'in', ruleTeams)
          .where('isActive', '=', true)
          .execute()
          .then((rows) => new Set(rows.map((r) => r.id)))
      : new Set<string>(),
    namedAssignees.length
      ? tx
          .selectFrom('users')
          .select('id')
          .where('tenantId', '=', tenantId)
          .where('id', 'in', namedAssignees)
          .where('isActive', '=', true)
          .where('role', 'in', ['admin', 'supervisor', 'agent', 'outsourced_agent'])
          .execute()
          .then((rows) => new Set(rows.map((r) => r.id)))
      : new Set<string>(),
  ]);

  return tickets.map(({ prepared }, i) => {
    const decision = decisions[i]!;
    return {
      category: classified[i]!.category,
      categoryConfidence: classified[i]!.confidence,
      teamId:
        prepared.teamId ?? (decision.teamId && activeTeams.has(decision.teamId) ? decision.teamId : null),
      priority: decision.priority,
      tags: decision.tags,
      slaPolicyId: decision.slaPolicyId,
      assigneeId: decision.assigneeId && workable.has(decision.assigneeId) ? decision.assigneeId : null,
      firstResponseDueAt: decision.firstResponseDueAt,
      resolutionDueAt: decision.resolutionDueAt,
      nextDueAt: decision.nextDueAt,
      slaWarningAt: decision.slaWarningAt,
      matchedRuleIds: decision.matchedRuleIds,
    };
  });
}
