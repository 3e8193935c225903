import type { Db } from '../../db/database.ts';
import type { SlaEscalation, SlaTargetRow } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { uuidv7 } from '../../lib/ids.ts';
import type { Actor } from '../access/permissions.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { isUniqueViolation } from '../users/user.service.ts';
import { validateCalendar, type BusinessCalendar } from './business-calendar.ts';
import { existingTargets } from '../routing/routing.repository.ts';
import * as repo from './sla-config.repository.ts';

export interface CalendarInput {
  name: string;
  timeZone: string;
  hours: BusinessCalendar['hours'];
  holidays?: string[];
}

export interface PolicyInput {
  name: string;
  calendarId?: string | null;
  warningRatio?: number;
  targets: SlaTargetRow[];
  isDefault?: boolean;
  /** What the breach sweep does: raise priority, move to a team (the supervisors'), assign the lead, tag. */
  escalation?: SlaEscalation;
}

export function presentCalendar(row: repo.CalendarRow) {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.timeZone,
    hours: row.hours,
    holidays: row.holidays,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentPolicy(row: repo.PolicyRow) {
  return {
    id: row.id,
    name: row.name,
    calendarId: row.calendarId,
    warningRatio: row.warningRatio,
    targets: row.targets,
    isDefault: row.isDefault,
    escalation: row.escalation,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function invalid(problems: string[]): never {
  throw new AppError('VALIDATION_FAILED', problems.join('; '), { extra: { errors: problems } });
}

/** Problems with a policy's targets: whole positive minutes, one row per priority × minTier. */
export function validateTargets(targets: readonly SlaTargetRow[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const t of targets) {
    const key = `${t.priority}/${t.minTier}`;
    if (seen.has(key)) problems.push(`two targets for ${key}`);
    seen.add(key);
    if (t.resolutionMinutes < t.firstResponseMinutes)
      problems.push(`${key}: resolution comes before the first response`);
  }
  return problems;
}

/** Business calendars and SLA policies (admins and supervisors). */
export class SlaConfigService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async listCalendars(actor: Actor) {
    return { items: (await repo.findCalendars(this.db, actor.tenantId)).map(presentCalendar) };
  }

  async createCalendar(actor: Actor, input: CalendarInput, ip: string) {
    const calendar = { timeZone: input.timeZone, hours: input.hours, holidays: input.holidays ?? [] };
    const problems = validateCalendar(calendar);
    if (problems.length) invalid(problems);
    const id = uuidv7();
    return this.named(input.name, async () =>
      this.db.transaction().execute(async (tx) => {
        await repo.insertCalendar(
          tx,
          { tenantId: actor.tenantId, id, name: input.name.trim(), ...calendar },
          this.now(),
        );
        await recordAudit(tx, {
          tenantId: actor.tenantId,
          actor,
          action: 'sla.calendar.created',
          targetType: 'business_calendar',
          targetId: id,
          ip,
        });
        return presentCalendar((await repo.findCalendar(tx, actor.tenantId, id))!);
      }),
    );
  }

  async updateCalendar(actor: Actor, id: string, patch: Partial<CalendarInput>, ip: string) {
    return this.named(patch.name, async () =>
      this.db.transaction().execute(async (tx) => {
        const before = await repo.findCalendar(tx, actor.tenantId, id, true);
        if (!before) throw new AppError('NOT_FOUND', 'Business calendar not found');
        const next = {
          timeZone: patch.timeZone ?? before.timeZone,
          hours: patch.hours ?? before.hours,
          holidays: patch.holidays ?? before.holidays,
        };
        const problems = validateCalendar(next);
        if (problems.length) invalid(problems);
        await repo.updateCalendar(
          tx,
          actor.tenantId,
          id,
          { ...next, name: patch.name?.trim() ?? before.name },
          this.now(),
        );
        await recordAudit(tx, {
          tenantId: actor.tenantId,
          actor,
          action: 'sla.calendar.updated',
          targetType: 'business_calendar',
          targetId: id,
          ip,
        });
        return presentCalendar((await repo.findCalendar(tx, actor.tenantId, id))!);
      }),
    );
  }

  async deleteCalendar(actor: Actor, id: string, ip: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const inUse = await repo.findPolicies(tx, actor.tenantId);
      if (!(await repo.findCalendar(tx, actor.tenantId, id, true)))
        throw new AppError('NOT_FOUND', 'Business calendar not found');
      if (inUse.some((p) => p.calendarId === id))
        throw new AppError('CONFLICT', 'An SLA policy uses this calendar');
      await repo.deleteCalendar(tx, actor.tenantId, id);
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'sla.calendar.deleted',
        targetType: 'business_calendar',
        targetId: id,
        ip,
      });
    });
  }

  async listPolicies(actor: Actor) {
    return { items: (await repo.findPolicies(this.db, actor.tenantId)).map(presentPolicy) };
  }

  async createPolicy(actor: Actor, input: PolicyInput, ip: string) {
    const problems = validateTargets(input.targets);
    if (problems.length) invalid(problems);
    const id = uuidv7();
    return this.named(input.name, async () =>
      this.db.transaction().execute(async (tx) => {
        await this.assertCalendar(tx, actor.tenantId, input.calendarId ?? null);
        await this.assertEscalation(tx, actor.tenantId, input.escalation);
        if (input.isDefault) await repo.clearDefaultPolicy(tx, actor.tenantId, this.now());
        await repo.insertPolicy(
          tx,
          {
            tenantId: actor.tenantId,
            id,
            name: input.name.trim(),
            calendarId: input.calendarId ?? null,
            warningRatio: input.warningRatio ?? 0.8,
            targets: input.targets,
            isDefault: input.isDefault ?? false,
            escalation: input.escalation ?? { raisePriority: true },
          },
          this.now(),
        );
        await recordAudit(tx, {
          tenantId: actor.tenantId,
          actor,
          action: 'sla.policy.created',
          targetType: 'sla_policy',
          targetId: id,
          ip,
        });
        return presentPolicy((await repo.findPolicy(tx, actor.tenantId, id))!);
      }),
    );
  }

  async updatePolicy(actor: Actor, id: string, patch: Partial<PolicyInput>, ip: string) {
    if (patch.targets) {
      const problems = validateTargets(patch.targets);
      if (problems.length) invalid(problems);
    }
    return this.named(patch.name, async () =>
      this.db.transaction().execute(async (tx) => {
        const before = await repo.findPolicy(tx, actor.tenantId, id, true);
        if (!before) throw new AppError('NOT_FOUND', 'SLA policy not found');
        if (patch.calendarId !== undefined) await this.assertCalendar(tx, actor.tenantId, patch.calendarId);
        await this.assertEscalation(tx, actor.tenantId, patch.escalation);
        if (patch.isDefault && !before.isDefault)
          await repo.clearDefaultPolicy(tx, actor.tenantId, this.now());
        const { name, ...rest } = patch;
        await repo.updatePolicy(
          tx,
          actor.tenantId,
          id,
          { ...rest, ...(name !== undefined ? { name: name.trim() } : {}) },
          this.now(),
        );
        await recordAudit(tx, {
          tenantId: actor.tenantId,
          actor,
          action: 'sla.policy.updated',
          targetType: 'sla_policy',
          targetId: id,
          ip,
        });
        return presentPolicy((await repo.findPolicy(tx, actor.tenantId, id))!);
      }),
    );
  }

  async deletePolicy(actor: Actor, id: string, ip: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      if (!(await repo.deletePolicy(tx, actor.tenantId, id)))
        throw new AppError('NOT_FOUND', 'SLA policy not found');
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'sla.policy.deleted',
        targetType: 'sla_policy',
        targetId: id,
        ip,
      });
    });
  }

  private async assertCalendar(tx: Db, tenantId: string, calendarId: string | null): Promise<void> {
    if (calendarId !== null && !(await repo.findCalendar(tx, tenantId, calendarId)))
      invalid([`calendar ${calendarId} does not exist`]);
  }

  /** Escalation may only name the tenant's own team and user. */
  private async assertEscalation(tx: Db, tenantId: string, escalation: SlaEscalation | undefined) {
    if (!escalation) return;
    const { teamId, assigneeId } = escalation;
    const found = await existingTargets(tx, tenantId, {
      teamIds: teamId ? [teamId] : [],
      userIds: assigneeId ? [assigneeId] : [],
      policyIds: [],
    });
    const problems: string[] = [];
    if (teamId && !found.has(teamId)) problems.push(`team ${teamId} does not exist`);
    if (assigneeId && !found.has(assigneeId)) problems.push(`user ${assigneeId} does not exist`);
    if (problems.length) invalid(problems);
  }

  private async named<T>(name: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('NAME_TAKEN', `"${name ?? ''}" is already taken`);
      throw error;
    }
  }
}
