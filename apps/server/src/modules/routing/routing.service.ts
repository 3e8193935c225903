import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { uuidv7 } from '../../lib/ids.ts';
import type { Actor } from '../access/permissions.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { decideForNewTickets } from './routing-decision.ts';
import * as repo from './routing.repository.ts';
import { validateRule, type RoutingTicket, type RuleActions, type RuleConditions } from './rule-engine.ts';

export interface RuleInput {
  name: string;
  position?: number;
  enabled?: boolean;
  stopProcessing?: boolean;
  conditions: RuleConditions;
  actions: RuleActions;
}

export function presentRule(row: repo.RuleRow) {
  return { ...repo.toRule(row), version: row.version, updatedAt: row.updatedAt.toISOString() };
}

/** A sample ticket for POST /routing/test: only the category is needed, the rest has defaults. */
export type TicketSample = Partial<RoutingTicket>;

/** Routing rules per tenant (admins, supervisors) and trying them on a sample ticket. */
export class RoutingService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(actor: Actor) {
    return { items: (await repo.findRules(this.db, actor.tenantId)).map(presentRule) };
  }

  async get(actor: Actor, id: string) {
    const row = await repo.findRule(this.db, actor.tenantId, id);
    if (!row) throw new AppError('NOT_FOUND', 'Routing rule not found');
    return presentRule(row);
  }

  async create(actor: Actor, input: RuleInput, ip: string) {
    await this.assertValid(actor.tenantId, input);
    const id = uuidv7();
    return this.db.transaction().execute(async (tx) => {
      await repo.insertRule(
        tx,
        {
          tenantId: actor.tenantId,
          id,
          name: input.name.trim(),
          position: input.position ?? (await repo.nextPosition(tx, actor.tenantId)),
          enabled: input.enabled ?? true,
          stopProcessing: input.stopProcessing ?? false,
          conditions: input.conditions as Record<string, unknown>,
          actions: input.actions as Record<string, unknown>,
        },
        this.now(),
      );
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'routing.rule.created',
        targetType: 'routing_rule',
        targetId: id,
        ip,
      });
      return presentRule((await repo.findRule(tx, actor.tenantId, id))!);
    });
  }

  /** A compare-and-set on `version`: of two admins editing one rule, the second gets 412. */
  async update(actor: Actor, id: string, version: number, patch: Partial<RuleInput>, ip: string) {
    return this.db.transaction().execute(async (tx) => {
      const before = await repo.findRule(tx, actor.tenantId, id, true);
      if (!before) throw new AppError('NOT_FOUND', 'Routing rule not found');
      const current = repo.toRule(before);
      await this.assertValid(actor.tenantId, {
        conditions: patch.conditions ?? current.conditions,
        actions: patch.actions ?? current.actions,
      });
      const { name, conditions, actions, ...rest } = patch;
      const changed = await repo.updateRule(
        tx,
        actor.tenantId,
        id,
        version,
        {
          ...rest,
          ...(name !== undefined ? { name: name.trim() } : {}),
          ...(conditions !== undefined ? { conditions: conditions as Record<string, unknown> } : {}),
          ...(actions !== undefined ? { actions: actions as Record<string, unknown> } : {}),
        },
        this.now(),
      );
      if (!changed) throw new AppError('VERSION_MISMATCH', `The rule is at version ${before.version}`);
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'routing.rule.updated',
        targetType: 'routing_rule',
        targetId: id,
        ip,
      });
      return presentRule((await repo.findRule(tx, actor.tenantId, id))!);
    });
  }

  async remove(actor: Actor, id: string, ip: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      if (!(await repo.deleteRule(tx, actor.tenantId, id)))
        throw new AppError('NOT_FOUND', 'Routing rule not found');
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'routing.rule.deleted',
        targetType: 'routing_rule',
        targetId: id,
        ip,
      });
    });
  }

  /** Every rule (disabled ones shown as skipped) against a sample ticket, with the decision and due times. */
  async test(actor: Actor, sample: TicketSample) {
    const ticket: RoutingTicket = {
      category: null,
      channel: 'web',
      platform: null,
      language: null,
      priority: 'normal',
      customerTier: 0,
      orderAmount: null,
      tags: [],
      subject: '',
      body: '',
      fields: {},
      ...sample,
    };
    const now = this.now();
    const [d] = await decideForNewTickets(this.db, actor.tenantId, [ticket], now, { includeDisabled: true });
    const iso = (x: Date | null) => x?.toISOString() ?? null;
    return {
      rules: d!.trace,
      decision: {
        teamId: d!.teamId,
        priority: d!.priority,
        tags: d!.tags,
        slaPolicyId: d!.slaPolicyId,
        assigneeId: d!.assigneeId,
        firstResponseDueAt: iso(d!.firstResponseDueAt),
        resolutionDueAt: iso(d!.resolutionDueAt),
        nextDueAt: iso(d!.nextDueAt),
      },
      evaluatedAt: now.toISOString(),
    };
  }

  private async assertValid(
    tenantId: string,
    rule: Pick<RuleInput, 'conditions' | 'actions'>,
  ): Promise<void> {
    const problems = validateRule(rule);
    const { teamId, assigneeId, slaPolicyId } = rule.actions;
    const found = await repo.existingTargets(this.db, tenantId, {
      teamIds: teamId ? [teamId] : [],
      userIds: assigneeId ? [assigneeId] : [],
      policyIds: slaPolicyId ? [slaPolicyId] : [],
    });
    if (teamId && !found.has(teamId)) problems.push(`team ${teamId} does not exist`);
    if (assigneeId && !found.has(assigneeId)) problems.push(`user ${assigneeId} does not exist`);
    if (slaPolicyId && !found.has(slaPolicyId)) problems.push(`SLA policy ${slaPolicyId} does not exist`);
    if (problems.length)
      throw new AppError('VALIDATION_FAILED', problems.join('; '), { extra: { errors: problems } });
  }
}
